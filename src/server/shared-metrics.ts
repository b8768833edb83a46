import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { RedisStatus } from '../shared/redis.js';
import type { UpstreamObserver } from '../upstream/types.js';

/**
 * Metrics of the rate budget (`UPSTREAM_CALLS_PER_SECOND`, by region; calls without one count
 * for `defaultRegion`), the shared page cache tier and the Redis link (read from its status at
 * scrape time). Returns the observer that feeds the first
 * two; it belongs beside the process-wide metrics observer.
 */
export function registerSharedMetrics(
  registry: Registry,
  redis: (() => RedisStatus) | undefined,
  defaultRegion: string,
): UpstreamObserver {
  const registers = [registry];
  const budget = new Counter({
    name: 'gateway_upstream_rate_budget_total',
    help: 'AppStream calls the rate budget let through (granted) or refused with UPSTREAM_THROTTLED, by region.',
    labelNames: ['operation', 'result', 'region'],
    registers,
  });
  const waits = new Histogram({
    name: 'gateway_upstream_rate_budget_wait_seconds',
    help: 'How long granted AppStream calls waited for their slot of the rate budget, by region.',
    labelNames: ['region'],
    buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const shared = new Counter({
    name: 'gateway_page_cache_shared_lookups_total',
    help: 'Lookups in the shared (Redis) page cache tier after a local miss, by result.',
    labelNames: ['operation', 'result'],
    registers,
  });
  if (redis !== undefined) {
    new Gauge({
      name: 'gateway_redis_available',
      help: 'Whether Redis answers (1) or the rate budget and page cache fall back to this process (0).',
      registers,
      collect() {
        this.set(redis().state === 'connected' ? 1 : 0);
      },
    });
    new Counter({
      name: 'gateway_redis_fallbacks_total',
      help: 'Times this process fell back to per-process rate budget and page cache.',
      registers,
      collect() {
        this.reset();
        this.inc(redis().fallbacks);
      },
    });
    new Counter({
      name: 'gateway_redis_errors_total',
      help: 'Redis commands that failed or timed out.',
      registers,
      collect() {
        this.reset();
        this.inc(redis().errors);
      },
    });
  }
  return {
    sharedCache: (operation, hit) => shared.inc({ operation, result: hit ? 'hit' : 'miss' }),
    rateBudget(operation, granted, waitMs, region = defaultRegion) {
      budget.inc({ operation, result: granted ? 'granted' : 'refused', region });
      if (granted) waits.observe({ region }, waitMs / 1000);
    },
  };
}
