import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { describeWithRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { eventually, KEY_PREFIX, startReplica } from './support.js';
import type { Replica } from './support.js';

const QUERY = `query($user: String!) {
  sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson",
           userId: $user, authenticationType: API, first: 5) {
    nodes { sessionId }
  }
}`;

/** Keeps Redis busy (every other client waits) for ARGV[1] milliseconds. */
const BUSY_SCRIPT = `
local t = redis.call('TIME')
local stop = t[1] * 1000000 + t[2] + tonumber(ARGV[1]) * 1000
repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= stop
return 1
`;

/** A logger whose JSON lines are kept, to count what was said. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describeWithRedis('Redis stopped mid-run and restarted', () => {
  let redis: TestRedis;
  let emulator: Emulator;
  const logs = [capturingLogger(), capturingLogger()];
  let replicas: [Replica, Replica];
  const calls = () => emulator.calls.count('DescribeSessions');
  const said = (index: number, text: string) =>
    logs[index]?.lines.filter((line) => line.msg.startsWith(text)).length;
  const states = () => replicas.map((replica) => replica.link?.status().state);

  beforeAll(async () => {
    redis = await startRedis();
    emulator = createEmulator();
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const start = (index: number) =>
      startReplica({
        emulatorUrl: url,
        redisUrl: redis.url,
        rate: { ratePerSecond: 20, burst: 20 },
        pageCacheTtlMs: 60_000,
        probeIntervalMs: 200,
        logger: logs[index]?.logger ?? pino({ level: 'silent' }),
      });
    replicas = [await start(0), await start(1)];
    await eventually(() => states().every((state) => state === 'connected'));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await emulator.close();
    await redis.stop();
  });

  it('keeps every response well-formed, reports the fallback once, and shares again after', async () => {
    const [a, b] = replicas;
    const ask = async (replica: Replica, user: string) => {
      const response = await replica.graphql(QUERY, { user });
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toHaveProperty('sessions.nodes');
    };
    await ask(a, 'before@example.com');
    await ask(b, 'before@example.com');
    expect(calls()).toBe(1);

    await redis.stop();
    for (let i = 0; i < 10; i++) await ask(i % 2 === 0 ? a : b, `during${i}@example.com`);
    await eventually(() => states().every((state) => state === 'unavailable'));
    for (let i = 10; i < 20; i++) await ask(i % 2 === 0 ? a : b, `during${i}@example.com`);
    // Each replica caches for itself meanwhile: a page is fetched once per replica at most.
    await ask(a, 'during0@example.com');
    expect(calls()).toBe(21);
    for (const replica of replicas) {
      const ready = await replica.readyz();
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ready',
        upstream: {
          breakers: [{ state: 'closed' }],
          redis: { state: 'unavailable', budget: 'per-process', pageCache: 'per-process' },
        },
      });
      const metrics = await replica.metrics();
      expect(metrics).toMatch(/^gateway_redis_available 0$/m);
      expect(metrics).toMatch(/^gateway_redis_fallbacks_total 1$/m);
    }
    expect(said(0, 'Redis is unavailable')).toBe(1);
    expect(said(1, 'Redis is unavailable')).toBe(1);

    await redis.start();
    await eventually(() => states().every((state) => state === 'connected'));
    expect(said(0, 'Redis answers again')).toBe(1);
    expect(said(1, 'Redis answers again')).toBe(1);
    for (const replica of replicas) {
      expect((await replica.readyz()).body).toMatchObject({
        upstream: { redis: { state: 'connected', budget: 'shared', pageCache: 'shared' } },
      });
      expect(await replica.metrics()).toMatch(/^gateway_redis_available 1$/m);
    }

    const before = calls();
    await ask(a, 'after@example.com');
    await ask(b, 'after@example.com');
    expect(calls()).toBe(before + 1);
    const client = new Redis(redis.url);
    try {
      expect(await client.keys(`${KEY_PREFIX}budget:*`)).toHaveLength(1);
    } finally {
      client.disconnect();
    }
  });

  it('falls back while Redis is too slow to answer, and shares again once it answers', async () => {
    const blocker = new Redis(redis.url);
    try {
      const busy = blocker.eval(BUSY_SCRIPT, 0, 1500);
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const [i, replica] of replicas.entries()) {
        const response = await replica.graphql(QUERY, { user: `slow${i}@example.com` });
        expect(response.status).toBe(200);
        expect(response.errors).toBeUndefined();
      }
      expect(states()).toEqual(['unavailable', 'unavailable']);
      await busy;
      await eventually(() => states().every((state) => state === 'connected'));
      for (const replica of replicas) {
        expect(await replica.metrics()).toMatch(/^gateway_redis_fallbacks_total 2$/m);
        expect(await replica.metrics()).toMatch(/^gateway_redis_errors_total [1-9]/m);
      }
    } finally {
      blocker.disconnect();
    }
  });
});
