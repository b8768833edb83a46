/**
 * The optional Redis connection (`REDIS_URL`) behind the shared rate budget and page cache, and
 * its fallback: while Redis is down or slow, every user of the link falls back to per-process
 * state, and the gateway keeps serving.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../server/logger.js';

/** Where shared state lives now: Redis, or each process on its own (fallback). */
export type RedisState = 'connecting' | 'connected' | 'unavailable';

/** What `/readyz`, logs and metrics show of the link. Never the URL (it may hold a password). */
export interface RedisStatus {
  readonly state: RedisState;
  /** `shared` while Redis answers; `per-process` while falling back. */
  readonly budget: 'shared' | 'per-process';
  readonly pageCache: 'shared' | 'per-process';
  /** When the state last changed (ISO-8601). */
  readonly since: string;
  /** Times the link fell back to per-process state since the start. */
  readonly fallbacks: number;
  /** Redis commands that failed or timed out since the start. */
  readonly errors: number;
}

export interface RedisLinkOptions {
  /** `REDIS_URL` (`redis://` or `rediss://`). */
  readonly url: string;
  /** `REDIS_COMMAND_TIMEOUT_MS`: a command slower than this counts as a failure. */
  readonly commandTimeoutMs: number;
  readonly logger: Logger;
  /** How often a fallen-back link checks whether Redis answers again (default 1000 ms). */
  readonly probeIntervalMs?: number;
}

export interface RedisLink {
  /**
   * Runs `command` while Redis is available, else (or when it fails or times out) `fallback`.
   * A failure switches the whole link to per-process state until Redis answers a probe again, so
   * a dead Redis costs each request nothing but the first failures. Never rejects because of
   * Redis.
   */
  run<T>(command: (client: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T>;
  status(): RedisStatus;
  /** Closes the connection; later `run` calls take their fallback. */
  close(): void;
}

/** The error's code or name, never its message (which may name hosts or carry data). */
function reasonOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    if ('code' in error && typeof error.code === 'string') return error.code;
    if (error instanceof Error && /timed out/i.test(error.message)) return 'timeout';
    if (error instanceof Error) return error.name;
  }
  return 'unknown';
}

/**
 * Connects to Redis (in the background: the gateway starts and serves while it connects) with
 * short timeouts, no offline queue (a command while disconnected fails at once) and reconnection
 * every second at most. State changes are logged once each, not per request.
 */
export function createRedisLink(options: RedisLinkOptions): RedisLink {
  const { logger } = options;
  const client = new Redis(options.url, {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  let state: RedisState = 'connecting';
  let since = new Date();
  let fallbacks = 0;
  let errors = 0;
  let closed = false;
  let probe: NodeJS.Timeout | undefined;

  const connected = () => {
    if (state === 'connected' || closed) return;
    const resumed = state === 'unavailable';
    state = 'connected';
    since = new Date();
    clearInterval(probe);
    probe = undefined;
    logger.info(
      { redis: { state } },
      resumed
        ? 'Redis answers again: the rate budget and page cache are shared across replicas again'
        : 'Redis connected: the rate budget and page cache are shared across replicas',
    );
  };
  const unavailable = (reason: string) => {
    if (state === 'unavailable' || closed) return;
    state = 'unavailable';
    since = new Date();
    fallbacks += 1;
    logger.warn(
      { redis: { state, reason } },
      'Redis is unavailable: the rate budget and page cache fall back to this process ' +
        '(each replica enforces the whole budget on its own) until Redis answers again',
    );
    // A slow Redis keeps its connection, so no `ready` event will say it is back: probe it.
    probe = setInterval(() => {
      if (client.status !== 'ready') return;
      client.ping().then(verify, () => undefined);
    }, options.probeIntervalMs ?? 1000);
    probe.unref();
  };
  // The database of REDIS_URL's path. ioredis selects it on connect but reports the connection
  // ready even when the server has no such database (commands would then share database 0 with
  // whoever uses it): select it again, and call the link connected only once that succeeds.
  const database = client.options.db ?? 0;
  const missingDatabase = `database ${String(database)} cannot be selected (not on this server)`;
  const verify = () => {
    if (database === 0) {
      connected();
      return;
    }
    client.select(database).then(connected, () => {
      unavailable(missingDatabase);
    });
  };
  client.on('ready', verify);
  client.on('error', (error: unknown) => {
    const noDatabase = error instanceof Error && /DB index is out of range/i.test(error.message);
    unavailable(noDatabase ? missingDatabase : reasonOf(error));
  });
  client.on('close', () => unavailable('closed'));

  return {
    async run(command, fallback) {
      if (state !== 'connected' || closed) return fallback();
      try {
        return await command(client);
      } catch (error: unknown) {
        errors += 1;
        unavailable(reasonOf(error));
        return fallback();
      }
    },
    status() {
      const shared = state === 'connected' ? 'shared' : 'per-process';
      return {
        state,
        budget: shared,
        pageCache: shared,
        since: since.toISOString(),
        fallbacks,
        errors,
      };
    },
    close() {
      closed = true;
      clearInterval(probe);
      client.disconnect();
    },
  };
}
