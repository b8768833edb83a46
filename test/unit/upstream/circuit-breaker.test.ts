import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createCircuitBreakerUpstream } from '../../../src/upstream/circuit-breaker.js';
import type { BreakerSnapshot } from '../../../src/upstream/circuit-breaker.js';
import type { Upstream } from '../../../src/upstream/types.js';

/** A recording fake upstream whose describeStacks fails with `failure` while it is set. */
function fakeUpstream() {
  const state = { calls: 0, failure: undefined as GatewayError | undefined };
  const page = { items: [], nextToken: null };
  const run = () => {
    state.calls += 1;
    return state.failure === undefined ? Promise.resolve(page) : Promise.reject(state.failure);
  };
  const upstream: Upstream = {
    describeSessions: run,
    describeStacks: run,
    describeFleets: run,
    listAssociatedFleets: run,
    listAssociatedStacks: run,
  };
  return { upstream, state };
}

const unavailable = new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'down');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createCircuitBreakerUpstream', () => {
  it('opens after consecutive upstream failures, fails fast, probes, and closes', async () => {
    const { upstream, state } = fakeUpstream();
    const changes: BreakerSnapshot[] = [];
    const breaker = createCircuitBreakerUpstream(upstream, {
      region: 'eu-west-1',
      failureThreshold: 2,
      halfOpenAfterMs: 100,
      onStateChange: (snapshot) => changes.push(snapshot),
    });
    state.failure = unavailable;
    await expect(breaker.describeStacks(null, null)).rejects.toBe(unavailable);
    await expect(breaker.describeFleets(null, null)).rejects.toBe(unavailable);
    expect(breaker.breaker()).toEqual({ region: 'eu-west-1', state: 'open', retryAfter: 1 });

    const before = state.calls;
    const refused = await breaker
      .describeSessions({ stackName: 'a', fleetName: 'b' }, null)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      extensions: { retryAfter: 1 },
    });
    expect(state.calls).toBe(before);

    await sleep(120);
    state.failure = undefined;
    await expect(breaker.listAssociatedFleets('a', null)).resolves.toEqual({
      items: [],
      nextToken: null,
    });
    expect(breaker.breaker().state).toBe('closed');
    expect(changes.map((change) => change.state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens when the probe fails', async () => {
    const { upstream, state } = fakeUpstream();
    const breaker = createCircuitBreakerUpstream(upstream, {
      region: 'r',
      failureThreshold: 1,
      halfOpenAfterMs: 50,
    });
    state.failure = unavailable;
    await expect(breaker.describeStacks(null, null)).rejects.toBe(unavailable);
    await sleep(70);
    await expect(breaker.describeStacks(null, null)).rejects.toBe(unavailable);
    expect(breaker.breaker().state).toBe('open');
  });

  it('never opens on not-found or bad input', async () => {
    const { upstream, state } = fakeUpstream();
    const breaker = createCircuitBreakerUpstream(upstream, { region: 'r', failureThreshold: 1 });
    for (const code of [ErrorCode.NOT_FOUND, ErrorCode.BAD_USER_INPUT]) {
      state.failure = new GatewayError(code, 'caller error');
      await expect(breaker.describeStacks(['x'], null)).rejects.toMatchObject({ code });
    }
    expect(breaker.breaker().state).toBe('closed');
  });
});
