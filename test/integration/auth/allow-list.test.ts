import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../../src/policy/limits.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse, TestStack } from '../../helpers/gateway.js';
import { bearer, pemKeyPair } from '../../helpers/idp.js';
import { OTHER_SECRET, TEST_SECRET } from '../../helpers/signing.js';

/**
 * The allow-list matrix: every path into the data, for a caller allowed ["A"].
 *
 * | path                                   | on B (hidden)                         | upstream calls for B |
 * | -------------------------------------- | ------------------------------------- | -------------------- |
 * | sessions(B, f)                         | NOT_FOUND, worded as a missing stack  | 0                    |
 * | Fleet.sessions(stackName: B)           | NOT_FOUND                             | 0 DescribeSessions   |
 * | Stack.sessions, Stack.fleets           | unreachable: no Stack model of B      | -                    |
 * | node/nodes (B's stack, fleet, session) | null                                  | 0 for the session    |
 * | stack(name: B)                         | null                                  | 0                    |
 * | fleet(name) of B's own fleet           | null                                  | association lookup   |
 * | stacks, fleets (first: 1 walks)        | absent; exact pageInfo                | listing pages only   |
 * | Fleet.stacks, Session.stack            | B never appears                       | -                    |
 * | cursor of a * caller on B              | NOT_FOUND / "different query"         | 0                    |
 * | altered or foreign-key cursor or id    | BAD_USER_INPUT                        | 0                    |
 *
 * On the seeded demo data. Stack A = engineering-desktops (fleets
 * eng-win2022-ondemand, eng-linux-alwayson, shared-elastic-apps); stack B = finance-apps (fleets
 * finance-win2019, shared-elastic-apps). Everything a caller allowed ["A"] must not see:
 */
const A = 'engineering-desktops';
const B = 'finance-apps';
const HIDDEN_STACKS = [
  B,
  'design-studio',
  'support-tools',
  'data-science-lab',
  'training-classroom',
];
const HIDDEN_FLEETS = ['finance-win2019', 'design-gpu-alwayson', 'support-multisession'];
const A_FLEETS = ['eng-win2022-ondemand', 'eng-linux-alwayson', 'shared-elastic-apps'];

let stack: TestStack;
let all: Record<string, string>;
let onlyA: Record<string, string>;
let mint: (stacks: unknown) => Promise<Record<string, string>>;

beforeAll(async () => {
  const { sign, authenticator } = await pemKeyPair('ES256');
  stack = await startTestStack({
    authenticator: authenticator(),
    signing: { secret: TEST_SECRET },
    // The graph walk below is deliberately wide (cost about 67,000): raise the cost cap for it.
    gatewayOptions: { limits: { ...DEFAULT_QUERY_LIMITS, maxCost: 100_000 } },
  });
  mint = async (stacks) => bearer(await sign({ appstream_stacks: stacks }));
  all = await mint(['*']);
  onlyA = await mint([A]);
});
afterAll(() => stack.close());

interface Named {
  name: string;
}
interface ListPage {
  nodes: Named[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}
interface SessionsPage {
  edges: Array<{ cursor: string; node: { id: string; sessionId: string } }>;
  pageInfo: { endCursor: string };
}
/** The shapes the queries of this file answer with (each query selects a part). */
interface Data {
  sessions: SessionsPage;
  stacks: ListPage;
  fleets: ListPage;
  nodes: unknown[];
  node: unknown;
  shared: { stacks: unknown[] };
  [alias: string]: unknown;
}

/** Runs `query` as `who` after resetting the emulator's call log. */
async function as(
  who: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<Data>> {
  stack.emulator.calls.reset();
  return stack.graphql(query, variables, who);
}

const SESSIONS = `query($stack: String!, $fleet: String!, $after: String) {
  sessions(stackName: $stack, fleetName: $fleet, first: 2, after: $after) {
    edges { cursor node { id sessionId } } pageInfo { endCursor }
  }
}`;

describe('sessions and Stack.sessions/Fleet.sessions', () => {
  it('serves stack A to an ["A"] caller', async () => {
    const response = await as(onlyA, SESSIONS, { stack: A, fleet: 'eng-linux-alwayson' });
    expect(response.errors).toBeUndefined();
    expect(response.data?.sessions.edges).toHaveLength(2);
  });

  it('answers stack B with NOT_FOUND, worded as for a stack that does not exist, with zero upstream calls', async () => {
    const hidden = await as(onlyA, SESSIONS, { stack: B, fleet: 'finance-win2019' });
    expect(stack.emulator.calls.count()).toBe(0);
    expect(hidden.data).toEqual({ sessions: null });
    const missing = await as(all, SESSIONS, { stack: 'no-such-stack', fleet: 'finance-win2019' });
    expect(hidden.errors).toEqual([
      {
        ...missing.errors?.[0],
        message: missing.errors?.[0]?.message.replace('no-such-stack', B),
      },
    ]);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses Fleet.sessions on stack B through a shared fleet, with no DescribeSessions call', async () => {
    const response = await as(
      onlyA,
      `{ fleet(name: "shared-elastic-apps") { name sessions(stackName: "${B}", first: 1) { nodes { sessionId } } } }`,
    );
    expect(response.data).toEqual({ fleet: { name: 'shared-elastic-apps', sessions: null } });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(0);
  });
});

describe('node and nodes', () => {
  it("return null for B's ids obtained by a * caller; A's resolve", async () => {
    const found = await as(
      all,
      `{ b: stack(name: "${B}") { id } a: stack(name: "${A}") { id }
         hiddenFleet: fleet(name: "finance-win2019") { id } sharedFleet: fleet(name: "shared-elastic-apps") { id }
         bSessions: sessions(stackName: "${B}", fleetName: "finance-win2019", first: 2) { nodes { id } }
         aSessions: sessions(stackName: "${A}", fleetName: "eng-linux-alwayson", first: 1) { nodes { id } } }`,
    );
    const data = found.data as unknown as Record<string, { id: string; nodes: { id: string }[] }>;
    const idOf = (alias: string) => data[alias]?.id ?? '';
    const sessionIdsOf = (alias: string) => (data[alias]?.nodes ?? []).map((node) => node.id);
    const hiddenIds = [idOf('b'), idOf('hiddenFleet'), ...sessionIdsOf('bSessions')];
    const visibleIds = [idOf('a'), idOf('sharedFleet'), ...sessionIdsOf('aSessions')];
    expect(hiddenIds).toHaveLength(4);
    expect(visibleIds).toHaveLength(3);

    const single = await as(onlyA, 'query($id: ID!) { node(id: $id) { id } }', {
      id: hiddenIds[2],
    });
    expect(single).toMatchObject({ data: { node: null } });
    expect(single.errors).toBeUndefined();
    expect(stack.emulator.calls.count()).toBe(0);

    const many = await as(onlyA, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [...hiddenIds, ...visibleIds],
    });
    expect(many.errors).toBeUndefined();
    expect(many.data?.nodes).toEqual([null, null, null, null, ...visibleIds.map((id) => ({ id }))]);
    expect(stack.emulator.calls.count('DescribeSessions', { StackName: B })).toBe(0);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
  });
});

describe('stacks, fleets, stack(name) and fleet(name)', () => {
  it('list only what the allow-list grants, and a first: 1 walk has exact pageInfo', async () => {
    const listed = await as(onlyA, '{ stacks { nodes { name } } fleets { nodes { name } } }');
    expect(listed.data).toEqual({
      stacks: { nodes: [{ name: A }] },
      fleets: { nodes: A_FLEETS.map((name) => ({ name })) },
    });

    for (const field of ['stacks', 'fleets']) {
      const walked: string[] = [];
      const flags: boolean[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const page: GraphQLResponse<Data> = await as(
          onlyA,
          `query($after: String) { ${field}(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(page.errors).toBeUndefined();
        const connection = page.data?.[field] as ListPage;
        walked.push(...connection.nodes.map((node) => node.name));
        flags.push(connection.pageInfo.hasNextPage);
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      const expected = field === 'stacks' ? [A] : A_FLEETS;
      expect(walked).toEqual(expected);
      expect(flags).toEqual(expected.map((_name, k) => k < expected.length - 1));
    }
  });

  it('pages a three-stack allow-list exactly, one stack at a time', async () => {
    // In AppStream's order: engineering-desktops, ..., support-tools, ..., training-classroom.
    const allowed = [A, 'support-tools', 'training-classroom'];
    const who = await mint(['training-classroom', A, 'support-tools', A]);
    const walked: string[] = [];
    const flags: Array<[boolean, boolean]> = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: GraphQLResponse<Data> = await as(
        who,
        `query($after: String) { stacks(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
        { after },
      );
      expect(page.errors).toBeUndefined();
      const { nodes, pageInfo } = page.data?.stacks ?? { nodes: [], pageInfo: {} as never };
      walked.push(...nodes.map((node) => node.name));
      flags.push([pageInfo.hasPreviousPage, pageInfo.hasNextPage]);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(walked).toEqual(allowed);
    expect(flags).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
  });

  it('answer null for a hidden stack or fleet, without a stack lookup', async () => {
    const response = await as(
      onlyA,
      `{ b: stack(name: "${B}") { name } a: stack(name: "${A}") { name }
         hidden: fleet(name: "finance-win2019") { name } shared: fleet(name: "shared-elastic-apps") { name }
         missing: fleet(name: "no-such-fleet") { name } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      b: null,
      a: { name: A },
      hidden: null,
      shared: { name: 'shared-elastic-apps' },
      missing: null,
    });
    expect(stack.emulator.calls.count('DescribeStacks', { Names: [B] })).toBe(0);
  });
});

describe('every path of the graph', () => {
  it('never reveals a hidden stack or fleet to an ["A"] caller, however the graph is walked', async () => {
    const response = await as(
      onlyA,
      `{
        stacks { nodes { name fleets { name stacks { name fleets { name } }
          sessions(first: 20) { nodes { stack { name } fleet { name stacks { name } } } } } } }
        fleets { nodes { name stacks { name } } }
        shared: fleet(name: "shared-elastic-apps") { stacks { name fleets { name } } }
        viaSessions: sessions(stackName: "${A}", fleetName: "shared-elastic-apps", first: 50) {
          nodes { stack { name } fleet { stacks { name } } }
        }
      }`,
    );
    expect(response.errors).toBeUndefined();
    const text = JSON.stringify(response.data);
    expect(text).toContain(A);
    for (const name of [...HIDDEN_STACKS, ...HIDDEN_FLEETS]) expect(text).not.toContain(name);
    expect(response.data?.shared.stacks).toEqual([
      { name: A, fleets: A_FLEETS.map((name) => ({ name })) },
    ]);
  });
});

describe('cursors and ids across scopes and secrets', () => {
  it('a cursor issued to a * caller for stack B reads nothing of B for an ["A"] caller', async () => {
    const first = await as(all, SESSIONS, { stack: B, fleet: 'finance-win2019' });
    const cursor = first.data?.sessions.pageInfo.endCursor ?? '';
    const replayed = await as(onlyA, SESSIONS, {
      stack: B,
      fleet: 'finance-win2019',
      after: cursor,
    });
    expect(replayed.data).toEqual({ sessions: null });
    expect(replayed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.emulator.calls.count()).toBe(0);

    const moved = await as(onlyA, SESSIONS, {
      stack: A,
      fleet: 'eng-linux-alwayson',
      after: cursor,
    });
    expect(moved.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(moved.errors?.[0]?.message).toContain('belongs to a different query');
    expect(stack.emulator.calls.count()).toBe(0);

    const stacksPage = await as(all, '{ stacks(first: 2) { pageInfo { endCursor } } }');
    const stacksCursor = stacksPage.data?.stacks.pageInfo.endCursor;
    const listing = await as(
      onlyA,
      'query($after: String) { stacks(first: 5, after: $after) { nodes { name } } }',
      {
        after: stacksCursor,
      },
    );
    expect(listing.errors?.[0]?.message).toContain('belongs to a different query');
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('refuses a cursor or id with one character changed as BAD_USER_INPUT, with no upstream call', async () => {
    const first = await as(all, SESSIONS, { stack: A, fleet: 'eng-linux-alwayson' });
    const cursor = first.data?.sessions.pageInfo.endCursor ?? '';
    const id = first.data?.sessions.edges[0]?.node.id ?? '';
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text.charAt(at) === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const at of [10, Math.floor(cursor.length / 2), cursor.length - 3]) {
      const response = await as(all, SESSIONS, {
        stack: A,
        fleet: 'eng-linux-alwayson',
        after: flip(cursor, at),
      });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.emulator.calls.count()).toBe(0);
    }
    for (const at of [5, Math.floor(id.length / 2), id.length - 2]) {
      const response = await as(all, 'query($id: ID!) { node(id: $id) { id } }', {
        id: flip(id, at),
      });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.emulator.calls.count()).toBe(0);
    }
  });

  it('a cursor or id signed with another secret is refused; one signed with CURSOR_SECRET_PREVIOUS works', async () => {
    const rotated = await startTestStack({
      signing: { secret: OTHER_SECRET, previous: TEST_SECRET },
    });
    try {
      const query = SESSIONS.replace('{ id sessionId }', '{ id sessionId }');
      const old = await as(all, query, { stack: A, fleet: 'eng-linux-alwayson' });
      const oldCursor = old.data?.sessions.pageInfo.endCursor ?? '';
      const oldId = old.data?.sessions.edges[0]?.node.id ?? '';
      const next = await rotated.graphql<Data>(query, {
        stack: A,
        fleet: 'eng-linux-alwayson',
        after: oldCursor,
      });
      expect(next.errors).toBeUndefined();
      expect(next.data?.sessions.edges).toHaveLength(2);
      const node = await rotated.graphql<Data>('query($id: ID!) { node(id: $id) { id } }', {
        id: oldId,
      });
      expect(node.errors).toBeUndefined();
      expect(node.data?.node).not.toBeNull();

      const newCursor = next.data?.sessions.pageInfo.endCursor ?? '';
      const newId = next.data?.sessions.edges[0]?.node.id ?? '';
      const refused = await as(all, query, {
        stack: A,
        fleet: 'eng-linux-alwayson',
        after: newCursor,
      });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toContain('signed with another key');
      const refusedId = await as(all, 'query($id: ID!) { node(id: $id) { id } }', { id: newId });
      expect(refusedId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(stack.emulator.calls.count()).toBe(0);
    } finally {
      await rotated.close();
    }
  });
});
