import type { Client, ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { productionSecurity } from '../../helpers/config.js';
import { startTestStack, useTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { startTestIdp } from '../../helpers/idp.js';
import type { TestIdp } from '../../helpers/idp.js';
import { describeEvents, record, SESSION_EVENTS, twoFleets, wsClient } from './helpers.js';

const SECRET = 'router-shared-secret-for-websocket-tests';

const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
});

/** A graphql-ws client of `/subgraph` at `base` (http URL), sending `headers` on the upgrade. */
function subgraphClient(
  base: string,
  headers: Record<string, string> = {},
  options: Partial<ClientOptions> = {},
): Client {
  class WithHeaders extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const client = wsClient(base, {
    url: `${base.replace(/^http/, 'ws')}/subgraph`,
    webSocketImpl: WithHeaders,
    ...options,
  });
  clients.push(client);
  return client;
}

/** The HTTP status an upgrade to `url` gets (101 when the handshake succeeds), and its body. */
function upgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.on('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.on('error', () => undefined);
  });
}

/** Runs one operation to its end and returns its results and errors. */
async function run(client: Client, query: string) {
  const results: unknown[] = [];
  const errors: Array<{ message: string; extensions?: { code?: string } }> = [];
  for await (const result of client.iterate({ query })) {
    results.push(result.data);
    if (result.errors !== undefined) errors.push(...(result.errors as typeof errors));
  }
  return { results, errors };
}

describe('subscriptions on /subgraph', () => {
  const stack = useTestStack({ emulator: { dataset: twoFleets(2) }, live: { intervalMs: 100 } });

  it('serves the subgraph schema over graphql-ws and streams events', async () => {
    const client = subgraphClient(stack.url);
    const service = await run(client, '{ _service { sdl } }');
    expect(service.errors).toEqual([]);
    expect(JSON.stringify(service.results)).toContain('@key');
    const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    const added = stack.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' });
    await sub.waitForEvents(2);
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2', `APPEARED:${added.Id}`]);
    sub.unsubscribe();
    // /graphql keeps the public schema: no `_service` there.
    const publicClient = wsClient(stack.url);
    clients.push(publicClient);
    const refused = await run(publicClient, '{ _service { sdl } }').catch((error: unknown) => ({
      results: [],
      errors: error as Array<{ message: string; extensions?: { code?: string } }>,
    }));
    expect(refused.errors.map((error) => error.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('applies the limits of /graphql before any upstream call', async () => {
    const client = subgraphClient(stack.url);
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const costly = `subscription { sessionEvents(stackName: "s1", fleetName: "f1") {
      session { fleet { stacks { fleets { stacks { fleets { stacks { name } } } } } } } } }`;
    const before = stack.emulator.calls.count();
    for (const [query, limit] of [
      [aliases, 'aliases'],
      [costly, 'cost'],
    ] as const) {
      const outcome = await run(client, query).catch((error: unknown) => ({
        results: [],
        errors: error as Array<{ message: string; extensions?: Record<string, unknown> }>,
      }));
      expect(
        outcome.errors.map((error) => error.extensions?.code),
        limit,
      ).toEqual(['QUERY_LIMIT_EXCEEDED']);
      expect(outcome.errors[0]?.extensions).toMatchObject({ limit });
    }
    expect(stack.emulator.calls.count()).toBe(before);
  });
});

describe('subscriptions on /subgraph in production', () => {
  const stack = useTestStack({
    emulator: { dataset: twoFleets(2) },
    gatewayOptions: { security: productionSecurity() },
  });

  it('refuses introspection, as over HTTP, and still answers `_service`', async () => {
    const client = subgraphClient(stack.url);
    const outcome = await run(client, '{ __schema { types { name } } }').catch(
      (error: unknown) => ({ results: [], errors: error as Array<{ message: string }> }),
    );
    expect(outcome.errors[0]?.message).toMatch(/introspection/i);
    const service = await run(client, '{ _service { sdl } }');
    expect(service.errors).toEqual([]);
  });
});

describe('SUBGRAPH_SECRET on the WebSocket upgrade', () => {
  const stack = useTestStack({
    emulator: { dataset: twoFleets(2) },
    live: { intervalMs: 100 },
    subgraph: { secret: SECRET },
  });

  it('refuses the upgrade with 401 without the secret or with a wrong one', async () => {
    for (const headers of [
      {},
      { 'x-subgraph-secret': 'wrong' },
      { 'x-subgraph-secret': `${SECRET}x` },
    ]) {
      const { status, body } = await upgrade(`${stack.url}/subgraph`, headers);
      expect(status).toBe(401);
      expect(JSON.parse(body)).toEqual({
        errors: [
          {
            message: expect.stringContaining('x-subgraph-secret') as unknown,
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      expect(body).not.toContain(SECRET);
    }
    // /graphql on the same port does not ask for it.
    expect((await upgrade(`${stack.url}/graphql`)).status).toBe(101);
  });

  it('streams events with the secret', async () => {
    const client = subgraphClient(stack.url, { 'x-subgraph-secret': SECRET });
    const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
    sub.unsubscribe();
  });
});

describe('SUBGRAPH_PORT', () => {
  const stack = useTestStack({
    emulator: { dataset: twoFleets(2) },
    subgraph: { port: 0, secret: SECRET },
  });

  it('serves WebSocket on /subgraph of its own port only', async () => {
    const subgraphBase = (stack.gateway.subgraphUrl ?? '').replace(/\/subgraph$/, '');
    expect(subgraphBase).not.toBe(stack.url);
    const secret = { 'x-subgraph-secret': SECRET };
    expect((await upgrade(`${subgraphBase}/subgraph`, secret)).status).toBe(101);
    expect((await upgrade(`${subgraphBase}/graphql`, secret)).status).toBe(404);
    expect((await upgrade(`${stack.url}/subgraph`, secret)).status).toBe(404);
    expect((await upgrade(`${stack.url}/graphql`)).status).toBe(101);
    const client = subgraphClient(subgraphBase, secret);
    const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
    sub.unsubscribe();
  });
});

describe('authentication on /subgraph (AUTH_MODE=jwt)', () => {
  let idp: TestIdp;
  let stack: TestStack;
  beforeAll(async () => {
    idp = await startTestIdp();
    stack = await startTestStack({
      emulator: { dataset: twoFleets(2) },
      authenticator: idp.authenticator(),
      subgraph: { secret: SECRET },
      live: { intervalMs: 100 },
    });
  });
  afterAll(async () => {
    for (const client of clients.splice(0)) await client.dispose();
    await stack.close();
    await idp.close();
  });

  it('takes the token the router forwards in connectionParams or on the upgrade request', async () => {
    const token = await idp.mint({ appstream_stacks: ['s1'] });
    const secret = { 'x-subgraph-secret': SECRET };
    for (const client of [
      subgraphClient(stack.url, secret, { connectionParams: { authorization: `Bearer ${token}` } }),
      subgraphClient(stack.url, { ...secret, authorization: `Bearer ${token}` }),
    ]) {
      const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
      await sub.waitForEvents(1);
      expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
      sub.unsubscribe();
    }
  });

  it('closes the connection with 4403 without a token, before any upstream call', async () => {
    stack.emulator.calls.reset();
    const closes: number[] = [];
    const client = subgraphClient(
      stack.url,
      { 'x-subgraph-secret': SECRET },
      { on: { closed: (event) => closes.push((event as { code: number }).code) } },
    );
    const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.ended();
    expect(closes).toEqual([4403]);
    expect(sub.events).toEqual([]);
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
