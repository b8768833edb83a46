/**
 * Group 1: CPU per query (OS accounting of each process) and throughput at 8 concurrent clients:
 * the gateway (production start and `npm start` via tsx; page cache off), the raw SDK making the
 * same upstream call per query (DescribeSessions, Limit 50, first page), and the hand-written peer.
 * Then a UI-like workload (8 clients each paging a 137-session fleet 20 at a time, again and
 * again): the gateway with its defaults, with the cache off, and the peer. Windows alternate
 * between systems, two rounds each.
 */
import { runLoad, sessionsPage, uiWalker } from '../client.js';
import { add, round, summarize, table } from '../context.js';
import type { BenchContext, Totals } from '../context.js';

const CLIENTS = 8;
const ROUNDS = 2;

export async function measureCpu(bench: BenchContext) {
  const { log, windowMs, stack } = bench;
  log();
  log(
    `[1] CPU per query and throughput, ${CLIENTS} clients, sessions(first: 20), ${ROUNDS} × ${windowMs / 1000} s windows each`,
  );
  const gatewayOff = await bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' });
  const gatewayTsx = await bench.gateway(
    'gateway via tsx (npm start)',
    { PAGE_CACHE_TTL_MS: '0' },
    true,
  );
  const gatewayDefault = await bench.gateway('gateway, default configuration');
  const peer = await bench.peer();
  const raw = await bench.raw();
  const firstPage = (url: string) => () =>
    runLoad(CLIENTS, windowMs, async () => {
      await sessionsPage(url, { stack, fleet: 'load', first: 20 });
    });
  const rawLoad = () =>
    raw
      .ask<{ calls: number }>({
        cmd: 'load',
        concurrency: CLIENTS,
        durationMs: windowMs,
        stackName: stack,
        fleetName: 'load',
      })
      .then((answer) => answer.calls);
  // Warm-up: JIT, sockets, Apollo's document cache.
  for (const server of [gatewayOff, gatewayTsx, gatewayDefault, peer]) {
    await runLoad(CLIENTS, 1000, async () => {
      await sessionsPage(server.url ?? '', { stack, fleet: 'load', first: 20 });
    });
  }
  await raw.ask({
    cmd: 'load',
    concurrency: CLIENTS,
    durationMs: 1000,
    stackName: stack,
    fleetName: 'load',
  });

  const plain = new Map<string, Totals>();
  for (let i = 0; i < ROUNDS; i++) {
    add(plain, 'raw SDK (DescribeSessions calls)', await bench.measure(raw, rawLoad));
    add(
      plain,
      'gateway, cache off (node dist/main.js)',
      await bench.measure(gatewayOff, firstPage(gatewayOff.url ?? '')),
    );
    add(
      plain,
      'gateway, cache off (tsx, npm start)',
      await bench.measure(gatewayTsx, firstPage(gatewayTsx.url ?? '')),
    );
    add(
      plain,
      'peer (Apollo Server 5 defaults)',
      await bench.measure(peer, firstPage(peer.url ?? '')),
    );
  }
  const plainSummary = summarize(plain);
  table(log, plainSummary);

  const ui = new Map<string, Totals>();
  const walker = (url: string) => {
    const step = uiWalker(url, stack, 'load', 20);
    return () => runLoad(CLIENTS, windowMs, step);
  };
  for (let i = 0; i < ROUNDS; i++) {
    add(
      ui,
      'gateway, default (page cache on)',
      await bench.measure(gatewayDefault, walker(gatewayDefault.url ?? '')),
    );
    add(ui, 'gateway, cache off', await bench.measure(gatewayOff, walker(gatewayOff.url ?? '')));
    add(ui, 'peer', await bench.measure(peer, walker(peer.url ?? '')));
  }
  log(`  UI-like workload: ${CLIENTS} clients paging 137 sessions 20 at a time, again and again`);
  const uiSummary = summarize(ui);
  table(log, uiSummary);

  const cpu = (name: string, from = plainSummary) => from[name]?.cpuMsPerRequest ?? Number.NaN;
  const rate = (name: string, from = plainSummary) => from[name]?.perSecond ?? Number.NaN;
  const ratios = {
    gatewayCpuOverRawSdk: round(
      cpu('gateway, cache off (node dist/main.js)') / cpu('raw SDK (DescribeSessions calls)'),
    ),
    gatewayTsxCpuOverRawSdk: round(
      cpu('gateway, cache off (tsx, npm start)') / cpu('raw SDK (DescribeSessions calls)'),
    ),
    gatewayThroughputOverRawSdk: round(
      rate('gateway, cache off (node dist/main.js)') / rate('raw SDK (DescribeSessions calls)'),
    ),
    gatewayCpuOverPeer: round(
      cpu('gateway, cache off (node dist/main.js)') / cpu('peer (Apollo Server 5 defaults)'),
    ),
    gatewayThroughputOverPeer: round(
      rate('gateway, cache off (node dist/main.js)') / rate('peer (Apollo Server 5 defaults)'),
    ),
    uiDefaultCpuOverPeer: round(
      cpu('gateway, default (page cache on)', uiSummary) / cpu('peer', uiSummary),
    ),
    uiCacheOffCpuOverPeer: round(cpu('gateway, cache off', uiSummary) / cpu('peer', uiSummary)),
    uiDefaultThroughputOverPeer: round(
      rate('gateway, default (page cache on)', uiSummary) / rate('peer', uiSummary),
    ),
  };
  log(
    '  Ratios (targets: CPU/raw ≤ 1.3, aim 1.15; UI default CPU/peer < 1; UI cache-off CPU/peer ≤ 1.2):',
  );
  table(log, { ratios });
  for (const server of [gatewayOff, gatewayTsx, gatewayDefault, peer, raw]) await server.stop();
  return { clients: CLIENTS, plain: plainSummary, ui: uiSummary, ratios };
}
