/**
 * Soak run (not a test): `npm run soak [-- --seconds 60 --concurrency 16]`.
 *
 * Starts the AppStream emulator in this process, injecting 10% ThrottlingException, 5% HTTP 500
 * and 2% dropped connections on every operation, and the gateway as a separate process pointed at
 * it (`node --import tsx src/main.ts`, APPSTREAM_UPSTREAM=aws). Then N workers send a mixed load
 * for the given time: good queries (dashboard, pages, node lookups), bad ones (arguments, cursors,
 * unknown names), hostile ones (depth, aliases, cost, directives, tokens), malformed JSON and
 * oversized bodies. It prints what it saw: responses by status, 5xx, malformed responses (not
 * JSON, or a GraphQL response with neither `data` nor `errors`), error codes, the gateway's
 * resident memory after the first 10 s and at the end, and the breaker's state changes.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createEmulator } from '../src/emulator/index.js';

const args = process.argv.slice(2);
const argument = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  const value = at === -1 ? undefined : Number(args[at + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
};
const SECONDS = argument('seconds', 60);
const CONCURRENCY = argument('concurrency', 16);
const BASELINE_AFTER_S = 10;

const emulator = createEmulator({ seed: 1, sessions: 600 });
const { url: endpoint } = await emulator.listen({ port: 0, host: '127.0.0.1' });
emulator.faults.add({ error: 'ThrottlingException', rate: 0.1 });
emulator.faults.add({ error: 'http500', rate: 0.05 });
emulator.faults.add({ error: 'drop', rate: 0.02 });

/** A free loopback port (the gateway logs at `warn` here, so its ready line is not printed). */
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address() as AddressInfo;
    probe.close(() => resolve(free));
  });
});
const url = `http://127.0.0.1:${port}`;

const gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    APPSTREAM_UPSTREAM: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'soak',
    AWS_SECRET_ACCESS_KEY: 'soak',
    AWS_ENDPOINT_URL_APPSTREAM: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const breakerChanges: string[] = [];
/** Whether the gateway process has exited (it must not, whatever the load). */
const exited = (): boolean => gateway.exitCode !== null || gateway.signalCode !== null;
createInterface({ input: gateway.stdout }).on('line', (line) => {
  if (line.includes('AppStream circuit breaker')) {
    breakerChanges.push(/"state":"([a-z-]+)"/.exec(line)?.[1] ?? '?');
  }
});
for (let waited = 0; ; waited += 200) {
  if (exited() || waited > 60_000) throw new Error('the gateway did not start');
  const up = await fetch(`${url}/readyz`).then(
    (response) => response.ok,
    () => false,
  );
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const GOOD = [
  '{ stacks(first: 5) { nodes { name fleets { name state sessions(first: 10) { nodes { sessionId userId state } pageInfo { hasNextPage endCursor } } } } } }',
  '{ sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", first: 20) { edges { cursor node { id sessionId startTime } } pageInfo { hasNextPage endCursor } totalCount } }',
  '{ fleets(first: 10) { nodes { name computeCapacity { desired inUse available } stacks { name } } } }',
  '{ stack(name: "engineering-desktops") { name fleets { name } sessions(first: 5, state: [ACTIVE]) { nodes { sessionId } } } }',
];
const BAD = [
  '{ sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", first: 500) { totalCount } }',
  '{ sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", after: "bogus") { totalCount } }',
  '{ sessions(stackName: "no-such-stack", fleetName: "eng-linux-alwayson") { totalCount } }',
  '{ node(id: "not-an-id") { id } }',
  '{ sessions { nope } }',
  '{ sessions(',
];
const HOSTILE = [
  `{ stacks { nodes { ${'fleets { stacks { '.repeat(10)} name ${'} } '.repeat(10)} } } }`,
  `{ ${range(1000)
    .map((i) => `a${i}: __typename`)
    .join(' ')} }`,
  '{ stacks(first: 100) { nodes { fleets { sessions(first: 100) { nodes { sessionId } } } } } }',
  `{ __typename ${'@include(if: true) '.repeat(500)}}`,
  `{ ${'__typename '.repeat(20_000)}}`,
];
const OVERSIZED = JSON.stringify({ query: `{ __typename }${' '.repeat(1_100_000)}` });

interface Tally {
  requests: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  codes: Record<string, number>;
  serverErrors: number;
  malformed: number;
  transportErrors: number;
}
const tally: Tally = {
  requests: 0,
  byKind: {},
  byStatus: {},
  codes: {},
  serverErrors: 0,
  malformed: 0,
  transportErrors: 0,
};
const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

function pick(worker: number, i: number): { kind: string; body: string } {
  const n = (worker * 7919 + i * 104_729) % 100;
  if (n < 55) return { kind: 'good', body: JSON.stringify({ query: GOOD[i % GOOD.length] }) };
  if (n < 75) return { kind: 'bad', body: JSON.stringify({ query: BAD[i % BAD.length] }) };
  if (n < 90)
    return { kind: 'hostile', body: JSON.stringify({ query: HOSTILE[i % HOSTILE.length] }) };
  if (n < 96) return { kind: 'malformed JSON', body: '{"query": "{ __typename ' };
  return { kind: 'oversized', body: OVERSIZED };
}

async function send(kind: string, body: string): Promise<void> {
  tally.requests += 1;
  bump(tally.byKind, kind);
  let response: Response;
  try {
    response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  } catch {
    tally.transportErrors += 1;
    return;
  }
  bump(tally.byStatus, String(response.status));
  if (response.status >= 500) tally.serverErrors += 1;
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    tally.malformed += 1;
    return;
  }
  const result = json as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  const wellFormed =
    typeof json === 'object' &&
    json !== null &&
    ('data' in json || (Array.isArray(result.errors) && result.errors.length > 0));
  if (!wellFormed) tally.malformed += 1;
  for (const error of result.errors ?? []) bump(tally.codes, error.extensions?.code ?? 'none');
}

const started = Date.now();
const deadline = started + SECONDS * 1000;
const samples: { baseline?: number } = {};
const baselineTimer = setTimeout(() => {
  samples.baseline = rssMb(gateway.pid ?? 0);
}, BASELINE_AFTER_S * 1000);
const rssBefore = rssMb(gateway.pid ?? 0);
await Promise.all(
  range(CONCURRENCY).map(async (worker) => {
    for (let i = 0; Date.now() < deadline; i += 1) {
      const { kind, body } = pick(worker, i);
      await send(kind, body);
    }
  }),
);
clearTimeout(baselineTimer);
const rssEnd = rssMb(gateway.pid ?? 0);
const health = await fetch(`${url}/healthz`).then((r) => r.status);
const readyz = await fetch(`${url}/readyz`).then((r): Promise<unknown> => r.json());
const { baseline } = samples;
const exitedDuringRun = exited();
const calls = emulator.calls.list();
const faulted = calls.filter((call) => call.faulted).length;

const elapsed = (Date.now() - started) / 1000;
const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} MB`);
console.log(`Soak: ${SECONDS} s, ${CONCURRENCY} workers, node ${process.version}`);
console.log(`requests: ${tally.requests} (${(tally.requests / elapsed).toFixed(0)}/s)`);
console.log(`by kind: ${JSON.stringify(tally.byKind)}`);
console.log(`by HTTP status: ${JSON.stringify(tally.byStatus)}`);
console.log(`5xx responses: ${tally.serverErrors}`);
console.log(`malformed responses: ${tally.malformed}`);
console.log(`transport errors (no HTTP response): ${tally.transportErrors}`);
console.log(`error codes: ${JSON.stringify(tally.codes)}`);
console.log(
  `AppStream calls at the emulator: ${calls.length}, faulted ${faulted} ` +
    `(${((faulted / Math.max(1, calls.length)) * 100).toFixed(1)}%)`,
);
console.log(
  `breaker state changes logged at warn: ${breakerChanges.join(', ') || 'none'}; ` +
    `the gateway ${exitedDuringRun ? 'EXITED' : 'stayed up'}`,
);
console.log(
  `gateway RSS: ${mb(rssBefore)} idle, ${mb(baseline)} after ${BASELINE_AFTER_S} s, ${mb(rssEnd)} at the end ` +
    `(growth after ${BASELINE_AFTER_S} s: ${baseline === undefined ? 'n/a' : mb(rssEnd - baseline)})`,
);
console.log(`after the run: /healthz ${health}, /readyz ${JSON.stringify(readyz)}`);

gateway.kill('SIGTERM');
await new Promise((resolve) => gateway.once('exit', resolve));
await emulator.close();
const ok =
  !exitedDuringRun &&
  tally.serverErrors === 0 &&
  tally.malformed === 0 &&
  baseline !== undefined &&
  rssEnd - baseline <= 30;
console.log(ok ? 'PASS: zero 5xx, zero malformed, RSS within 30 MB' : 'FAIL');
process.exitCode = ok ? 0 : 1;
