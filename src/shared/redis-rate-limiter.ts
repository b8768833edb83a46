import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createMemoryRateLimiter } from '../upstream/rate-budget.js';
import type { RateLimiter, RateSettings } from '../upstream/rate-budget.js';
import type { RedisLink } from './redis.js';

/**
 * `gcraReserve` of `src/upstream/rate-budget.ts`, atomically in Redis, on Redis' own clock (so
 * replicas' clocks do not matter). KEYS[1]: the budget; ARGV: interval, tolerance, longest wait
 * (ms). Returns {granted (1 or 0), wait in ms as a string (Lua numbers become integers)}.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return {0, tostring(wait)} end
local next = tat + interval
redis.call('SET', KEYS[1], tostring(next), 'PX', math.ceil(next - now) + 1000)
return {1, tostring(wait)}
`;
const RESERVE_SHA = createHash('sha1').update(RESERVE_SCRIPT).digest('hex');

/** EVALSHA, loading the script with EVAL the first time a server does not know it. */
async function evalReserve(client: Redis, args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(RESERVE_SHA, 1, ...args);
  } catch (error: unknown) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(RESERVE_SCRIPT, 1, ...args);
  }
}

/**
 * A {@link RateLimiter} shared by every replica through Redis (one key per budget, under
 * `prefix`), so the sum of all replicas' calls stays within the rate. While Redis is unavailable
 * (see {@link RedisLink}) the `fallback` limiter (per process) decides instead.
 */
export function createRedisRateLimiter(options: {
  readonly link: RedisLink;
  readonly settings: RateSettings;
  readonly prefix: string;
  readonly fallback: RateLimiter;
}): RateLimiter {
  const { link, settings, fallback } = options;
  const interval = 1000 / settings.ratePerSecond;
  const tolerance = (settings.burst - 1) * interval;
  return {
    reserve(key, maxWaitMs) {
      return link.run(
        async (client) => {
          const reply = await evalReserve(client, [
            `${options.prefix}budget:${key}`,
            interval,
            tolerance,
            maxWaitMs,
          ]);
          if (!Array.isArray(reply) || reply.length !== 2) {
            throw new Error('The rate budget script answered in an unexpected shape.');
          }
          const waitMs = Number(reply[1]);
          return { granted: reply[0] === 1, waitMs: Number.isFinite(waitMs) ? waitMs : maxWaitMs };
        },
        () => fallback.reserve(key, maxWaitMs),
      );
    },
  };
}

/**
 * The limiter of the rate budget: in Redis when `redis` is given (per process while Redis is
 * unavailable), else per process.
 */
export function createBudgetLimiter(
  settings: RateSettings,
  redis?: { readonly link: RedisLink; readonly prefix: string },
): RateLimiter {
  const local = createMemoryRateLimiter(settings);
  return redis === undefined
    ? local
    : createRedisRateLimiter({ ...redis, settings, fallback: local });
}
