import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { startTestIdp } from '../../helpers/idp.js';
import type { TestIdp } from '../../helpers/idp.js';
import { describeEvents, record, SESSION_EVENTS, waitUntil, wsClient } from './helpers.js';

const dataset = () =>
  datasetBuilder()
    .stack('A')
    .stack('B')
    .fleet('f1')
    .associate('A', 'f1')
    .associate('B', 'f1')
    .sessions('A', 'f1', 2)
    .sessions('B', 'f1', 2)
    .build();

describe('subscriptions with AUTH_MODE=jwt', () => {
  let idp: TestIdp;
  let stack: TestStack;
  const clients: Client[] = [];
  beforeAll(async () => {
    idp = await startTestIdp();
    stack = await startTestStack({
      emulator: { dataset: dataset() },
      authenticator: idp.authenticator(),
      live: { intervalMs: 100 },
      expiryGraceMs: 0,
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await stack.close();
    await idp.close();
  });

  /** A client whose connection closes are recorded (code and reason). */
  function connect(connectionParams?: Record<string, unknown>) {
    const closes: Array<{ code: number; reason: string }> = [];
    const client = wsClient(stack.url, {
      ...(connectionParams === undefined ? {} : { connectionParams }),
      on: {
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          closes.push({ code, reason });
        },
      },
    });
    clients.push(client);
    return { client, closes };
  }

  it('authenticates at connection_init with the token in connectionParams', async () => {
    const token = await idp.mint({ appstream_stacks: ['A'] });
    const { client } = connect({ authorization: `Bearer ${token}` });
    const sub = record(client, SESSION_EVENTS, { stack: 'A', fleet: 'f1' });
    await sub.waitForEvents(1);
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
    sub.unsubscribe();
  });

  it('refuses a missing, invalid or expired token with 4403 and a reason, before any call', async () => {
    stack.emulator.calls.reset();
    const cases = [
      undefined,
      { authorization: 'Bearer not-a-jwt' },
      { token: await idp.mint({ appstream_stacks: ['*'] }, { expiresIn: -120 }) },
      { token: await idp.mint({ appstream_stacks: ['*'] }, { audience: 'someone-else' }) },
    ];
    const reasons: string[] = [];
    for (const params of cases) {
      const { client, closes } = connect(params);
      const sub = record(client, SESSION_EVENTS, { stack: 'A', fleet: 'f1' });
      await sub.ended();
      expect(closes).toHaveLength(1);
      expect(closes[0]!.code).toBe(4403);
      expect(closes[0]!.reason).not.toMatch(/eyJ/);
      expect(sub.events).toEqual([]);
      reasons.push(closes[0]!.reason);
    }
    expect(reasons[0]).toBe(
      'Authentication required: send connectionParams {"authorization": "Bearer <token>"} or an ' +
        'Authorization header.',
    );
    expect(reasons[2]).toMatch(/expired/i);
    expect(reasons[3]).toMatch(/audience/i);
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('refuses a stack outside the allow-list as NOT_FOUND, with no upstream call', async () => {
    const token = await idp.mint({ appstream_stacks: ['A'] });
    const { client } = connect({ token });
    const before = stack.emulator.calls.count('DescribeSessions', { StackName: 'B' });
    const sub = record(client, SESSION_EVENTS, { stack: 'B', fleet: 'f1' });
    await sub.ended();
    expect(sub.errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(sub.errors[0]!.message).toBe('AppStream has no stack "B".');
    expect(stack.emulator.calls.count('DescribeSessions', { StackName: 'B' })).toBe(before);
    expect(stack.gateway.live.stats().pollers).toBe(0);
  });

  it('closes the socket with 4403 when the token expires', async () => {
    const token = await idp.mint({ appstream_stacks: ['A'] }, { expiresIn: 2 });
    const { client, closes } = connect({ token });
    const sub = record(client, SESSION_EVENTS, { stack: 'A', fleet: 'f1' });
    await sub.waitForEvents(1);
    await waitUntil(() => closes.length > 0, 'the socket to close', 15_000);
    expect(closes[0]!.code).toBe(4403);
    expect(closes[0]!.reason).toMatch(/token expired/);
    await waitUntil(
      () => stack.gateway.live.stats().subscriptions === 0,
      'the subscription to end',
    );
  });

  it('accepts the token in the upgrade request Authorization header', async () => {
    const token = await idp.mint({ appstream_stacks: ['*'] });
    const { WebSocket } = await import('ws');
    class WithHeader extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { authorization: `Bearer ${token}` } });
      }
    }
    const client = wsClient(stack.url, { webSocketImpl: WithHeader });
    clients.push(client);
    const sub = record(client, SESSION_EVENTS, { stack: 'B', fleet: 'f1' });
    await sub.waitForEvents(1);
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
    sub.unsubscribe();
  });
});
