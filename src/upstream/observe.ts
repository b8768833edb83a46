import { decorateUpstream } from './decorate.js';
import type { Upstream, UpstreamCallOptions, UpstreamObserver } from './types.js';

/** Both observers, in order; either may be absent. */
export function teeObservers(
  first: UpstreamObserver | undefined,
  second: UpstreamObserver | undefined,
): UpstreamObserver | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return {
    cache(operation, hit) {
      first.cache?.(operation, hit);
      second.cache?.(operation, hit);
    },
    coalesced(operation) {
      first.coalesced?.(operation);
      second.coalesced?.(operation);
    },
    sharedCache(operation, hit) {
      first.sharedCache?.(operation, hit);
      second.sharedCache?.(operation, hit);
    },
    rateBudget(operation, granted, waitMs, region) {
      first.rateBudget?.(operation, granted, waitMs, region);
      second.rateBudget?.(operation, granted, waitMs, region);
    },
    started(operation) {
      first.started?.(operation);
      second.started?.(operation);
    },
    settled(report) {
      first.settled?.(report);
      second.settled?.(report);
    },
  };
}

/**
 * Every call through this layer is also reported to `observer` (after the call's own observer),
 * and calls that carry no scope (region) get `defaults.scope` (`defaults.region`). Used twice:
 * once process-wide for metrics, and once per request and region, where it stamps the caller's
 * `AccessScope.key` and the region on every call and collects the statistics of the operation's
 * log line.
 */
export function observeUpstream(
  inner: Upstream,
  observer: UpstreamObserver,
  defaults: { readonly scope?: string; readonly region?: string } = {},
): Upstream {
  return decorateUpstream(inner, (call, next) => {
    const options: UpstreamCallOptions = call.options ?? {};
    const scope = options.scope ?? defaults.scope;
    const region = options.region ?? defaults.region;
    const merged = teeObservers(options.observer, observer);
    return next({
      ...options,
      ...(scope === undefined ? {} : { scope }),
      ...(region === undefined ? {} : { region }),
      ...(merged === undefined ? {} : { observer: merged }),
    });
  });
}

/** What one request's upstream calls did, for its log line. */
export interface UpstreamStats {
  /** AppStream calls sent (each counts once, whatever its retries). */
  calls: number;
  /** SDK retries across those calls. */
  retries: number;
  /** Calls that failed (after retries). */
  failures: number;
  cacheHits: number;
  cacheMisses: number;
  /** Calls that joined an identical call already in flight. */
  coalesced: number;
}

/** The statistics of an operation that did no upstream work (refused before it ran). */
export const NO_UPSTREAM_WORK: Readonly<UpstreamStats> = Object.freeze({
  calls: 0,
  retries: 0,
  failures: 0,
  cacheHits: 0,
  cacheMisses: 0,
  coalesced: 0,
});

/** Fresh zeroed statistics and the observer that fills them. */
export function createUpstreamStats(): { stats: UpstreamStats; observer: UpstreamObserver } {
  const stats: UpstreamStats = { ...NO_UPSTREAM_WORK };
  return {
    stats,
    observer: {
      cache(_operation, hit) {
        if (hit) stats.cacheHits++;
        else stats.cacheMisses++;
      },
      coalesced() {
        stats.coalesced++;
      },
      settled(report) {
        stats.calls++;
        stats.retries += Math.max(0, report.attempts - 1);
        if (report.outcome !== 'ok') stats.failures++;
      },
    },
  };
}
