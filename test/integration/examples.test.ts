import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, validate } from 'graphql';
import type { DefinitionNode, DocumentNode, FragmentDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../src/server/schema.js';
import { useTestStack } from '../helpers/gateway.js';

/** examples/operations: what the README points frontend teams to. */
const DIR = join(import.meta.dirname, '..', '..', 'examples', 'operations');
const files = readdirSync(DIR).filter((f) => f.endsWith('.graphql'));
const documents = files.map((file) => parse(readFileSync(join(DIR, file), 'utf8')));
const definitions = documents.flatMap((d) => d.definitions);
const fragments = definitions.filter(
  (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
);

/** One operation with the fragments it spreads (transitively), as a client would send it. */
function operation(name: string): string {
  const op = definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name,
  );
  if (op === undefined) throw new Error(`examples/operations has no operation ${name}`);
  const used = new Map<string, DefinitionNode>();
  const visit = (node: DefinitionNode): void => {
    for (const match of print(node).matchAll(/\.\.\.([A-Za-z_]\w*)/g)) {
      const fragment = fragments.find((f) => f.name.value === match[1]);
      if (fragment && !used.has(fragment.name.value)) {
        used.set(fragment.name.value, fragment);
        visit(fragment);
      }
    }
  };
  visit(op);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op, ...used.values()] };
  return print(document);
}

describe('examples/operations', () => {
  it('is valid against the schema, as one document (every fragment used, names unique)', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    const all: DocumentNode = { kind: Kind.DOCUMENT, definitions };
    expect(validate(createSchema(), all).map((e) => e.message)).toEqual([]);
  });

  it('has a fragment for each type a frontend renders', () => {
    expect(fragments.map((f) => f.typeCondition.name.value).sort()).toEqual([
      'Fleet',
      'PageInfo',
      'Session',
      'Stack',
    ]);
  });

  describe('against the gateway', () => {
    const stack = useTestStack();
    const place = { stackName: 'engineering-desktops', fleetName: 'eng-linux-alwayson' };
    interface Page {
      edges: Array<{ cursor: string; node: { id: string; sessionId: string } }>;
      pageInfo: {
        hasNextPage: boolean;
        hasPreviousPage: boolean;
        startCursor: string;
        endCursor: string;
      };
    }
    const run = async <D>(name: string, variables: Record<string, unknown>): Promise<D> => {
      const response = await stack.graphql<D>(operation(name), variables);
      expect(response.errors, name).toBeUndefined();
      if (!response.data) throw new Error(`${name} returned no data`);
      return response.data;
    };

    it('pages first, next and previous, and refetches a node', async () => {
      const listed = stack.emulator.data
        .sessions(place.stackName, place.fleetName)
        .map((s) => s.Id);
      const first = await run<{ sessions: Page }>('SessionsFirstPage', { ...place, first: 5 });
      expect(first.sessions.edges.map((e) => e.node.sessionId)).toEqual(listed.slice(0, 5));
      const next = await run<{ sessions: Page }>('SessionsNextPage', {
        ...place,
        first: 5,
        after: first.sessions.pageInfo.endCursor,
      });
      expect(next.sessions.edges.map((e) => e.node.sessionId)).toEqual(listed.slice(5, 10));
      const previous = await run<{ sessions: Page }>('SessionsPreviousPage', {
        ...place,
        last: 5,
        before: next.sessions.pageInfo.startCursor,
      });
      expect(previous.sessions.edges.map((e) => e.node.sessionId)).toEqual(listed.slice(0, 5));
      expect(previous.sessions.pageInfo.hasPreviousPage).toBe(false);

      const session = first.sessions.edges[0]?.node;
      const node = await run<{ node: { __typename: string; sessionId: string } }>('NodeRefetch', {
        id: session?.id,
      });
      expect(node.node).toMatchObject({ __typename: 'Session', sessionId: session?.sessionId });
    });

    it('runs the dashboard and the fleet pager', async () => {
      const dashboard = await run<{ stacks: { nodes: Array<{ fleets: unknown[] }> } }>(
        'Dashboard',
        {},
      );
      expect(dashboard.stacks.nodes.length).toBe(5);
      const fleet = await run<{ fleet: { id: string; sessions: Page } }>('FleetSessionsPage', {
        ...place,
        first: 3,
      });
      expect(fleet.fleet.sessions.edges).toHaveLength(3);
      const again = await run<{ node: { __typename: string; name: string } }>('FleetRefetch', {
        id: fleet.fleet.id,
      });
      expect(again.node).toEqual(
        expect.objectContaining({ __typename: 'Fleet', name: place.fleetName }),
      );
    });
  });
});
