import type { Upstream, UpstreamCallOptions, UpstreamOperation } from './types.js';

/** One upstream call as a decorator sees it, whatever the operation. */
export interface UpstreamCall {
  readonly operation: UpstreamOperation;
  /**
   * The canonical identity of the request: its region (`options.region`), the operation and every
   * argument (filters, names, token), equal for equal requests however the arguments were built.
   * It holds no scope.
   */
  readonly key: string;
  readonly options: UpstreamCallOptions | undefined;
}

/**
 * What a decorator does around a call: `next` makes the call on the layer below, with the options
 * given (or the call's own when omitted).
 */
export type UpstreamInterceptor = <T>(call: UpstreamCall, next: UpstreamNext<T>) => Promise<T>;

/** Makes the call on the layer below, with the options given (the call's own when omitted). */
export type UpstreamNext<T> = (options?: UpstreamCallOptions) => Promise<T>;

const names = (list: readonly string[] | null): readonly string[] | null =>
  list === null ? null : [...list];

/**
 * Wraps `inner` so that every call goes through `intercept`, described generically. Decorators
 * (page cache, single-flight, metrics, per-request statistics) are written once against
 * {@link UpstreamCall} instead of once per operation.
 */
export function decorateUpstream(inner: Upstream, intercept: UpstreamInterceptor): Upstream {
  const call = (
    operation: UpstreamOperation,
    args: readonly unknown[],
    options: UpstreamCallOptions | undefined,
  ): UpstreamCall => ({
    operation,
    key: JSON.stringify([options?.region ?? null, operation, ...args]),
    options,
  });
  return {
    describeSessions(query, token, options) {
      const args = [
        query.stackName,
        query.fleetName,
        query.userId ?? null,
        query.authenticationType ?? null,
        query.instanceId ?? null,
        token,
      ];
      return intercept(call('DescribeSessions', args, options), (next = options) =>
        inner.describeSessions(query, token, next),
      );
    },
    describeStacks(list, token, options) {
      return intercept(call('DescribeStacks', [names(list), token], options), (next = options) =>
        inner.describeStacks(list, token, next),
      );
    },
    describeFleets(list, token, options) {
      return intercept(call('DescribeFleets', [names(list), token], options), (next = options) =>
        inner.describeFleets(list, token, next),
      );
    },
    listAssociatedFleets(stackName, token, options) {
      return intercept(
        call('ListAssociatedFleets', [stackName, token], options),
        (next = options) => inner.listAssociatedFleets(stackName, token, next),
      );
    },
    listAssociatedStacks(fleetName, token, options) {
      return intercept(
        call('ListAssociatedStacks', [fleetName, token], options),
        (next = options) => inner.listAssociatedStacks(fleetName, token, next),
      );
    },
  };
}
