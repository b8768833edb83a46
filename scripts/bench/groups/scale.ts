/**
 * Group 4: CPU per request and peak resident memory at 64 concurrent clients (fresh processes, so
 * the peak is this load's), the gateway started as `npm run start:prod` starts it, and once without
 * its heap ceiling to show what the ceiling does to the peak; the peak's lowest, median and highest
 * over the rounds. Group 5: how cost grows: whole walks over 1,000, 10,000 and 100,000 sessions,
 * 100 at a time, on a fresh gateway with its defaults: time, per-request latency and resident
 * memory sampled during the walk.
 */
import { percentile, runLoad, sessionsPage, uiWalker, walk } from '../client.js';
import { alternate, round, spread, summarize, table, totals } from '../context.js';
import type { BenchContext } from '../context.js';
import { memoryMb } from '../proc.js';

const CLIENTS = 64;

export async function measureScale(bench: BenchContext) {
  const { log, stack, windowMs, rounds } = bench;
  log();
  log(
    `[4] ${CLIENTS} concurrent clients, ${rounds} alternating rounds of ${windowMs / 1000} s: CPU per request and peak RSS (a fresh process each window)`,
  );
  const systems = [
    ['gateway, default: UI-like paging', () => bench.gateway('gateway'), 'ui'],
    [
      'gateway, cache off: UI-like paging',
      () => bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' }),
      'ui',
    ],
    [
      'gateway, cache off: first page',
      () => bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' }),
      'first',
    ],
    [
      'gateway, cache off: first page, no heap ceiling',
      () => bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' }, 'bare'),
      'first',
    ],
    ['peer: UI-like paging', () => bench.peer(), 'ui'],
  ] as const;
  const peaks = new Map<string, number[]>();
  const windows = await alternate(
    rounds,
    systems.map(
      ([name, startSystem, workload]) =>
        [
          name,
          async () => {
            const server = await startSystem();
            const url = server.url ?? '';
            const step =
              workload === 'ui'
                ? uiWalker(url, stack, 'load', 20)
                : async () => {
                    await sessionsPage(url, { stack, fleet: 'load', first: 20 });
                  };
            await runLoad(CLIENTS, 1000, step);
            const measured = await bench.measure(server, () => runLoad(CLIENTS, windowMs, step));
            peaks.set(name, [...(peaks.get(name) ?? []), memoryMb(server.pid).peak]);
            await server.stop();
            return measured;
          },
        ] as const,
    ),
  );
  const summary = summarize(totals(windows));
  const concurrent: Record<string, Record<string, number>> = {};
  for (const [name] of systems) {
    const peak = spread(peaks.get(name) ?? [], 1);
    concurrent[name] = {
      ...summary[name],
      peakRssMbLowest: peak.low,
      peakRssMbMedian: peak.median,
      peakRssMbHighest: peak.high,
    };
  }
  table(log, concurrent);

  log();
  log('[5] Growth: whole walks, 100 at a time, gateway with its defaults');
  const gateway = await bench.gateway('gateway');
  const growth: Record<string, Record<string, number>> = {};
  for (const sessions of [1000, 10_000, 100_000]) {
    let peak = 0;
    const before = memoryMb(gateway.pid).rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memoryMb(gateway.pid).rss);
    }, 50);
    const started = performance.now();
    const result = await walk(gateway.url ?? '', stack, `grow-${sessions}`, 100);
    const ms = performance.now() - started;
    clearInterval(sampler);
    growth[`${sessions} sessions`] = {
      requests: result.requests,
      walkMs: round(ms, 0),
      msPerUpstreamPage: round(ms / Math.ceil(sessions / 50), 2),
      p50RequestMs: round(percentile(result.latencies, 50), 1),
      p99RequestMs: round(percentile(result.latencies, 99), 1),
      rssBeforeMb: round(before, 1),
      rssPeakMb: round(Math.max(peak, memoryMb(gateway.pid).rss), 1),
    };
  }
  table(log, growth);
  await gateway.stop();
  return { concurrent, growth };
}
