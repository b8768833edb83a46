import { createHash } from 'node:crypto';
import type { SharedPageStore } from '../upstream/page-cache.js';
import type { RedisLink } from './redis.js';

/** Largest page kept in Redis, as JSON (a DescribeSessions page of 50 sessions is ~25 KB). */
export const MAX_SHARED_PAGE_BYTES = 256 * 1024;

/**
 * The page cache's shared tier in Redis. Keys are `prefix` + `page:` + a SHA-256 of the local
 * cache's key (scope and request), so Redis holds no stack names, filters or tokens in its key
 * space; values are the pages as JSON, at most {@link MAX_SHARED_PAGE_BYTES} each (larger pages
 * stay in the local tier only), and expire in Redis when their TTL ends. While Redis is
 * unavailable every lookup misses and nothing is stored.
 */
export function createRedisPageStore(options: {
  readonly link: RedisLink;
  readonly prefix: string;
  /** `PAGE_CACHE_TTL_MS`. */
  readonly ttlMs: number;
}): SharedPageStore {
  const { link, ttlMs } = options;
  const redisKey = (key: string) =>
    `${options.prefix}page:${createHash('sha256').update(key).digest('base64url')}`;
  return {
    get(key) {
      return link.run(
        async (client) => {
          const reply = await client.multi().get(redisKey(key)).pttl(redisKey(key)).exec();
          const [[getError, text] = [], [ttlError, remaining] = []] = reply ?? [];
          if (getError !== null && getError !== undefined) throw getError;
          if (ttlError !== null && ttlError !== undefined) throw ttlError;
          if (typeof text !== 'string' || typeof remaining !== 'number' || remaining < 0) {
            return undefined;
          }
          return { value: JSON.parse(text) as unknown, ageMs: Math.max(0, ttlMs - remaining) };
        },
        () => undefined,
      );
    },
    set(key, value, ageMs) {
      const remaining = Math.floor(ttlMs - ageMs);
      if (remaining <= 0) return;
      const text = JSON.stringify(value);
      if (Buffer.byteLength(text) > MAX_SHARED_PAGE_BYTES) return;
      void link.run(
        async (client) => {
          await client.set(redisKey(key), text, 'PX', remaining);
        },
        () => undefined,
      );
    },
  };
}
