import { describe, expect, it } from 'vitest';
import type { FaultError } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import { ONLY_A, TWO, sleep, twoFleets as dataset } from './support.js';

const HALF_OPEN_AFTER_MS = 400;
const THRESHOLD = 3;

const stack = useTestStack({
  emulator: { dataset },
  maxAttempts: 3,
  breaker: { failureThreshold: THRESHOLD, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
  gatewayOptions: {
    budgets: { maxUpstreamCalls: 100, maxResultItems: 10_000, upstreamDeadlineMs: 8000 },
  },
});

const fleet1Calls = () =>
  stack.emulator.calls.count('DescribeSessions', { StackName: 'stack-a', FleetName: 'fleet-1' });

async function readyz(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.url}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe.each([
  ['a throttling burst', 'ThrottlingException', 'UPSTREAM_THROTTLED'],
  ['RequestLimitExceededException', 'RequestLimitExceededException', 'UPSTREAM_THROTTLED'],
  ['5xx', 'http500', 'UPSTREAM_UNAVAILABLE'],
  ['dropped connections', 'drop', 'UPSTREAM_UNAVAILABLE'],
] as const)('%s', (_name, error: FaultError, code) => {
  it('fails only the affected field, within the retry budget, then opens the breaker and recovers', async () => {
    stack.emulator.faults.add({ operation: 'DescribeSessions', fleetName: 'fleet-1', error });

    // 1. Well-formed GraphQL with the documented code; the sibling still resolves.
    const first = await stack.graphql<{ a: unknown; b: { nodes: unknown[] } | null }>(TWO);
    expect(first.status).toBe(200);
    expect(first.data?.a).toBeNull();
    expect(first.data?.b?.nodes).toHaveLength(2);
    expect(first.errors).toHaveLength(1);
    expect(first.errors?.[0]).toMatchObject({ path: ['a'], extensions: { code } });
    if (code === 'UPSTREAM_THROTTLED') {
      expect(first.errors?.[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
    }
    // The SDK's standard mode retried the call: three attempts, no more (no second retry loop).
    expect(fleet1Calls()).toBe(3);

    // 2. Consecutive failures open the breaker (the sibling's success above reset the count).
    for (let i = 1; i < THRESHOLD; i += 1) {
      expect((await stack.graphql(ONLY_A)).errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(stack.breaker()?.state).toBe('open');
    const whileOpen = await readyz();
    expect(whileOpen.status).toBe(200);
    expect(whileOpen.body).toMatchObject({
      status: 'ready',
      upstream: { breakers: [{ region: 'us-east-1', state: 'open' }] },
    });

    // 3. While open: zero upstream calls; every upstream field fails fast with retryAfter.
    stack.emulator.calls.reset();
    const open = await stack.graphql<{ a: unknown; b: unknown }>(TWO);
    expect(open.status).toBe(200);
    expect(open.data).toEqual({ a: null, b: null });
    expect(open.errors?.map((e) => e.extensions)).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', retryAfter: expect.any(Number) },
      { code: 'UPSTREAM_UNAVAILABLE', retryAfter: expect.any(Number) },
    ]);
    expect(stack.emulator.calls.count()).toBe(0);

    // 4. The upstream recovers; after the break a probe goes through and closes the breaker.
    stack.emulator.faults.clear();
    await sleep(HALF_OPEN_AFTER_MS + 50);
    const recovered = await stack.graphql<{ a: { nodes: unknown[] }; b: { nodes: unknown[] } }>(
      TWO,
    );
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data?.a.nodes).toHaveLength(2);
    expect(stack.breaker()?.state).toBe('closed');
    expect((await readyz()).body).toMatchObject({
      upstream: { breakers: [{ state: 'closed' }] },
    });
    // The process stayed up all along.
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
  });
});

describe('validation and not-found errors', () => {
  it('never open the breaker', async () => {
    for (let i = 0; i < THRESHOLD + 2; i += 1) {
      const response = await stack.graphql(
        '{ sessions(stackName: "no-such-stack", fleetName: "fleet-1") { totalCount } }',
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect(stack.breaker()?.state).toBe('closed');
  });
});
