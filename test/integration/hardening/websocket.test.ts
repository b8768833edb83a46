import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTrustedDocuments } from '../../../src/policy/trusted-documents.js';
import { productionSecurity } from '../../helpers/config.js';
import { useTestStack } from '../../helpers/gateway.js';
import { wsClient } from '../live/helpers.js';
import { twoFleets } from './support.js';

/** What one operation over WebSocket answered: its results, or the errors it failed with. */
interface Outcome {
  readonly results: Array<{ data?: unknown; errors?: unknown }>;
  readonly errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Runs one operation over graphql-ws to completion (or failure) and collects what came back. */
function run(
  client: Client,
  query: string,
  extensions?: Record<string, unknown>,
  operationName?: string,
  beside: Record<string, string> = {},
): Promise<Outcome> {
  const outcome: Outcome = { results: [], errors: [] };
  return new Promise((resolve) => {
    client.subscribe(
      {
        query,
        ...(extensions === undefined ? {} : { extensions }),
        ...(operationName === undefined ? {} : { operationName }),
        ...beside,
      },
      {
        next: (result) => outcome.results.push(result),
        error: (error: unknown) => {
          if (Array.isArray(error)) outcome.errors.push(...(error as Outcome['errors']));
          else outcome.errors.push({ message: String(error) });
          resolve(outcome);
        },
        complete: () => resolve(outcome),
      },
    );
  });
}

const codes = (outcome: Outcome) => outcome.errors.map((error) => error.extensions?.code);

/** The 231-character query that once took the process down. */
const BOMB =
  '{ stacks { nodes { fleets { sessions(first:100) { nodes { sessionId fleet { stacks { fleets { sessions(first:100) { nodes { sessionId fleet { stacks { fleets { sessions(first:100) { nodes { sessionId } } } } } } } } } } } } } } } }';

const clients: Client[] = [];
const connect = (url: string) => {
  const client = wsClient(url);
  clients.push(client);
  return client;
};
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

describe('query limits over WebSocket (the same as over HTTP)', () => {
  const stack = useTestStack({ emulator: { dataset: twoFleets } });

  it('refuses the 231-character bomb, 1,000 aliases and a cost bomb before any upstream call', async () => {
    const client = connect(stack.url);
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const costly = `subscription { sessionEvents(stackName: "stack-a", fleetName: "fleet-1") {
      session { fleet { stacks { fleets { stacks { fleets { stacks { name } } } } } } } } }`;
    const expected = [
      [BOMB, 'depth'],
      [aliases, 'aliases'],
      [costly, 'cost'],
    ] as const;
    for (const [query, limit] of expected) {
      const outcome = await run(client, query);
      expect(codes(outcome), limit).toEqual(['QUERY_LIMIT_EXCEEDED']);
      expect(outcome.errors[0]?.extensions?.limit).toBe(limit);
      expect(outcome.results).toEqual([]);
    }
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('refuses a document over the token limit as a limit, not a parse error', async () => {
    const client = connect(stack.url);
    const outcome = await run(client, `{ ${'a '.repeat(6000)}}`);
    expect(codes(outcome)).toEqual(['QUERY_LIMIT_EXCEEDED']);
    expect(outcome.errors[0]?.extensions).toMatchObject({ limit: 'tokens', maximum: 5000 });
  });

  it('refuses a mutation as invalid and still runs a legitimate query', async () => {
    const client = connect(stack.url);
    const mutation = await run(client, 'mutation { anything }');
    expect(codes(mutation)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const ok = await run(
      client,
      '{ sessions(stackName: "stack-a", fleetName: "fleet-2", first: 2) { nodes { sessionId } } }',
    );
    expect(ok.errors).toEqual([]);
    expect(ok.results).toEqual([
      { data: { sessions: { nodes: [expect.anything(), expect.anything()] } } },
    ]);
  });
});

describe('operation names over WebSocket (the same as over HTTP)', () => {
  const stack = useTestStack({ emulator: { dataset: twoFleets } });

  it('answers an operationName that picks no operation with OPERATION_RESOLUTION_FAILURE', async () => {
    const client = connect(stack.url);
    const cases = [
      { query: 'query Listed { stacks { nodes { name } } }', operationName: 'Other' },
      { query: 'query A { stacks { nodes { name } } } query B { stack(name: "s") { name } }' },
    ];
    for (const { query, operationName } of cases) {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName }),
      });
      const overHttp = (await response.json()) as Pick<Outcome, 'errors'>;
      const outcome = await run(client, query, undefined, operationName);
      expect(codes(outcome)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
      expect(outcome.errors.map((error) => error.message)).toEqual(
        overHttp.errors.map((error) => error.message),
      );
    }
  });
});

describe('production settings over WebSocket', () => {
  const production = productionSecurity();
  const stack = useTestStack({
    emulator: { dataset: twoFleets },
    gatewayOptions: { security: production },
  });

  it('refuses introspection and gives no field suggestion', async () => {
    const client = connect(stack.url);
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Session") { name } }',
    ]) {
      const outcome = await run(client, query);
      // graphql's rule reports each introspection field (`__schema`, then `types`).
      expect(new Set(codes(outcome))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(outcome.errors[0]?.message).toMatch(/introspection/i);
    }
    const typo = await run(
      client,
      '{ sesions(stackName: "stack-a", fleetName: "fleet-1") { totalCount } }',
    );
    expect(codes(typo)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean|"sessions"/);
  });
});

describe('trusted documents over WebSocket', () => {
  const LISTED = '{ stacks(first: 5) { nodes { name } } }';
  const hash = createHash('sha256').update(LISTED).digest('hex');
  const path = join(mkdtempSync(join(tmpdir(), 'ws-trusted-')), 'manifest.json');
  writeFileSync(
    path,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: hash, name: 'Stacks', type: 'query', body: LISTED }],
    }),
  );
  const stack = useTestStack({
    emulator: { dataset: twoFleets },
    gatewayOptions: { trustedDocuments: loadTrustedDocuments(path) },
  });

  it('runs a listed document by body and by id, and refuses anything else', async () => {
    const client = connect(stack.url);
    const expected = [{ data: { stacks: { nodes: [{ name: 'stack-a' }] } } }];
    expect((await run(client, LISTED)).results).toEqual(expected);
    const byId = await run(client, '', { persistedQuery: { version: 1, sha256Hash: hash } });
    expect(byId.results).toEqual(expected);
    const unlisted = await run(client, '{ stacks { nodes { name fleets { name } } } }');
    expect(codes(unlisted)).toEqual(['OPERATION_NOT_TRUSTED']);
    const unknown = await run(client, '', {
      persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) },
    });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('runs a listed document by an id sent beside the query (documentId, doc_id), as over HTTP', async () => {
    const client = connect(stack.url);
    const expected = [{ data: { stacks: { nodes: [{ name: 'stack-a' }] } } }];
    for (const key of ['documentId', 'doc_id']) {
      expect((await run(client, '', undefined, undefined, { [key]: hash })).results).toEqual(
        expected,
      );
      const unknown = await run(client, '', undefined, undefined, { [key]: '0'.repeat(64) });
      expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    }
  });
});
