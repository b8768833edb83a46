import { LRUCache } from 'lru-cache';
import { decorateUpstream } from './decorate.js';
import type { UpstreamCall, UpstreamNext as Next } from './decorate.js';
import type { Upstream } from './types.js';

/** Bounds and lifetime of the page cache. */
export interface PageCacheOptions {
  /** How long a page is served from the cache, in milliseconds (must be > 0). */
  readonly ttlMs: number;
  /** Most pages kept (default 10 000). */
  readonly maxEntries?: number;
  /** Most bytes kept, estimated from the pages' JSON size (default 32 MiB). */
  readonly maxBytes?: number;
  /** The clock, for tests (default `performance.now`). */
  readonly now?: () => number;
}

interface Entry {
  readonly value: unknown;
  readonly storedAt: number;
}

/** A page cache that can also be emptied (tests, and operators through a restart). */
export interface CachedUpstream extends Upstream {
  /** Pages currently held, and their estimated bytes. */
  readonly stats: () => { readonly entries: number; readonly bytes: number };
  readonly clear: () => void;
}

/**
 * A cross-request cache of upstream results (DescribeSessions pages and the stack and fleet
 * listings), so that a UI paging through a fleet does not refetch the page, or the look-ahead
 * page, it has just read.
 *
 * Contract:
 * - An entry is keyed by the caller's scope (`options.scope`, the `AccessScope.key`) and the whole
 *   request (operation, stack, fleet, filters, names, token). A result is only ever served to a
 *   call with the same scope and the same request; calls without a scope bypass the cache.
 * - A result is served for at most `ttlMs` after AppStream returned it: that is the staleness the
 *   cache allows. A call with `maxAgeMs` accepts only younger entries (`0`: always asks
 *   AppStream, and stores the fresh result).
 * - Failures are never cached. The cache is bounded by entries and by estimated bytes; the least
 *   recently used pages go first.
 * - Cached results are shared: callers must not mutate them.
 */
export function createPageCache(inner: Upstream, options: PageCacheOptions): CachedUpstream {
  const now = options.now ?? (() => performance.now());
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 32 * 1024 * 1024,
    sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length,
    // Expiry is checked against `storedAt` on every read; the LRU's own TTL only frees memory.
    ttl: options.ttlMs,
    perf: { now },
  });
  const upstream = decorateUpstream(inner, async <T>(call: UpstreamCall, next: Next<T>) => {
    const scope = call.options?.scope;
    if (scope === undefined) return next();
    const key = `${scope}\u0000${call.key}`;
    const maxAge = Math.min(call.options?.maxAgeMs ?? options.ttlMs, options.ttlMs);
    const entry = cache.get(key);
    if (entry !== undefined && now() - entry.storedAt < maxAge) {
      call.options?.observer?.cache?.(call.operation, true);
      return entry.value as T;
    }
    call.options?.observer?.cache?.(call.operation, false);
    const storedAt = now();
    const value = await next();
    // An entry is as old as the moment the call was made, not the moment it returned.
    cache.set(key, { value, storedAt });
    return value;
  });
  return {
    ...upstream,
    stats: () => ({ entries: cache.size, bytes: cache.calculatedSize }),
    clear: () => cache.clear(),
  };
}
