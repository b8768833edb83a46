import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, GatewayError } from '../errors.js';
import { decorateUpstream } from './decorate.js';
import type { Upstream } from './types.js';

/** A rate of AppStream calls: `ratePerSecond` on average, at most `burst` at once. */
export interface RateSettings {
  /** `UPSTREAM_CALLS_PER_SECOND`: calls per second allowed on average (> 0). */
  readonly ratePerSecond: number;
  /** `UPSTREAM_CALLS_BURST`: calls allowed back to back after a quiet period (>= 1). */
  readonly burst: number;
}

/** What a limiter answers to a reservation. */
export interface Reservation {
  /** Whether a slot was reserved (it starts `waitMs` from now). */
  readonly granted: boolean;
  /** Granted: how long to wait before calling. Refused: how long until a slot would be free. */
  readonly waitMs: number;
}

/**
 * Hands out call slots of a {@link RateSettings rate}, per key (one key per AppStream account
 * and region). Implementations: in memory (per process) and in Redis (shared by replicas).
 */
export interface RateLimiter {
  /**
   * Reserves the next free slot of `key` when it starts within `maxWaitMs`; otherwise reserves
   * nothing and says how long until one would. Never rejects.
   */
  reserve(key: string, maxWaitMs: number): Promise<Reservation>;
}

/**
 * The generic cell rate algorithm (a token bucket kept as one timestamp, the "theoretical arrival
 * time" `tat`), shared by the memory limiter and the Redis script (`src/shared/`), which does the
 * same arithmetic atomically. Calls are spaced `1000 / ratePerSecond` ms apart on average, and
 * up to `burst` may go back to back: over any interval of `t` seconds at most
 * `burst + ratePerSecond × t` slots start. Returns the reservation and the new `tat`.
 */
export function gcraReserve(
  settings: RateSettings,
  tat: number | undefined,
  now: number,
  maxWaitMs: number,
): { readonly reservation: Reservation; readonly tat: number | undefined } {
  const interval = 1000 / settings.ratePerSecond;
  const tolerance = (settings.burst - 1) * interval;
  const start = Math.max(tat ?? now, now);
  const waitMs = Math.max(0, start - tolerance - now);
  if (waitMs > maxWaitMs) return { reservation: { granted: false, waitMs }, tat };
  return { reservation: { granted: true, waitMs }, tat: start + interval };
}

/**
 * The key of the budget of one AppStream account and region. The account is hashed: the key is
 * stored in Redis, and account ids are kept out of everything but the SDK.
 */
export function rateBudgetKey(account: string, region: string): string {
  return `${createHash('sha256').update(account).digest('base64url').slice(0, 16)}:${region}`;
}

/** A per-process {@link RateLimiter} (also the fallback while Redis is unavailable). */
export function createMemoryRateLimiter(
  settings: RateSettings,
  now: () => number = Date.now,
): RateLimiter {
  const tats = new Map<string, number>();
  return {
    reserve(key, maxWaitMs) {
      const at = now();
      const result = gcraReserve(settings, tats.get(key), at, maxWaitMs);
      if (result.tat !== undefined) tats.set(key, result.tat);
      // Entries in the past hold no information: forget them so the map stays small.
      for (const [other, tat] of tats) if (tat < at) tats.delete(other);
      return Promise.resolve(result.reservation);
    },
  };
}

export interface RateBudgetOptions {
  readonly limiter: RateLimiter;
  /** The budget's key: the AppStream account and region this upstream calls. */
  readonly key: string;
  /**
   * Longest wait for a slot when the call carries no deadline (`UPSTREAM_DEADLINE_MS`; pollers).
   * A call with `deadlineAt` waits at most until then.
   */
  readonly maxWaitMs: number;
  /**
   * Time a call needs after its slot (default 0): a call with a deadline takes a slot only when it
   * starts at least this long before the deadline, rather than spend a slot on a call that the
   * deadline would cut short (`UPSTREAM_ATTEMPT_TIMEOUT_MS`, at most half the deadline).
   */
  readonly callAllowanceMs?: number;
  /** The clock of `deadlineAt` (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Holds every call to the rate budget `UPSTREAM_CALLS_PER_SECOND` of one account and region (all
 * replicas together when the limiter is shared). A call waits for its slot when the slot starts
 * `callAllowanceMs` before the call's deadline (`options.deadlineAt`; without one, within
 * `maxWaitMs` from now); otherwise it fails
 * at once with `UPSTREAM_THROTTLED` and `retryAfter` (seconds), taking no slot and making no
 * AppStream call. The wait is reported to the call's observer (`rateBudget`). Place it above the
 * circuit breaker (its refusals are not AppStream failures) and below the caches (hits are free).
 */
export function createRateBudgetUpstream(inner: Upstream, options: RateBudgetOptions): Upstream {
  const now = options.now ?? Date.now;
  return decorateUpstream(inner, async (call, next) => {
    const deadlineAt = call.options?.deadlineAt;
    const remaining =
      deadlineAt === undefined
        ? options.maxWaitMs
        : deadlineAt - now() - (options.callAllowanceMs ?? 0);
    const maxWaitMs = Math.max(0, Math.min(options.maxWaitMs, remaining));
    const { granted, waitMs } = await options.limiter.reserve(options.key, maxWaitMs);
    call.options?.observer?.rateBudget?.(call.operation, granted, waitMs, call.options.region);
    const throttled = (retryAfterMs: number) =>
      new GatewayError(
        ErrorCode.UPSTREAM_THROTTLED,
        `The gateway's AppStream rate budget is spent, so ${call.operation} was not made; retry ` +
          `in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`,
        { extensions: { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) } },
      );
    if (!granted) throw throttled(waitMs);
    if (waitMs > 0) {
      try {
        await sleep(waitMs, undefined, { signal: call.options?.signal });
      } catch {
        throw throttled(waitMs);
      }
    }
    return next();
  });
}
