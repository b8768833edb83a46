import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { SUBGRAPH_SECRET_HEADER } from '../../../src/policy/subgraph-secret.js';
import { SUBGRAPH_PATH } from '../../../src/server/subgraph.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { startTestIdp } from '../../helpers/idp.js';
import type { TestIdp } from '../../helpers/idp.js';

const SECRET = 'router-shared-secret-for-hive-gateway';

/** Reads server-sent events from `response` until `done` says the collected events suffice. */
async function readEvents(
  response: Response,
  done: (events: unknown[]) => boolean,
  onEvent: (events: unknown[]) => void,
): Promise<unknown[]> {
  const events: unknown[] = [];
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      if (data !== '') {
        events.push(JSON.parse(data));
        onEvent(events);
      }
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

/** The gateway, and Hive Gateway in front of its subgraph endpoint. */
interface Routed {
  readonly stack: TestStack;
  /** The router's GraphQL endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway (`secret`: with `SUBGRAPH_SECRET`; `idp`: with `AUTH_MODE=jwt`), reads the
 * subgraph's SDL from `_service { sdl }` as a registry would, composes it, and runs Hive Gateway
 * in front of `/subgraph`: queries over HTTP, subscriptions over graphql-ws on the same path,
 * the shared secret on both (on the WebSocket upgrade request), and the caller's
 * `Authorization` forwarded in `connectionParams` (and as a header over HTTP).
 */
async function startRouted(options: { secret?: string; idp?: TestIdp } = {}): Promise<Routed> {
  const dataset = datasetBuilder()
    .stack('s1')
    .fleet('f1')
    .associate('s1', 'f1')
    .sessions('s1', 'f1', 2)
    .build();
  const stack = await startTestStack({
    emulator: { dataset },
    live: { intervalMs: 100 },
    ...(options.secret === undefined ? {} : { subgraph: { secret: options.secret } }),
    ...(options.idp === undefined ? {} : { authenticator: options.idp.authenticator() }),
  });
  const secretHeaders: Array<[string, string]> =
    options.secret === undefined ? [] : [[SUBGRAPH_SECRET_HEADER, options.secret]];
  const bearer =
    options.idp === undefined
      ? {}
      : { authorization: `Bearer ${await options.idp.mint({ appstream_stacks: ['*'] })}` };
  const service = await stack.subgraph<{ _service: { sdl: string } }>(
    '{ _service { sdl } }',
    undefined,
    { ...Object.fromEntries(secretHeaders), ...bearer },
  );
  const sdl = service.data?._service.sdl;
  if (sdl === undefined) throw new Error(`no SDL: ${JSON.stringify(service.errors)}`);
  const composed = composeServices([
    { name: 'appstream', typeDefs: parse(sdl), url: stack.gateway.subgraphUrl ?? '' },
  ]);
  if (composed.errors !== undefined && composed.errors.length > 0) {
    throw new Error(composed.errors.map(String).join('\n'));
  }
  if (composed.supergraphSdl === undefined) throw new Error('no supergraph');
  const authorization: Array<[string, string]> = [
    ['authorization', '{context.headers.authorization}'],
  ];
  const router = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    transportEntries: {
      appstream: {
        headers: [...secretHeaders, ...authorization],
        options: {
          subscriptions: {
            kind: 'ws',
            location: SUBGRAPH_PATH,
            headers: secretHeaders,
            options: { connectionParams: Object.fromEntries(authorization) },
          },
        },
      },
    },
    logging: 'error',
  });
  const server: Server = createServer((req, res) => void router(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    stack,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await router.dispose();
      await stack.close();
    },
  };
}

const WATCH = `subscription { sessionEvents(stackName: "s1", fleetName: "f1") {
  kind session { sessionId fleet { name } } snapshot(first: 5) { totalCount } } }`;

/**
 * Subscribes through the router (server-sent events), adds a session once the snapshot is in,
 * and returns the two events with the added session's id.
 */
async function watchThrough(
  routed: Routed,
  headers: Record<string, string> = {},
): Promise<{ events: unknown[]; added: string | undefined }> {
  const response = await fetch(routed.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query: WATCH }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  let added: string | undefined;
  const events = await readEvents(
    response,
    (received) => received.length >= 2,
    (received) => {
      if (received.length === 1) {
        added = routed.stack.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' }).Id;
      }
    },
  );
  return { events, added };
}

const expected = (added: string | undefined) => [
  { data: { sessionEvents: { kind: 'SNAPSHOT', session: null, snapshot: { totalCount: 2 } } } },
  {
    data: {
      sessionEvents: {
        kind: 'APPEARED',
        session: { sessionId: added, fleet: { name: 'f1' } },
        snapshot: null,
      },
    },
  },
];

describe('through a federation gateway (Hive Gateway) in front of /subgraph', () => {
  let routed: Routed;
  beforeAll(async () => {
    routed = await startRouted();
  });
  afterAll(async () => {
    await routed.close();
  });

  it('passes a subscription through to /subgraph over graphql-ws and streams its events', async () => {
    const { events, added } = await watchThrough(routed);
    expect(events).toEqual(expected(added));
    // The router's subscription ends with the client's: the gateway stops polling.
    await expect.poll(() => routed.stack.gateway.live.stats().pollers, { timeout: 10_000 }).toBe(0);
  });
});

describe('through Hive Gateway with SUBGRAPH_SECRET and AUTH_MODE=jwt', () => {
  let idp: TestIdp;
  let routed: Routed;
  beforeAll(async () => {
    idp = await startTestIdp();
    routed = await startRouted({ secret: SECRET, idp });
  });
  afterAll(async () => {
    await routed.close();
    await idp.close();
  });

  it("sends the secret on the upgrade and the caller's token in connectionParams", async () => {
    const token = await idp.mint({ appstream_stacks: ['s1'] });
    const { events, added } = await watchThrough(routed, { authorization: `Bearer ${token}` });
    expect(events).toEqual(expected(added));
    await expect.poll(() => routed.stack.gateway.live.stats().pollers, { timeout: 10_000 }).toBe(0);
  });
});
