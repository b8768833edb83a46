/**
 * Group 3: AppStream calls (counted at the emulator) for whole forward walks, a dashboard query
 * and a `nodes` batch: the gateway with its defaults (page cache on, each walk on a fleet of its
 * own so that no walk reuses another's pages) and with the cache off, beside the minimum (distinct
 * pages of data) and beside boto3's paginator on the same walk (a model of botocore's algorithm,
 * `boto3-model.ts`, checked against figures measured with boto3 1.26; not measured in this run).
 */
import { boto3WalkCalls, pagesOf } from '../boto3-model.js';
import { post, walk } from '../client.js';
import { table } from '../context.js';
import type { BenchContext } from '../context.js';
import { BENCH_FLEETS, DASHBOARD } from '../dataset.js';

const WALKS = [
  { fleet: 'walk-137', first: 20, emptyTrailingPage: false },
  { fleet: 'walk-1000-20', first: 20, emptyTrailingPage: false },
  { fleet: 'walk-100-empty', first: 50, emptyTrailingPage: true },
  { fleet: 'walk-1000-50', first: 50, emptyTrailingPage: false },
  { fleet: 'walk-1000-100', first: 100, emptyTrailingPage: false },
];

const DASHBOARD_QUERY = `{
  stacks(first: 5) { nodes { name fleets { name state computeCapacity { desired inUse available }
    sessions(first: 3, state: [ACTIVE]) { totalCount nodes { sessionId userId connectionState startTime }
      pageInfo { hasNextPage endCursor } } } } }
}`;

const NODES_QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Session { sessionId state } } }`;

export async function measureWalks(bench: BenchContext) {
  const { log, stack, emulator } = bench;
  log();
  log(
    '[3] AppStream calls for whole walks (counted at the emulator); boto3 column: model of botocore, not measured here',
  );
  const cached = await bench.gateway('gateway, default');
  const uncached = await bench.gateway('gateway, cache off', { PAGE_CACHE_TTL_MS: '0' });
  const calls = async (run: () => Promise<unknown>, all = false) => {
    await emulator.ask({ cmd: 'reset' });
    await run();
    const counted = await emulator.ask<{ count: number; sessions: number }>({ cmd: 'count' });
    return all ? counted.count : counted.sessions;
  };
  const rows: Record<string, Record<string, number | string>> = {};
  for (const w of WALKS) {
    const sessions = BENCH_FLEETS[w.fleet] ?? 0;
    if (w.emptyTrailingPage) await emulator.ask({ cmd: 'emptyPageAtEnd', mode: 'when-full' });
    const withCache = await calls(() => walk(cached.url ?? '', stack, w.fleet, w.first));
    const withoutCache = await calls(() => walk(uncached.url ?? '', stack, w.fleet, w.first));
    await emulator.ask({ cmd: 'emptyPageAtEnd', mode: 'never' });
    const pages = pagesOf(sessions, w.emptyTrailingPage);
    rows[
      `${sessions} sessions, ${w.first} at a time${w.emptyTrailingPage ? ', empty last page' : ''}`
    ] = {
      gatewayDefault: withCache,
      gatewayCacheOff: withoutCache,
      minimum: pages.length,
      boto3Model: boto3WalkCalls(pages, w.first).calls,
    };
  }
  // nodes: 10 sessions of each of two fleets, by global id (ids read through the uncached gateway).
  const ids: string[] = [];
  for (const fleetName of ['load', 'latency']) {
    const body = await post<{ data: { sessions: { nodes: Array<{ id: string }> } } }>(
      uncached.url ?? '',
      `query($s: String!, $f: String!) { sessions(stackName: $s, fleetName: $f, first: 10) { nodes { id } } }`,
      { s: stack, f: fleetName },
    );
    ids.push(...body.data.sessions.nodes.map((node) => node.id));
  }
  const nodes = () => post(cached.url ?? '', NODES_QUERY, { ids });
  rows['nodes(ids): 20 sessions of 2 fleets, all calls'] = {
    gatewayDefault: await calls(nodes, true),
    gatewayCacheOff: await calls(() => post(uncached.url ?? '', NODES_QUERY, { ids }), true),
    minimum: 2,
    boto3Model: 'n/a',
  };
  const fleets = DASHBOARD.stacks.length * 2;
  const dashboard = () => post(cached.url ?? '', DASHBOARD_QUERY);
  const cold = await calls(dashboard, true);
  const warm = await calls(dashboard, true);
  rows[`dashboard (5 stacks, ${fleets} fleets), all calls`] = {
    gatewayDefault: `${cold} cold, ${warm} within the TTL`,
    gatewayCacheOff: await calls(() => post(uncached.url ?? '', DASHBOARD_QUERY), true),
    minimum: 1 + DASHBOARD.stacks.length + 1 + fleets,
    boto3Model: 'n/a',
  };
  table(log, rows);
  await cached.stop();
  await uncached.stop();
  return rows;
}
