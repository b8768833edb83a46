/**
 * `npm run bench`: the gateway against the raw SDK and a hand-written peer, all as separate
 * processes on loopback against one emulator process. CPU comes from the OS (/proc/<pid>/stat),
 * memory from /proc/<pid>/status. Prints ratios from this run and writes JSON and an SVG chart to
 * reports/bench/. Figures, never assertions: nothing here fails on a slow machine.
 *
 * BENCH_SECONDS (default 4) sets each load window; BENCH_ROUNDS (default 5) how many alternating
 * rounds of windows the CPU and 64-client groups measure; BENCH_SKIP_BUILD=1 reuses dist/;
 * BENCH_GROUPS (default all) runs some of the groups: a comma list of cpu, latency, walks, scale.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { latencyChart } from './chart.js';
import { round } from './context.js';
import type { BenchContext, GatewayStart, Totals } from './context.js';
import { measureCpu } from './groups/cpu.js';
import { measureLatency } from './groups/latency.js';
import { measureScale } from './groups/scale.js';
import { measureWalks } from './groups/walks.js';
import { cpuSeconds, forkProcess, startServer } from './proc.js';
import type { BenchProcess } from './proc.js';

/** A positive number from the environment, or a clear error naming the variable. */
function positive(name: string, fallback: number, integer = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name}: expected a positive ${integer ? 'integer' : 'number'}, got "${raw}".`,
    );
  }
  return value;
}
const WINDOW_MS = positive('BENCH_SECONDS', 4) * 1000;
const ROUNDS = positive('BENCH_ROUNDS', 5, true);
const GROUP_NAMES = ['cpu', 'latency', 'walks', 'scale'] as const;
const groups = new Set((process.env.BENCH_GROUPS ?? GROUP_NAMES.join(',')).split(','));
for (const group of groups) {
  if (!(GROUP_NAMES as readonly string[]).includes(group)) {
    throw new Error(`BENCH_GROUPS: unknown group "${group}"; use ${GROUP_NAMES.join(', ')}.`);
  }
}
const log = (line = '') => process.stdout.write(`${line}\n`);

if (process.env.BENCH_SKIP_BUILD !== '1') {
  log('Building dist/ (npm run build) ...');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  loadAverageAtStart: loadavg().map((value) => round(value, 1)),
};
log(
  `Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`,
);

/** The production start's node arguments, from `npm run start:prod` (measured as documented). */
function productionStart(): string[] {
  const scripts = (
    JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> }
  ).scripts;
  const [command, ...args] = (scripts?.['start:prod'] ?? '').split(/\s+/);
  if (command !== 'node' || !args.includes('dist/main.js')) {
    throw new Error('package.json: expected "start:prod" to be `node [flags] dist/main.js`.');
  }
  return args;
}
const PRODUCTION_START = productionStart();
log(`Production start: node ${PRODUCTION_START.join(' ')}`);

const processes: BenchProcess[] = [];
const emulator = await forkProcess('emulator', 'scripts/bench/emulator-process.ts');
processes.push(emulator);
const endpoint = { AWS_ENDPOINT_URL_APPSTREAM: emulator.url ?? '' };
const gatewayEnv = {
  ...endpoint,
  APPSTREAM_UPSTREAM: 'aws',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  PORT: '0',
  HOST: '127.0.0.1',
  // Like the peer and the raw SDK: no authentication (JWT verification is not measured here).
  AUTH_MODE: 'none',
  ALLOW_UNAUTHENTICATED: 'true',
  CURSOR_SECRET: 'bench-cursor-secret-of-at-least-32-bytes',
  // The load has ended when a gateway is stopped: nothing to drain, so stop at once.
  SHUTDOWN_GRACE_MS: '0',
};
const start = async (pending: Promise<BenchProcess>) => {
  const started = await pending;
  processes.push(started);
  return started;
};
const GATEWAY_ARGS: Record<GatewayStart, string[]> = {
  production: PRODUCTION_START,
  tsx: ['--import', 'tsx', 'src/main.ts'],
  bare: ['dist/main.js'],
};
const gateway = (
  name: string,
  env: Record<string, string> = {},
  how: GatewayStart = 'production',
) =>
  start(
    startServer(name, GATEWAY_ARGS[how], {
      ...gatewayEnv,
      ...env,
    }),
  );

/** CPU the OS charged `target` while `run` ran. */
async function measure(target: BenchProcess, run: () => Promise<number>): Promise<Totals> {
  const cpu0 = cpuSeconds(target.pid);
  const t0 = performance.now();
  const requests = await run();
  const seconds = (performance.now() - t0) / 1000;
  return { requests, cpuSeconds: cpuSeconds(target.pid) - cpu0, seconds };
}

const context: BenchContext = {
  emulator,
  gateway,
  peer: () => start(startServer('peer', ['--import', 'tsx', 'scripts/bench/peer.ts'], endpoint)),
  raw: () => start(forkProcess('raw SDK', 'scripts/bench/raw-sdk.ts', endpoint)),
  measure,
  stack: 'bench',
  windowMs: WINDOW_MS,
  rounds: ROUNDS,
  log,
};
const report: Record<string, unknown> = {
  machine,
  productionStart: `node ${PRODUCTION_START.join(' ')}`,
  windowSeconds: WINDOW_MS / 1000,
  rounds: ROUNDS,
};

try {
  if (groups.has('cpu')) report.cpu = await measureCpu(context);
  const latency = groups.has('latency') ? await measureLatency(context) : undefined;
  report.latency = latency?.summary;
  if (groups.has('walks')) report.walks = await measureWalks(context);
  if (groups.has('scale')) report.scale = await measureScale(context);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync('reports/bench', { recursive: true });
  const json = JSON.stringify(report, null, 2);
  writeFileSync(`reports/bench/bench-${stamp}.json`, json);
  writeFileSync('reports/bench/latest.json', json);
  if (latency !== undefined) {
    writeFileSync(
      'reports/bench/latency.svg',
      latencyChart(
        'Latency at 50 ms injected upstream latency (gateway vs raw SDK, same pages)',
        latency.series,
      ),
    );
  }
  log();
  log(
    `Wrote reports/bench/latest.json${latency === undefined ? '' : ', reports/bench/latency.svg'}`,
  );
} finally {
  for (const child of processes.reverse()) await child.stop();
}
// Nothing is left to wait for; an IPC channel or a keep-alive socket must not hold the run open.
process.exit(0);
