import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { loadTrustedDocuments } from '../../../src/policy/trusted-documents.js';
import { useTestStack } from '../../helpers/gateway.js';
import { wsClient } from '../live/helpers.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 5)
  .build();

const STACKS = 'query Stacks { stacks(first: 5) { nodes { name } } }';
const SESSIONS =
  'query Sessions($first: Int) { sessions(stackName: "stack-a", fleetName: "fleet-1", first: $first) { nodes { sessionId } } }';
const UNLISTED = '{ stacks { nodes { name fleets { name } } } }';

const hash = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));
const apolloPath = join(dir, 'persisted-query-manifest.json');
writeFileSync(
  apolloPath,
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [
      { id: hash('sha256', STACKS), name: 'Stacks', type: 'query', body: STACKS },
      { id: hash('sha256', SESSIONS), name: 'Sessions', type: 'query', body: SESSIONS },
    ],
  }),
);
const relayPath = join(dir, 'persisted_queries.json');
writeFileSync(relayPath, JSON.stringify({ [hash('md5', SESSIONS)]: SESSIONS }));

async function post(url: string, body: unknown): Promise<GraphQLResponse> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe('trusted documents from an Apollo persisted-query manifest', () => {
  const trustedDocuments = loadTrustedDocuments(apolloPath);
  const stack = useTestStack({ emulator: { dataset }, gatewayOptions: { trustedDocuments } });

  it('loads every operation', () => {
    expect(trustedDocuments.size).toBe(2);
    expect([...trustedDocuments.operationNames]).toEqual(['Stacks', 'Sessions']);
  });

  it('labels metrics with the listed operations only: clients cannot take the label slots', async () => {
    // More distinct names than the 50 label values a gateway without a manifest gives out, on
    // unlisted documents sent over the WebSocket (whose refusals are logged and counted).
    const client = wsClient(stack.url);
    try {
      for (let i = 0; i < 60; i++) {
        const operationName = `Squat${String(i)}`;
        const refused = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: `query ${operationName} { __typename }`, operationName },
            { next: () => undefined, error: resolve, complete: () => resolve(undefined) },
          );
        });
        expect(JSON.stringify(refused)).toContain('OPERATION_NOT_TRUSTED');
      }
    } finally {
      await client.dispose();
    }
    expect((await post(stack.url, { query: STACKS })).errors).toBeUndefined();
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const labels = [
      ...metrics.matchAll(/gateway_operation_duration_seconds_count\{operation="([^"]+)"/g),
    ].map((match) => match[1]);
    expect(labels).toContain('Stacks');
    expect(labels.filter((label) => label?.startsWith('Squat'))).toEqual([]);
  });

  it('runs a listed operation by id: the persisted-query extension (Apollo Client)', async () => {
    const response = await post(stack.url, {
      variables: { first: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: hash('sha256', SESSIONS) } },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ sessions: { nodes: [expect.anything(), expect.anything()] } });
  });

  it('runs a listed operation by documentId, by POST and by GET', async () => {
    const id = hash('sha256', STACKS);
    expect((await post(stack.url, { documentId: id })).data).toEqual({
      stacks: { nodes: [{ name: 'stack-a' }] },
    });
    const get = await fetch(`${stack.url}/graphql?documentId=${id}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { stacks: { nodes: [{ name: 'stack-a' }] } } });
  });

  it('runs a listed operation sent as its body', async () => {
    const response = await post(stack.url, { query: STACKS });
    expect(response.data).toEqual({ stacks: { nodes: [{ name: 'stack-a' }] } });
  });

  it('refuses an unlisted operation before any upstream call', async () => {
    const response = await post(stack.url, { query: UNLISTED });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: expect.stringContaining('trusted'),
        extensions: { code: 'OPERATION_NOT_TRUSTED' },
      },
    ]);
    const byHash = await post(stack.url, {
      query: UNLISTED,
      extensions: { persistedQuery: { version: 1, sha256Hash: hash('sha256', UNLISTED) } },
    });
    expect(byHash.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND', async () => {
    const response = await post(stack.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
    expect(response.errors).toEqual([
      { message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    ]);
    expect((await post(stack.url, {})).errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });
});

describe("trusted documents from relay-compiler's persisted output", () => {
  const trustedDocuments = loadTrustedDocuments(relayPath);
  const stack = useTestStack({ emulator: { dataset }, gatewayOptions: { trustedDocuments } });

  it('runs a listed operation by its Relay id (doc_id or id) and by body', async () => {
    const id = hash('md5', SESSIONS);
    for (const body of [
      { doc_id: id, variables: { first: 1 } },
      { id, variables: { first: 1 } },
      { query: SESSIONS, variables: { first: 1 } },
    ]) {
      const response = await post(stack.url, body);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ sessions: { nodes: [expect.anything()] } });
    }
  });

  it('refuses everything else', async () => {
    expect((await post(stack.url, { query: STACKS })).errors?.[0]?.extensions?.code).toBe(
      'OPERATION_NOT_TRUSTED',
    );
    expect((await post(stack.url, { doc_id: 'nope' })).errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });
});

describe('a bad manifest', () => {
  it('stops the start with a line naming the file and the problem', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2 }));
    expect(() => loadTrustedDocuments(bad)).toThrow(
      `TRUSTED_DOCUMENTS: ${bad} is not a manifest: an Apollo manifest needs "version": 1`,
    );
    expect(() => loadTrustedDocuments(join(dir, 'missing.json'))).toThrow(/cannot read/);
    writeFileSync(bad, JSON.stringify({ abc: 1 }));
    expect(() => loadTrustedDocuments(bad)).toThrow(/relay-compiler format/);
  });
});
