/**
 * Soak of live updates (figures printed, nothing asserted): SUBSCRIBERS subscriptions over
 * LISTINGS listings for DURATION_S seconds while the emulator churns (sessions start, change and
 * end). The gateway runs as a process of its own (`src/main.ts` with APPSTREAM_UPSTREAM=aws
 * pointed at an emulator started here), so its memory is measured alone, from its /metrics.
 *
 *   npm run soak:live                     # 1,000 subscribers, 20 listings, 60 s, 1 s interval
 *   SUBSCRIBERS=200 DURATION_S=20 npm run soak:live
 */
import { spawn } from 'node:child_process';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createEmulator, datasetBuilder } from '../src/emulator/index.js';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const SUBSCRIBERS = number('SUBSCRIBERS', 1000);
const LISTINGS = number('LISTINGS', 20);
const DURATION_S = number('DURATION_S', 60);
const INTERVAL_MS = number('INTERVAL_MS', 1000);
const CHURN_PER_S = number('CHURN_PER_S', 20);
const SESSIONS_PER_LISTING = number('SESSIONS_PER_LISTING', 30);
const CONNECTIONS = Math.ceil(SUBSCRIBERS / 50);

const stacks = Math.ceil(LISTINGS / 5);
let builder = datasetBuilder();
for (let s = 0; s < stacks; s += 1) builder = builder.stack(`stack-${s}`);
for (let f = 0; f < 5; f += 1) builder = builder.fleet(`fleet-${f}`);
const listings: Array<{ stack: string; fleet: string }> = [];
for (let i = 0; i < LISTINGS; i += 1) {
  const listing = { stack: `stack-${Math.floor(i / 5)}`, fleet: `fleet-${i % 5}` };
  listings.push(listing);
  builder = builder
    .associate(listing.stack, listing.fleet)
    .sessions(listing.stack, listing.fleet, SESSIONS_PER_LISTING);
}
const emulator = createEmulator({ dataset: builder.build() });
const { url: emulatorUrl } = await emulator.listen();

const gateway = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    APPSTREAM_UPSTREAM: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'soak',
    AWS_SECRET_ACCESS_KEY: 'soak',
    AWS_ENDPOINT_URL_APPSTREAM: emulatorUrl,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    LIVE_MAX_SUBSCRIPTIONS: String(SUBSCRIBERS * 2),
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const httpUrl = await new Promise<string>((resolve, reject) => {
  let buffer = '';
  gateway.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const match = /Gateway ready at (http:\/\/[^/"]+)\/graphql/.exec(buffer);
    if (match?.[1] !== undefined) resolve(match[1]);
  });
  gateway.once('exit', (code) => reject(new Error(`the gateway exited (${String(code)})`)));
});

async function gatewayMemory(): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: read('process_resident_memory_bytes') / 2 ** 20,
    heap: read('nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

const clients = Array.from({ length: CONNECTIONS }, () =>
  createClient({ url: `${httpUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket }),
);
let events = 0;
let errors = 0;
let snapshots = 0;
const unsubscribes = Array.from({ length: SUBSCRIBERS }, (_, i) => {
  const listing = listings[i % LISTINGS] ?? { stack: '', fleet: '' };
  const client = clients[i % CONNECTIONS];
  if (client === undefined) throw new Error('no client');
  return client.subscribe<{ sessionEvents: { kind: string } }>(
    {
      query: `subscription { sessionEvents(stackName: "${listing.stack}", fleetName: "${listing.fleet}") {
        kind observedAt session { id sessionId state connectionState } } }`,
    },
    {
      next: (result) => {
        if (result.errors) errors += 1;
        else if (result.data?.sessionEvents.kind === 'SNAPSHOT') snapshots += 1;
        else events += 1;
      },
      error: () => (errors += 1),
      complete: () => undefined,
    },
  );
});
while (snapshots < SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 50));
emulator.calls.reset();
const started = Date.now();
console.log(
  `${SUBSCRIBERS} subscribers on ${CONNECTIONS} connections over ${LISTINGS} listings ` +
    `(${SESSIONS_PER_LISTING} sessions each), interval ${INTERVAL_MS} ms, ` +
    `${CHURN_PER_S} changes/s, ${DURATION_S} s`,
);

let changes = 0;
const churn = setInterval(() => {
  const listing = listings[Math.floor(Math.random() * LISTINGS)];
  if (listing === undefined) return;
  const sessions = emulator.data.sessions(listing.stack, listing.fleet);
  const pick = sessions[Math.floor(Math.random() * sessions.length)];
  const roll = Math.random();
  if (roll < 0.34 || pick === undefined) {
    emulator.data.addSession({ StackName: listing.stack, FleetName: listing.fleet });
  } else if (roll < 0.67) {
    emulator.data.endSession(pick.Id);
  } else {
    emulator.data.updateSession(pick.Id, {
      ConnectionState: pick.ConnectionState === 'CONNECTED' ? 'NOT_CONNECTED' : 'CONNECTED',
    });
  }
  changes += 1;
}, 1000 / CHURN_PER_S);

const samples: Array<{ t: number; rss: number; heap: number; events: number }> = [];
for (let t = 10; t <= DURATION_S; t += 10) {
  await new Promise((resolve) => setTimeout(resolve, started + t * 1000 - Date.now()));
  const memory = await gatewayMemory();
  samples.push({ t, ...memory, events });
  console.log(
    `t=${t}s gateway rss ${memory.rss.toFixed(1)} MiB, heap ${memory.heap.toFixed(1)} MiB, ` +
      `events received ${events}, errors ${errors}`,
  );
}
clearInterval(churn);
const elapsed = (Date.now() - started) / 1000;
const perListing = listings.map((listing) =>
  emulator.calls.count('DescribeSessions', { StackName: listing.stack, FleetName: listing.fleet }),
);
const intervals = elapsed / (INTERVAL_MS / 1000);
const ratios = perListing.map((calls) => calls / intervals);
const first = samples[0];
const last = samples[samples.length - 1];
console.log(
  `changes made ${changes}; events received ${events} (${(events / SUBSCRIBERS).toFixed(1)} per subscriber)`,
);
console.log(
  `DescribeSessions calls per listing per interval: min ${Math.min(...ratios).toFixed(2)}, ` +
    `max ${Math.max(...ratios).toFixed(2)} (${intervals.toFixed(0)} intervals; one page per read)`,
);
if (first !== undefined && last !== undefined) {
  console.log(
    `gateway memory from t=${first.t}s to t=${last.t}s: rss ${first.rss.toFixed(1)} -> ` +
      `${last.rss.toFixed(1)} MiB (${(last.rss - first.rss).toFixed(1)}), heap ` +
      `${first.heap.toFixed(1)} -> ${last.heap.toFixed(1)} MiB (${(last.heap - first.heap).toFixed(1)})`,
  );
}
console.log(`errors ${errors}`);
for (const unsubscribe of unsubscribes) unsubscribe();
await Promise.all(clients.map(async (client) => client.dispose()));
gateway.kill('SIGTERM');
await new Promise((resolve) => gateway.once('exit', resolve));
await emulator.close();
