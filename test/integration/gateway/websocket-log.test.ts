import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import { record, waitUntil, wsClient } from '../live/helpers.js';

/** Every log line the gateway writes during this file, parsed. */
const lines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'info' },
  { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
);

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 30)
  .build();
const stack = useTestStack({ emulator: { dataset }, logger });

const operationLines = (name: string) =>
  lines.filter((line) => line.msg === 'GraphQL operation' && line.operation === name);

/** Runs one operation over WebSocket; resolves with its results and errors. */
async function overSocket(
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
) {
  const client = wsClient(stack.url);
  try {
    const results: unknown[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query, variables, ...(operationName === undefined ? {} : { operationName }) },
        {
          next: (result) => results.push(result),
          error: (error: unknown) => {
            errors.push(error);
            resolve();
          },
          complete: resolve,
        },
      );
    });
    return { results, errors };
  } finally {
    await client.dispose();
  }
}

/**
 * A bare graphql-transport-ws connection, acknowledged: `send` writes protocol messages as given,
 * several in one call reaching the server together (this process writes them before the
 * gateway, in the same process, can read any).
 */
async function rawSocket() {
  const socket = new WebSocket(
    `${stack.url.replace(/^http/, 'ws')}/graphql`,
    'graphql-transport-ws',
  );
  const received: Array<{ id?: string; type: string }> = [];
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString()) as { id?: string; type: string });
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await waitUntil(() => received.some((message) => message.type === 'connection_ack'), 'the ack');
  return {
    received,
    send: (...messages: object[]) => {
      for (const message of messages) socket.send(JSON.stringify(message));
    },
    close: () => socket.close(),
  };
}

const metricLine = async (name: string) =>
  (await (await fetch(`${stack.url}/metrics`)).text())
    .split('\n')
    .find(
      (line) =>
        line.startsWith('gateway_operation_duration_seconds_count') &&
        line.includes(`operation="${name}"`),
    );

describe('operations over WebSocket write the log line, metrics and span of HTTP operations', () => {
  it('logs a query with its transport, type, upstream calls and no variables', async () => {
    lines.length = 0;
    const { results } = await overSocket(
      'query WsPage($stack: String!) { sessions(stackName: $stack, fleetName: "fleet-1", first: 5) { edges { node { sessionId } } } }',
      { stack: 'stack-a' },
    );
    expect(results).toHaveLength(1);
    await waitUntil(() => operationLines('WsPage').length === 1, 'the log line');
    expect(operationLines('WsPage')[0]).toMatchObject({
      operationType: 'query',
      transport: 'websocket',
      upstreamCalls: 1,
      errorCodes: [],
    });
    expect(JSON.stringify(lines)).not.toContain('stack-a');
    expect(await metricLine('WsPage')).toMatch(/outcome="ok"\} 1$/);
  });

  it('logs the error codes a query answered with', async () => {
    lines.length = 0;
    await overSocket(
      'query WsBadCursor { sessions(stackName: "stack-a", fleetName: "fleet-1", after: "not-a-cursor") { totalCount } }',
    );
    await waitUntil(() => operationLines('WsBadCursor').length === 1, 'the log line');
    expect(operationLines('WsBadCursor')[0]).toMatchObject({
      transport: 'websocket',
      errorCodes: ['BAD_USER_INPUT'],
    });
  });

  it('logs a document refused before it runs, once, without the name its client sent', async () => {
    lines.length = 0;
    const { errors } = await overSocket('query WsInvalid { noSuchField }', {}, 'WsInvalid');
    expect(errors).toHaveLength(1);
    const refused = () =>
      lines.filter((line) => line.msg === 'GraphQL operation' && line.transport === 'websocket');
    await waitUntil(() => refused().length === 1, 'the log line');
    // As over HTTP, where a refused document's line has no name either.
    expect(refused()[0]).toMatchObject({
      operation: null,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(refused()).toHaveLength(1);
  });

  it('logs a subscription when it ends, without observing its lifetime as latency', async () => {
    lines.length = 0;
    const client = wsClient(stack.url);
    try {
      const subscription = record(
        client,
        'subscription WsWatch { sessionEvents(stackName: "stack-a", fleetName: "fleet-1") { kind } }',
      );
      await subscription.waitForEvents(1);
      expect(operationLines('WsWatch')).toHaveLength(0);
      subscription.unsubscribe();
      await waitUntil(() => operationLines('WsWatch').length === 1, 'the log line');
      expect(operationLines('WsWatch')[0]).toMatchObject({
        operationType: 'subscription',
        transport: 'websocket',
      });
      expect(await metricLine('WsWatch')).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });

  it('ends an operation whose connection closed before it finished', async () => {
    lines.length = 0;
    const client = wsClient(stack.url);
    const subscription = record(
      client,
      'subscription WsDropped { sessionEvents(stackName: "stack-a", fleetName: "fleet-1") { kind } }',
    );
    await subscription.waitForEvents(1);
    await client.dispose();
    await waitUntil(() => operationLines('WsDropped').length === 1, 'the log line');
  });

  it('logs a refused document at once even when the client completed it mid-start', async () => {
    lines.length = 0;
    const socket = await rawSocket();
    try {
      socket.send(
        {
          id: '1',
          type: 'subscribe',
          payload: { query: 'query WsCancelled { noSuchField }', operationName: 'WsCancelled' },
        },
        { id: '1', type: 'complete' },
      );
      // graphql-ws sends no error for an operation completed first: the line must not wait for
      // the connection to close (a refused document's line carries no name).
      const refused = () =>
        lines.filter((line) => line.msg === 'GraphQL operation' && line.transport === 'websocket');
      await waitUntil(() => refused().length === 1, 'the log line', 2000);
      expect(refused()[0]).toMatchObject({ errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
    } finally {
      socket.close();
    }
  });

  it('logs each operation once when the client reuses an id it completed mid-start', async () => {
    lines.length = 0;
    const socket = await rawSocket();
    const query = (name: string) =>
      `query ${name} { sessions(stackName: "stack-a", fleetName: "fleet-1", first: 2) { totalCount } }`;
    try {
      socket.send(
        { id: 'x', type: 'subscribe', payload: { query: query('WsFirst') } },
        { id: 'x', type: 'complete' },
        { id: 'x', type: 'subscribe', payload: { query: query('WsSecond') } },
      );
      // graphql-ws runs both (the second makes the id live again for the first).
      await waitUntil(
        () => operationLines('WsFirst').length + operationLines('WsSecond').length >= 2,
        'two log lines',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(operationLines('WsFirst')).toHaveLength(1);
      expect(operationLines('WsSecond')).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('gives the operations of one connection request ids that group them', async () => {
    lines.length = 0;
    // One connection for both (a lazy client closes it as soon as nothing runs).
    const client = wsClient(stack.url, { lazyCloseTimeout: 60_000 });
    const run = (name: string) =>
      new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: `query ${name} { stacks(first: 1) { nodes { name } } }` },
          { next: () => undefined, error: reject, complete: resolve },
        );
      });
    try {
      await run('WsFirst');
      await run('WsSecond');
    } finally {
      await client.dispose();
    }
    await overSocket('query WsOther { stacks(first: 1) { nodes { name } } }');
    await waitUntil(() => operationLines('WsOther').length === 1, 'the log lines');
    const id = (name: string) => String(operationLines(name)[0]?.requestId);
    const [connection] = id('WsFirst').split('/');
    expect(id('WsFirst')).toMatch(/^[0-9a-f-]{36}\/1$/);
    expect(id('WsSecond')).toBe(`${String(connection)}/2`);
    expect(id('WsOther')).toMatch(/^[0-9a-f-]{36}\/1$/);
    expect(id('WsOther')).not.toBe(id('WsFirst'));
  });

  it('logs the errors of a result at the levels HTTP logs them', async () => {
    lines.length = 0;
    stack.emulator.faults.add({ operation: 'DescribeSessions', error: 'http500' });
    const { results } = await overSocket(
      'query WsFailing { sessions(stackName: "stack-a", fleetName: "fleet-1", first: 1) { totalCount } }',
    );
    expect(JSON.stringify(results)).toContain('UPSTREAM_UNAVAILABLE');
    await waitUntil(() => operationLines('WsFailing').length === 1, 'the log line');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'GraphQL error',
        operation: 'WsFailing',
        error: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }),
      }),
    );
  });
});
