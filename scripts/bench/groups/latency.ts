/**
 * Group 2: p50 and p99 latency of queries needing 1 and 2 AppStream pages (from the start, and
 * resuming mid-page) at 50 ms injected upstream latency, against the raw SDK reading the same
 * pages in a row. Gateway and raw SDK samples alternate; the gateway's page cache is off (every
 * sample reads AppStream), and each query's upstream calls are checked at the emulator. Every
 * query is first run 100 times without latency, so all are measured on warm code.
 */
import { SESSIONS_QUERY, percentile, post, sessionsPage } from '../client.js';
import { round, table } from '../context.js';
import type { BenchContext } from '../context.js';
import type { LatencySeries } from '../chart.js';

const SAMPLES = 30;
const WARM_UP = 100;
const LATENCY_MS = 50;

export async function measureLatency(bench: BenchContext) {
  const { log, stack } = bench;
  log();
  log(
    `[2] Latency at ${LATENCY_MS} ms injected upstream latency, ${SAMPLES} samples each, alternating`,
  );
  const gateway = await bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' });
  const raw = await bench.raw();
  const url = gateway.url ?? '';
  const head = await sessionsPage(url, { stack, fleet: 'latency', first: 40 });
  const cursorAt = (n: number) => head.edges[n - 1]?.cursor ?? null;
  const kinds = [
    { name: '1 page from the start', first: 20, after: null, pages: 1 },
    { name: '2 pages from the start', first: 60, after: null, pages: 2 },
    { name: '1 page resuming mid-page', first: 20, after: cursorAt(10), pages: 1 },
    { name: '2 pages resuming mid-page', first: 20, after: cursorAt(40), pages: 2 },
  ];
  // Warm-up without injected latency, so that no kind is measured on colder code than the next
  // (the first kind read 4 to 5 ms slower than the same work later in the run without it).
  for (let i = 0; i < WARM_UP; i++) {
    for (const kind of kinds) {
      await post(url, SESSIONS_QUERY, {
        stack,
        fleet: 'latency',
        first: kind.first,
        after: kind.after,
      });
      await raw.ask({ cmd: 'walk', stackName: stack, fleetName: 'latency', pages: kind.pages });
    }
  }
  await bench.emulator.ask({ cmd: 'latency', ms: LATENCY_MS });
  const series: LatencySeries[] = [];
  const summary: Record<string, Record<string, number>> = {};
  try {
    for (const kind of kinds) {
      const variables = { stack, fleet: 'latency', first: kind.first, after: kind.after };
      await bench.emulator.ask({ cmd: 'reset' });
      await sessionsPage(url, variables);
      const { sessions: calls } = await bench.emulator.ask<{ sessions: number }>({ cmd: 'count' });
      const gatewaySamples: number[] = [];
      const rawSamples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        await post(url, SESSIONS_QUERY, variables);
        gatewaySamples.push(performance.now() - started);
        const answer = await raw.ask<{ ms: number }>({
          cmd: 'walk',
          stackName: stack,
          fleetName: 'latency',
          pages: kind.pages,
        });
        rawSamples.push(answer.ms);
      }
      series.push({ label: `gateway: ${kind.name}`, samples: gatewaySamples });
      series.push({ label: `raw SDK: ${kind.name}`, samples: rawSamples });
      const p = (values: number[], q: number) => round(percentile(values, q), 1);
      summary[kind.name] = {
        gatewayUpstreamCalls: calls,
        gatewayP50: p(gatewaySamples, 50),
        rawP50: p(rawSamples, 50),
        p50Ratio: round(percentile(gatewaySamples, 50) / percentile(rawSamples, 50)),
        gatewayP99: p(gatewaySamples, 99),
        rawP99: p(rawSamples, 99),
        p99Ratio: round(percentile(gatewaySamples, 99) / percentile(rawSamples, 99)),
      };
    }
  } finally {
    await bench.emulator.ask({ cmd: 'latency', ms: 0 });
  }
  log('  (ms; targets: p50 ratio ≤ 1.1, p99 ratio ≤ 1.3)');
  table(log, summary);
  await gateway.stop();
  await raw.stop();
  return { summary, series };
}
