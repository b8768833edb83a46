import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import {
  createMemoryRateLimiter,
  createRateBudgetUpstream,
  gcraReserve,
} from '../../../src/upstream/rate-budget.js';
import type { RateSettings } from '../../../src/upstream/rate-budget.js';
import { createRecordingUpstream } from './recording-upstream.js';

const fleet = { stackName: 'stack-a', fleetName: 'fleet-1' };

describe('gcraReserve', () => {
  it('lets a burst through at once, then one call per interval, never more than burst + rate × t', () => {
    const settings: RateSettings = { ratePerSecond: 20, burst: 5 };
    let tat: number | undefined;
    const starts: number[] = [];
    // 200 callers arrive at once at t = 1000 and each takes the next slot, however far.
    for (let i = 0; i < 200; i++) {
      const result = gcraReserve(settings, tat, 1000, Infinity);
      expect(result.reservation.granted).toBe(true);
      starts.push(1000 + result.reservation.waitMs);
      tat = result.tat;
    }
    expect(starts.slice(0, 5)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(starts[5]).toBeCloseTo(1050);
    for (let from = 0; from < 10_000; from += 10) {
      for (const length of [100, 1000, 3000]) {
        const inside = starts.filter((s) => s >= 1000 + from && s < 1000 + from + length).length;
        expect(inside).toBeLessThanOrEqual(5 + (20 * length) / 1000);
      }
    }
  });

  it('refuses, taking nothing, when the next slot is further away than the wait allowed', () => {
    const settings: RateSettings = { ratePerSecond: 10, burst: 1 };
    const first = gcraReserve(settings, undefined, 0, 0);
    expect(first.reservation).toEqual({ granted: true, waitMs: 0 });
    const refused = gcraReserve(settings, first.tat, 0, 50);
    expect(refused.reservation).toEqual({ granted: false, waitMs: 100 });
    expect(refused.tat).toBe(first.tat);
    expect(gcraReserve(settings, first.tat, 0, 100).reservation).toEqual({
      granted: true,
      waitMs: 100,
    });
  });
});

describe('createRateBudgetUpstream', () => {
  it('waits for a slot within the deadline, and refuses with UPSTREAM_THROTTLED past it', async () => {
    const recording = createRecordingUpstream();
    let now = 0;
    const limiter = createMemoryRateLimiter({ ratePerSecond: 10, burst: 1 }, () => now);
    const budgeted = createRateBudgetUpstream(recording.upstream, {
      limiter,
      key: 'account:region',
      maxWaitMs: 5000,
      now: () => now,
    });
    await budgeted.describeSessions(fleet, null, { deadlineAt: 1000 });
    const waits: Array<[boolean, number]> = [];
    const observer = {
      rateBudget: (_operation: string, granted: boolean, waitMs: number) => {
        waits.push([granted, waitMs]);
      },
    };
    // The next slot is 100 ms away: within a deadline 150 ms away, past one 50 ms away.
    await budgeted.describeSessions(fleet, null, { deadlineAt: 150, observer });
    now = 100;
    const refused = budgeted.describeSessions(fleet, null, { deadlineAt: 120, observer });
    await expect(refused).rejects.toBeInstanceOf(GatewayError);
    await expect(refused).rejects.toMatchObject({
      code: ErrorCode.UPSTREAM_THROTTLED,
      extensions: { retryAfter: 1 },
    });
    expect(recording.calls).toHaveLength(2);
    expect(waits).toEqual([
      [true, 100],
      [false, 100],
    ]);
  });
});
