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
  /** A second tier shared by replicas (Redis), behind the in-process one. */
  readonly shared?: SharedPageStore;
}

/**
 * A cache tier shared by replicas, keyed like the local one (scope and request). Its entries
 * expire `ttlMs` after the upstream call that produced them was made. It never rejects: an
 * unavailable store misses and stores nothing.
 */
export interface SharedPageStore {
  /** The page stored under `key`, and how old it is (milliseconds). */
  get(key: string): Promise<{ readonly value: unknown; readonly ageMs: number } | undefined>;
  /** Stores `value`, made `ageMs` ago, for the rest of its TTL (in the background). */
  set(key: string, value: unknown, ageMs: number): void;
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
 * - With `shared` (Redis, `REDIS_URL`), a local miss asks the shared tier before AppStream, and
 *   every page AppStream returns is also stored there, so a page one replica fetched is served by
 *   the others within its TTL; a shared hit keeps its age in the local tier (never a longer TTL).
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
    const { shared } = options;
    const found = shared === undefined || maxAge <= 0 ? undefined : await shared.get(key);
    if (shared !== undefined && maxAge > 0) {
      call.options?.observer?.sharedCache?.(call.operation, found !== undefined);
    }
    if (found !== undefined && found.ageMs < maxAge) {
      call.options?.observer?.cache?.(call.operation, true);
      cache.set(key, { value: found.value, storedAt: now() - found.ageMs });
      return found.value as T;
    }
    call.options?.observer?.cache?.(call.operation, false);
    const storedAt = now();
    const value = await next();
    // An entry is as old as the moment the call was made, not the moment it returned. A caller
    // that joined the call in flight (single-flight) gets the same page the first caller has
    // just stored, from its earlier call: that entry and its age stay.
    if (cache.peek(key)?.value === value) return value;
    cache.set(key, { value, storedAt });
    shared?.set(key, value, now() - storedAt);
    return value;
  });
  return {
    ...upstream,
    stats: () => ({ entries: cache.size, bytes: cache.calculatedSize }),
    clear: () => cache.clear(),
  };
}
