/**
 * Group 1: CPU per query (OS accounting of each process) and throughput at 8 concurrent clients:
 * the gateway (production start and `npm start` via tsx; page cache off), the raw SDK making the
 * same upstream call per query (DescribeSessions, Limit 50, first page), and the hand-written peer.
 * Then a UI-like workload (8 clients each paging a 137-session fleet 20 at a time, again and
 * again): the gateway with its defaults, with the cache off, and the peer. Windows alternate
 * between systems round by round (BENCH_ROUNDS), and each ratio is the median of its rounds'
 * ratios with their range: this machine's speed moves by tens of percent between minutes.
 */
import { runLoad, sessionsPage, uiWalker } from '../client.js';
import { alternate, roundRatio, summarize, table, totals } from '../context.js';
import type { BenchContext, Totals } from '../context.js';

const CLIENTS = 8;

export async function measureCpu(bench: BenchContext) {
  const { log, windowMs, stack, rounds } = bench;
  log();
  log(
    `[1] CPU per query and throughput, ${CLIENTS} clients, sessions(first: 20), ${rounds} alternating rounds of ${windowMs / 1000} s windows`,
  );
  const gatewayOff = await bench.gateway('gateway', { PAGE_CACHE_TTL_MS: '0' });
  const gatewayTsx = await bench.gateway(
    'gateway via tsx (npm start)',
    { PAGE_CACHE_TTL_MS: '0' },
    'tsx',
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

  const RAW = 'raw SDK (DescribeSessions calls)';
  const GATEWAY = 'gateway, cache off (npm run start:prod)';
  const GATEWAY_TSX = 'gateway, cache off (tsx, npm start)';
  const PEER = 'peer (Apollo Server 5 defaults)';
  const plain = await alternate(rounds, [
    [RAW, () => bench.measure(raw, rawLoad)],
    [GATEWAY, () => bench.measure(gatewayOff, firstPage(gatewayOff.url ?? ''))],
    [GATEWAY_TSX, () => bench.measure(gatewayTsx, firstPage(gatewayTsx.url ?? ''))],
    [PEER, () => bench.measure(peer, firstPage(peer.url ?? ''))],
  ]);
  const plainSummary = summarize(totals(plain));
  table(log, plainSummary);

  const walker = (url: string) => {
    const step = uiWalker(url, stack, 'load', 20);
    return () => runLoad(CLIENTS, windowMs, step);
  };
  const UI_DEFAULT = 'gateway, default (page cache on)';
  const UI_OFF = 'gateway, cache off';
  const UI_PEER = 'peer';
  const ui = await alternate(rounds, [
    [UI_DEFAULT, () => bench.measure(gatewayDefault, walker(gatewayDefault.url ?? ''))],
    [UI_OFF, () => bench.measure(gatewayOff, walker(gatewayOff.url ?? ''))],
    [UI_PEER, () => bench.measure(peer, walker(peer.url ?? ''))],
  ]);
  log(`  UI-like workload: ${CLIENTS} clients paging 137 sessions 20 at a time, again and again`);
  const uiSummary = summarize(totals(ui));
  table(log, uiSummary);

  const perSecond = (t: Totals) => t.requests / t.seconds;
  const ratios = {
    gatewayCpuOverRawSdk: roundRatio(plain, GATEWAY, RAW),
    gatewayTsxCpuOverRawSdk: roundRatio(plain, GATEWAY_TSX, RAW),
    gatewayThroughputOverRawSdk: roundRatio(plain, GATEWAY, RAW, perSecond),
    gatewayCpuOverPeer: roundRatio(plain, GATEWAY, PEER),
    gatewayThroughputOverPeer: roundRatio(plain, GATEWAY, PEER, perSecond),
    uiDefaultCpuOverPeer: roundRatio(ui, UI_DEFAULT, UI_PEER),
    uiCacheOffCpuOverPeer: roundRatio(ui, UI_OFF, UI_PEER),
    uiDefaultThroughputOverPeer: roundRatio(ui, UI_DEFAULT, UI_PEER, perSecond),
  };
  log(
    '  Ratios, median of the rounds (lowest–highest) (targets: CPU/raw ≤ 1.3, aim 1.15; UI default CPU/peer < 1; UI cache-off CPU/peer ≤ 1.2):',
  );
  for (const [name, ratio] of Object.entries(ratios)) {
    log(`  ${name.padEnd(40)} ${ratio.median} (${ratio.low}–${ratio.high})`);
  }
  for (const server of [gatewayOff, gatewayTsx, gatewayDefault, peer, raw]) await server.stop();
  return { clients: CLIENTS, plain: plainSummary, ui: uiSummary, ratios };
}
