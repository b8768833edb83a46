import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { ErrorCode, GatewayError } from '../errors.js';
import { decorateUpstream } from './decorate.js';
import type { Upstream } from './types.js';

/** What `/readyz`, logs and metrics show of a breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  readonly region: string;
  readonly state: BreakerState;
  /** While open: seconds until a probe call is let through. */
  readonly retryAfter?: number;
}

export interface CircuitBreakerOptions {
  /** The region this breaker guards (one breaker per region), for logs and `/readyz`. */
  readonly region: string;
  /** Consecutive failed calls that open the breaker (default 5). */
  readonly failureThreshold?: number;
  /** How long the breaker stays open before it lets one probe call through (default 10 000 ms). */
  readonly halfOpenAfterMs?: number;
  /** Told of every state change (the composition root logs it; metrics may count it). */
  readonly onStateChange?: (snapshot: BreakerSnapshot) => void;
}

/** An upstream guarded by a circuit breaker, with a way to read the breaker's state. */
export interface BreakerUpstream extends Upstream {
  breaker(): BreakerSnapshot;
}

/**
 * Whether a failure says AppStream is unhealthy: throttling, 5xx, timeouts and unreachable
 * endpoints (all mapped to these two codes). Not-found, validation and stale-token errors are the
 * caller's, and never open the breaker.
 */
export const isUpstreamFailure = (error: unknown): boolean =>
  error instanceof GatewayError &&
  (error.code === ErrorCode.UPSTREAM_THROTTLED || error.code === ErrorCode.UPSTREAM_UNAVAILABLE);

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Wraps an upstream in a circuit breaker (cockatiel). It opens after `failureThreshold`
 * consecutive {@link isUpstreamFailure upstream failures}; while open, every call fails at once
 * with `UPSTREAM_UNAVAILABLE` and `retryAfter` (seconds), making no upstream call. After
 * `halfOpenAfterMs` one call is let through as a probe (others keep failing fast): its success
 * closes the breaker, its failure opens it again. Create one per region, once per process.
 */
export function createCircuitBreakerUpstream(
  upstream: Upstream,
  options: CircuitBreakerOptions,
): BreakerUpstream {
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 10_000;
  const policy = circuitBreaker(handleWhen(isUpstreamFailure), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.failureThreshold ?? 5),
  });
  let openedAt = 0;

  const snapshot = (): BreakerSnapshot => {
    const state = STATES[policy.state];
    if (state !== 'open') return { region: options.region, state };
    const retryAfter = Math.max(1, Math.ceil((openedAt + halfOpenAfterMs - Date.now()) / 1000));
    return { region: options.region, state, retryAfter };
  };
  policy.onBreak(() => {
    openedAt = Date.now();
  });
  policy.onStateChange(() => options.onStateChange?.(snapshot()));

  const guarded = decorateUpstream(upstream, async (call, next) => {
    const operation = call.operation;
    try {
      return await policy.execute(() => next());
    } catch (error: unknown) {
      if (!(error instanceof BrokenCircuitError)) throw error;
      const retryAfter = snapshot().retryAfter ?? 1;
      throw new GatewayError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        `AppStream is failing, so the gateway is not calling ${operation} for now; retry in ` +
          `${retryAfter} s.`,
        { cause: error, extensions: { retryAfter } },
      );
    }
  });
  return { ...guarded, breaker: snapshot };
}
