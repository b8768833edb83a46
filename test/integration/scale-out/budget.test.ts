import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator, datasetBuilder } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { describeWithRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { eventually, startReplica } from './support.js';
import type { Replica } from './support.js';

const USERS = 120;
const RATE = 20;
const BURST = 10;
const dataset = datasetBuilder()
  .stack('s1')
  .fleet('f1')
  .associate('s1', 'f1')
  .sessions('s1', 'f1', 2 * USERS, (i) => ({
    UserId: `user${i % USERS}@example.com`,
    AuthenticationType: 'API',
  }))
  .build();
const QUERY = `query($user: String!) {
  sessions(stackName: "s1", fleetName: "f1", userId: $user, authenticationType: API, first: 1) {
    nodes { sessionId userId }
  }
}`;

/** Calls per one-second window at the emulator, windows counted from the first call. */
function callsPerWindow(emulator: Emulator): number[] {
  const times = emulator.calls.list().map((call) => call.receivedAt);
  const first = Math.min(...times);
  const windows = new Array<number>(Math.floor((Math.max(...times) - first) / 1000) + 1).fill(0);
  for (const time of times) {
    const index = Math.floor((time - first) / 1000);
    windows[index] = (windows[index] ?? 0) + 1;
  }
  return windows;
}

/** Granted calls that waited for their slot, from one replica's `/metrics`. */
function waitedCalls(metrics: string): number {
  const count = /^gateway_upstream_rate_budget_wait_seconds_count (\d+)$/m.exec(metrics)?.[1];
  const immediate = /^gateway_upstream_rate_budget_wait_seconds_bucket\{le="0"\} (\d+)$/m.exec(
    metrics,
  )?.[1];
  return Number(count ?? 0) - Number(immediate ?? 0);
}

describeWithRedis('one rate budget shared by three replicas through Redis', () => {
  let redis: TestRedis;
  let emulator: Emulator;
  let replicas: Replica[];
  const replica = (i: number): Replica => {
    const found = replicas[i % replicas.length];
    if (found === undefined) throw new Error('no replica');
    return found;
  };

  beforeAll(async () => {
    redis = await startRedis();
    emulator = createEmulator({ dataset });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    replicas = await Promise.all(
      [0, 1, 2].map(() =>
        startReplica({
          emulatorUrl: url,
          redisUrl: redis.url,
          rate: { ratePerSecond: RATE, burst: BURST },
          pageCacheTtlMs: 5000,
          deadlineMs: 4000,
        }),
      ),
    );
    await eventually(() =>
      replicas.every((replica) => replica.link?.status().state === 'connected'),
    );
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await emulator.close();
    await redis.stop();
  });

  it('keeps a burst of 120 distinct pages within 20 calls/s summed over the replicas', async () => {
    for (const each of replicas) {
      expect((await each.readyz()).body).toMatchObject({
        upstream: { redis: { state: 'connected', budget: 'shared' } },
      });
    }
    // Warm each replica's SDK client (its first call loads modules and opens a connection, which
    // would hold back the first granted calls and bunch them at the emulator), then let the bucket
    // refill.
    for (const [i, each] of replicas.entries()) {
      expect((await each.graphql(QUERY, { user: `warm${i}@example.com` })).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    emulator.calls.reset();
    const responses = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        replica(i).graphql<{ sessions: { nodes: { userId: string }[] } | null }>(QUERY, {
          user: `user${i}@example.com`,
        }),
      ),
    );
    let ok = 0;
    let throttled = 0;
    let late = 0;
    responses.forEach((response, i) => {
      expect(response.status).toBe(200);
      if (response.errors === undefined) {
        expect(response.data?.sessions?.nodes[0]?.userId).toBe(`user${i}@example.com`);
        ok += 1;
        return;
      }
      expect(response.errors).toHaveLength(1);
      // On a loaded machine a call that got its slot may still outlive its deadline: the
      // documented UPSTREAM_UNAVAILABLE of a deadline, never anything else.
      if (response.errors[0]?.extensions?.code === 'UPSTREAM_UNAVAILABLE') {
        expect(response.errors[0].message).toContain("within this request's upstream deadline");
        late += 1;
        return;
      }
      expect(response.errors[0]?.extensions?.code).toBe('UPSTREAM_THROTTLED');
      expect(response.errors[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
      throttled += 1;
    });
    // Each answered query made exactly one call; refused ones made none.
    const calls = emulator.calls.count('DescribeSessions');
    expect(calls).toBeGreaterThanOrEqual(ok);
    expect(calls).toBeLessThanOrEqual(ok + late);
    expect(ok + throttled + late).toBe(USERS);
    expect(ok).toBeGreaterThan(2 * RATE);
    // The budget did the spacing (calls waited for slots or were refused), not a slow arrival.
    let heldBack = throttled;
    for (const each of replicas) heldBack += waitedCalls(await each.metrics());
    expect(heldBack).toBeGreaterThan(0);

    // Any run of k one-second windows holds at most RATE × (k + 1) calls: one window of slack
    // (the budget itself promises BURST + RATE × k).
    const windows = callsPerWindow(emulator);
    for (let from = 0; from < windows.length; from++) {
      let sum = 0;
      for (let to = from; to < windows.length; to++) {
        sum += windows[to] ?? 0;
        expect(sum, `windows ${from}..${to}: ${windows.join(', ')}`).toBeLessThanOrEqual(
          RATE * (to - from + 2),
        );
      }
    }
    const metrics = await replica(0).metrics();
    expect(metrics).toMatch(/gateway_upstream_rate_budget_total\{[^}]*result="granted"[^}]*\} \d+/);
    expect(metrics).toMatch(/gateway_redis_available 1/);
  });
});
