import { ErrorCode, GatewayError } from '../errors.js';
import { decorateUpstream } from './decorate.js';
import type { UpstreamCall, UpstreamNext } from './decorate.js';
import type { Upstream } from './types.js';

/**
 * Coalesces identical upstream calls in flight at the same moment, across requests: many
 * dashboards polling the same fleet cost one call per distinct page, not one per dashboard.
 *
 * Contract:
 * - Two calls are identical when they have the same scope (`options.scope`, the `AccessScope.key`)
 *   and the same request (operation and every argument). Calls without a scope are never coalesced.
 * - A call that joins one in flight gets the same result or the same error; nothing is kept once
 *   the call settles (that is the page cache's job).
 * - The shared call runs with the first caller's options (its observer sees the AppStream call;
 *   the others see `coalesced`). A joining caller's own `signal` still rejects its own wait.
 * - A failure that belongs to the first caller's request, not to AppStream (its deadline passed,
 *   its call budget is spent), is not handed on: a joined caller then makes the call itself
 *   (joining another one in flight, or leading a new one).
 */
export function createSingleFlight(inner: Upstream): Upstream {
  const inFlight = new Map<string, Flight>();
  const intercept = <T>(call: UpstreamCall, next: UpstreamNext<T>): Promise<T> => {
    const scope = call.options?.scope;
    if (scope === undefined) return next();
    const key = `${scope}\u0000${call.key}`;
    const running = inFlight.get(key);
    if (running !== undefined) {
      call.options?.observer?.coalesced?.(call.operation);
      const shared = (running.promise as Promise<T>).catch((error: unknown) => {
        if (!running.leaderOnly(error) || call.options?.signal?.aborted === true) throw error;
        return intercept(call, next);
      });
      return withSignal(shared, call.options?.signal, call.operation);
    }
    const signal = call.options?.signal;
    const promise = next().finally(() => {
      if (inFlight.get(key)?.promise === promise) inFlight.delete(key);
    });
    inFlight.set(key, {
      promise,
      leaderOnly: (error) =>
        signal?.aborted === true ||
        (error instanceof GatewayError && error.code === ErrorCode.UPSTREAM_BUDGET_EXCEEDED),
    });
    return promise;
  };
  return decorateUpstream(inner, intercept);
}

/** A call in flight, and whether one of its failures is the first caller's alone. */
interface Flight {
  readonly promise: Promise<unknown>;
  readonly leaderOnly: (error: unknown) => boolean;
}

/** `promise`, or `UPSTREAM_UNAVAILABLE` as soon as `signal` aborts (the caller's deadline). */
function withSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = () =>
    new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `The request's deadline passed while waiting for ${operation}; retry later.`,
    );
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
