import { ErrorCode, GatewayError } from '../errors.js';
import { decorateUpstream } from './decorate.js';
import type { Upstream, UpstreamBudget } from './types.js';

/**
 * A request's allowance of `maxCalls` AppStream calls (`MAX_UPSTREAM_CALLS_PER_REQUEST`). Once
 * they are spent, `take` throws `UPSTREAM_BUDGET_EXCEEDED`: the field that needed the call fails,
 * the rest of the answer is kept. Create one per request, never share it.
 */
export function createUpstreamBudget(maxCalls: number): UpstreamBudget {
  let used = 0;
  return {
    take(operation) {
      if (used >= maxCalls) {
        throw new GatewayError(
          ErrorCode.UPSTREAM_BUDGET_EXCEEDED,
          `This request used its budget of ${maxCalls} AppStream calls, so ${operation} was not ` +
            'made; ask for fewer items or fewer connections per request.',
          { extensions: { limit: 'MAX_UPSTREAM_CALLS_PER_REQUEST', maximum: maxCalls } },
        );
      }
      used += 1;
    },
    used: () => used,
  };
}

/**
 * A per-request upstream whose every call carries `budget` (and, when given, the request's
 * upstream deadline as `signal`, combined with a signal the call already has). The SDK layer
 * enforces both: it takes a unit of the budget only for a call it really sends (cache hits and
 * calls joined in flight are free), and when the deadline passes, calls in flight settle at once
 * with `UPSTREAM_UNAVAILABLE` and the SDK makes no further attempt, so retries never outlive the
 * request.
 */
export function withRequestLimits(
  upstream: Upstream,
  limits: {
    readonly budget: UpstreamBudget;
    readonly deadline?: AbortSignal;
    /** When `deadline` aborts (`Date.now()` milliseconds), passed on as `deadlineAt`. */
    readonly deadlineAt?: number;
  },
): Upstream {
  const { budget, deadline, deadlineAt } = limits;
  return decorateUpstream(upstream, (call, next) => {
    const signal = call.options?.signal;
    const combined =
      deadline === undefined || signal === undefined
        ? (deadline ?? signal)
        : AbortSignal.any([deadline, signal]);
    return next({
      ...call.options,
      budget,
      ...(combined === undefined ? {} : { signal: combined }),
      ...(deadlineAt === undefined ? {} : { deadlineAt }),
    });
  });
}
