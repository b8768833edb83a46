import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';
import { ONLY_A, TWO, sleep, twoFleets as dataset } from './support.js';

const DEADLINE_MS = 300;
/** Far above the deadline, so that only the deadline can explain an earlier answer. */
const SLOW_MS = 4000;

describe('latency above the upstream deadline', () => {
  const stack = useTestStack({
    emulator: { dataset },
    maxAttempts: 3,
    // The per-attempt timeout is far above the deadline: only the deadline can cut the call.
    upstreamOptions: { requestTimeoutMs: 10_000 },
    breaker: { failureThreshold: 2, halfOpenAfterMs: 1500 },
    gatewayOptions: {
      budgets: { maxUpstreamCalls: 100, maxResultItems: 10_000, upstreamDeadlineMs: DEADLINE_MS },
    },
  });
  const fleet1 = { StackName: 'stack-a', FleetName: 'fleet-1' };

  it('fails the slow field with UPSTREAM_UNAVAILABLE at the deadline; no retry outlives the request', async () => {
    stack.emulator.faults.add({
      operation: 'DescribeSessions',
      fleetName: 'fleet-1',
      latencyMs: SLOW_MS,
    });
    const started = performance.now();
    const response = await stack.graphql<{ a: unknown; b: { nodes: unknown[] } }>(TWO);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(response.data?.a).toBeNull();
    expect(response.data?.b.nodes).toHaveLength(2);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['a'],
        message: expect.stringContaining('deadline'),
        extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfter: 1 },
      }),
    ]);
    // The answer came before the slow upstream answered at all (let alone its retries).
    expect(elapsed).toBeLessThan(SLOW_MS);
    // One attempt reached AppStream, and nothing more arrives after the request ended.
    await sleep(SLOW_MS + 200);
    expect(stack.emulator.calls.count('DescribeSessions', fleet1)).toBe(1);
  });

  it('opens the breaker on repeated timeouts, then recovers', async () => {
    stack.emulator.faults.add({
      operation: 'DescribeSessions',
      fleetName: 'fleet-1',
      latencyMs: 1000,
    });
    for (let i = 0; i < 2; i += 1) {
      expect((await stack.graphql(ONLY_A)).errors?.[0]?.extensions?.code).toBe(
        'UPSTREAM_UNAVAILABLE',
      );
    }
    expect(stack.breaker()?.state).toBe('open');
    // Let the abandoned slow calls finish at the emulator, so that only new calls are counted.
    await sleep(1100);
    stack.emulator.calls.reset();
    expect((await stack.graphql(ONLY_A)).errors?.[0]?.message).toContain('not calling');
    expect(stack.emulator.calls.count()).toBe(0);
    stack.emulator.faults.clear();
    await sleep(500);
    expect((await stack.graphql(ONLY_A)).errors).toBeUndefined();
    expect(stack.breaker()?.state).toBe('closed');
  });
});
