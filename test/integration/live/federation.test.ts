import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { loadTypeDefs } from '../../../src/server/schema.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';

/** The SDL the router composes, and the path it sends subscriptions to over graphql-ws. */
const SUBGRAPH = { sdl: () => loadTypeDefs().join('\n'), path: '/graphql' };

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

describe('through a federation gateway (Hive Gateway)', () => {
  let stack: TestStack;
  let router: ReturnType<typeof createGatewayRuntime>;
  let routerServer: Server;
  let routerUrl: string;

  beforeAll(async () => {
    const dataset = datasetBuilder()
      .stack('s1')
      .fleet('f1')
      .associate('s1', 'f1')
      .sessions('s1', 'f1', 2)
      .build();
    stack = await startTestStack({ emulator: { dataset }, live: { intervalMs: 100 } });
    const composed = composeServices([
      { name: 'appstream', typeDefs: parse(SUBGRAPH.sdl()), url: `${stack.url}${SUBGRAPH.path}` },
    ]);
    if (composed.errors !== undefined && composed.errors.length > 0) {
      throw new Error(composed.errors.map(String).join('\n'));
    }
    if (composed.supergraphSdl === undefined) throw new Error('no supergraph');
    router = createGatewayRuntime({
      supergraph: composed.supergraphSdl,
      transportEntries: {
        '*.http': { options: { subscriptions: { kind: 'ws', location: SUBGRAPH.path } } },
      },
      logging: 'error',
    });
    routerServer = createServer((req, res) => void router(req, res));
    await new Promise<void>((resolve) => routerServer.listen(0, '127.0.0.1', resolve));
    routerUrl = `http://127.0.0.1:${(routerServer.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => routerServer.close(resolve));
    await router.dispose();
    await stack.close();
  });

  it('passes a subscription through to the gateway over graphql-ws and streams its events', async () => {
    const response = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription { sessionEvents(stackName: "s1", fleetName: "f1") {
          kind session { sessionId fleet { name } } snapshot(first: 5) { totalCount } } }`,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    let added: string | undefined;
    const events = await readEvents(
      response,
      (received) => received.length >= 2,
      (received) => {
        if (received.length === 1) {
          added = stack.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' }).Id;
        }
      },
    );
    expect(events).toEqual([
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
    ]);
    // The router's subscription ends with the client's: the gateway stops polling.
    await expect.poll(() => stack.gateway.live.stats().pollers, { timeout: 10_000 }).toBe(0);
  });
});
