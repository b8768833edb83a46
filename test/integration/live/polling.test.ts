import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import {
  describeEvents,
  record,
  SESSION_EVENTS,
  waitUntil,
  wsClient,
  twoFleets,
} from './helpers.js';
import type { Recorded } from './helpers.js';

const INTERVAL_MS = 100;
const dataset = () => twoFleets(3, 130);

let stack: TestStack | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await stack?.close();
  stack = undefined;
});

async function start(live: Parameters<typeof startTestStack>[0] = {}): Promise<TestStack> {
  stack = await startTestStack({
    emulator: { dataset: dataset() },
    ...live,
    live: { intervalMs: INTERVAL_MS, ...live.live },
  });
  return stack;
}

function client(url: string): Client {
  const created = wsClient(url);
  clients.push(created);
  return created;
}

const listingCalls = (s: TestStack, fleet: string) =>
  s.emulator.calls.count('DescribeSessions', { StackName: 's1', FleetName: fleet });

/** `subscribers` subscriptions spread over `connections` clients, each on one of `fleets`. */
function subscribeMany(s: TestStack, subscribers: number, connections: number, fleets: string[]) {
  const pool = Array.from({ length: connections }, () => client(s.url));
  return Array.from({ length: subscribers }, (_, i) =>
    record(pool[i % connections]!, SESSION_EVENTS, {
      stack: 's1',
      fleet: fleets[i % fleets.length],
    }),
  );
}

async function allReceive(subs: Recorded[], count: number): Promise<void> {
  await Promise.all(subs.map((sub) => sub.waitForEvents(count)));
}

describe('one poll per listing', () => {
  it('100 subscribers on one listing cost one DescribeSessions call per interval, not 100', async () => {
    const s = await start();
    const started = Date.now();
    const subs = subscribeMany(s, 100, 10, ['f1']);
    await allReceive(subs, 1);
    for (let round = 1; round <= 3; round += 1) {
      s.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' });
      await allReceive(subs, 1 + round);
    }
    const { polls, pollers, subscriptions } = s.gateway.live.stats();
    const calls = listingCalls(s, 'f1');
    expect({ pollers, subscriptions }).toEqual({ pollers: 1, subscriptions: 100 });
    // One call per poll (the listing fits one page); at most one more is in flight right now.
    expect(calls - polls.ok).toBeGreaterThanOrEqual(0);
    expect(calls - polls.ok).toBeLessThanOrEqual(1);
    expect(polls.ok).toBeGreaterThanOrEqual(4);
    expect(polls.ok).toBeLessThanOrEqual((Date.now() - started) / INTERVAL_MS + 1);
    for (const sub of subs) {
      expect(describeEvents(sub.events).map((e) => e.split(':')[0])).toEqual([
        'SNAPSHOT',
        'APPEARED',
        'APPEARED',
        'APPEARED',
      ]);
      expect(sub.errors).toEqual([]);
    }
  });

  it('subscribers on two listings cost one call per interval per listing', async () => {
    const s = await start();
    const subs = subscribeMany(s, 100, 10, ['f1', 'f2']);
    await allReceive(subs, 1);
    const before = s.gateway.live.stats().polls.ok;
    await waitUntil(() => s.gateway.live.stats().polls.ok >= before + 6, 'six more polls');
    const { polls, pollers } = s.gateway.live.stats();
    expect(pollers).toBe(2);
    // f2 holds 130 sessions: three pages per read (a read in flight may have made one or two).
    const reads = listingCalls(s, 'f1') + listingCalls(s, 'f2') / 3;
    expect(reads - polls.ok).toBeGreaterThanOrEqual(0);
    expect(reads - polls.ok).toBeLessThanOrEqual(2);
    expect(listingCalls(s, 'f1')).toBeGreaterThan(0);
    expect(listingCalls(s, 'f2')).toBeGreaterThanOrEqual(3);
  });
});

describe('changes between polls', () => {
  it('reach every subscriber exactly once, in order, with the right kind', async () => {
    const s = await start();
    const c1 = client(s.url);
    const c2 = client(s.url);
    const plain = [
      record(c1, SESSION_EVENTS, { stack: 's1', fleet: 'f1' }),
      record(c2, SESSION_EVENTS, { stack: 's1', fleet: 'f1' }),
    ];
    const active = record(c2, SESSION_EVENTS, { stack: 's1', fleet: 'f1', state: ['ACTIVE'] });
    const all = [...plain, active];
    await allReceive(all, 1);
    const [a, b, c] = s.emulator.data.sessions('s1', 'f1').map((session) => session.Id);
    const data = s.emulator.data;

    // Three changes between two polls (the emulator runs in this process: nothing interleaves).
    const d = data.addSession({ StackName: 's1', FleetName: 'f1', State: 'ACTIVE' }).Id;
    data.updateSession(b!, { ConnectionState: 'NOT_CONNECTED' });
    data.endSession(c!);
    await allReceive(all, 4);
    data.updateSession(a!, { State: 'EXPIRED' });
    await allReceive(all, 5);
    data.endSession(d);
    await allReceive(all, 6);
    const polls = s.gateway.live.stats().polls.ok;
    await waitUntil(() => s.gateway.live.stats().polls.ok >= polls + 3, 'three quiet polls');

    for (const sub of plain) {
      expect(describeEvents(sub.events)).toEqual([
        'SNAPSHOT:3',
        `ENDED:${c}`,
        `CHANGED:${b}`,
        `APPEARED:${d}`,
        `CHANGED:${a}`,
        `ENDED:${d}`,
      ]);
    }
    expect(describeEvents(active.events)).toEqual([
      'SNAPSHOT:3',
      `ENDED:${c}`,
      `CHANGED:${b}`,
      `APPEARED:${d}`,
      `NO_LONGER_MATCHES:${a}`,
      `ENDED:${d}`,
    ]);
    const changed = plain[0]!.events[2]!;
    expect(changed.session).toEqual({
      sessionId: b,
      state: 'ACTIVE',
      connectionState: 'NOT_CONNECTED',
    });
    expect(plain[0]!.events[4]!.session?.state).toBe('EXPIRED');
    // Each event is stamped with the poll that saw it, in order.
    const stamps = plain[0]!.events.map((event) => Date.parse(event.observedAt));
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps);
    for (const sub of all) expect(sub.errors).toEqual([]);
  });

  it('gives a late subscriber the current snapshot, not the history, with cursors that page on', async () => {
    const s = await start();
    const early = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f2' });
    await early.waitForEvents(1);
    const [first] = s.emulator.data.sessions('s1', 'f2');
    s.emulator.data.endSession(first!.Id);
    s.emulator.data.addSession({ StackName: 's1', FleetName: 'f2' });
    await early.waitForEvents(3);

    const late = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f2' });
    await late.waitForEvents(1);
    const snapshot = late.events[0]!.snapshot!;
    expect(describeEvents(late.events)).toEqual(['SNAPSHOT:130']);
    expect(snapshot.edges).toHaveLength(100);
    expect(snapshot.pageInfo.hasNextPage).toBe(true);
    const rest = await s.graphql<{
      sessions: {
        edges: Array<{ node: { sessionId: string } }>;
        pageInfo: { hasNextPage: boolean };
      };
    }>(
      `query($after: String) { sessions(stackName: "s1", fleetName: "f2", first: 100, after: $after) {
        edges { node { sessionId } } pageInfo { hasNextPage } } }`,
      { after: snapshot.pageInfo.endCursor },
    );
    const listed = [
      ...snapshot.edges.map((edge) => edge.node.sessionId),
      ...rest.data!.sessions.edges.map((edge) => edge.node.sessionId),
    ];
    expect(listed).toEqual(s.emulator.data.sessions('s1', 'f2').map((session) => session.Id));
    expect(rest.data!.sessions.pageInfo.hasNextPage).toBe(false);
  });

  it('serves a snapshot from the last poll, without an upstream call of its own', async () => {
    const s = await start({ live: { intervalMs: 60_000 } });
    const first = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f2' });
    await first.waitForEvents(1);
    expect(listingCalls(s, 'f2')).toBe(3);
    const second = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f2' });
    await second.waitForEvents(1);
    expect(second.events[0]!.snapshot).toEqual(first.events[0]!.snapshot);
    expect(second.events[0]!.observedAt).toBe(first.events[0]!.observedAt);
    expect(s.emulator.calls.count()).toBe(3);
  });
});

describe('the poller lifecycle', () => {
  it('stops polling when the last subscriber leaves', async () => {
    const s = await start();
    const subs = subscribeMany(s, 3, 2, ['f1']);
    await allReceive(subs, 1);
    for (const sub of subs) sub.unsubscribe();
    await waitUntil(() => s.gateway.live.stats().pollers === 0, 'the poller to stop');
    expect(s.gateway.live.stats().subscriptions).toBe(0);
    // A read already in flight may still land; after it, nothing for five intervals.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    s.emulator.calls.reset();
    await new Promise((resolve) => setTimeout(resolve, 5 * INTERVAL_MS));
    expect(s.emulator.calls.count('DescribeSessions')).toBe(0);
  });

  it('backs off while AppStream throttles: no error, no false ENDED, and it recovers', async () => {
    const s = await start();
    const subs = subscribeMany(s, 4, 2, ['f1']);
    await allReceive(subs, 1);
    s.emulator.faults.add({
      operation: 'DescribeSessions',
      stackName: 's1',
      error: 'ThrottlingException',
      times: 3,
    });
    await waitUntil(() => s.gateway.live.stats().polls.throttled === 3, 'three throttled polls');
    const added = s.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' }).Id;
    await allReceive(subs, 2);
    for (const sub of subs) {
      expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:3', `APPEARED:${added}`]);
      expect(sub.errors).toEqual([]);
    }
    expect(s.gateway.live.stats().polls.failed).toBe(0);
  });

  it('ends the subscriptions with LIVE_UPDATES_INTERRUPTED when AppStream fails for too long', async () => {
    const s = await start({ live: { outageMs: 400 } });
    const sub = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    s.emulator.faults.add({ operation: 'DescribeSessions', error: 'http500', times: 1000 });
    await sub.ended();
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:3']);
    expect(sub.errors.map((error) => error.extensions?.code)).toEqual(['LIVE_UPDATES_INTERRUPTED']);
    expect(sub.errors[0]!.message).toMatch(/subscribe again/);
    expect(s.gateway.live.stats()).toMatchObject({ pollers: 0, subscriptions: 0 });
  });
});

describe('with the page cache and metrics', () => {
  it('reads fresh on every poll although the page cache would serve the page for a minute', async () => {
    const s = await start({ pageCacheTtlMs: 60_000 });
    const sub = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    const added = s.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' });
    await sub.waitForEvents(2);
    s.emulator.data.endSession(added.Id);
    await sub.waitForEvents(3);
    expect(describeEvents(sub.events)).toEqual([
      'SNAPSHOT:3',
      `APPEARED:${added.Id}`,
      `ENDED:${added.Id}`,
    ]);
  });

  it("refreshes the page cache for the poller's scope, so queries read the polled pages", async () => {
    const s = await start({ pageCacheTtlMs: 60_000, live: { intervalMs: 60_000 } });
    const sub = record(client(s.url), SESSION_EVENTS, { stack: 's1', fleet: 'f2' });
    await sub.waitForEvents(1);
    expect(listingCalls(s, 'f2')).toBe(3);
    const page = await s.graphql<{ sessions: { totalCount: number } }>(
      '{ sessions(stackName: "s1", fleetName: "f2") { totalCount } }',
    );
    expect(page.data?.sessions.totalCount).toBe(130);
    expect(listingCalls(s, 'f2')).toBe(3);
  });

  it('exposes subscriptions, pollers, polls and events sent at /metrics', async () => {
    const s = await start();
    const subs = subscribeMany(s, 3, 1, ['f1']);
    await allReceive(subs, 1);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toMatch(/^gateway_live_subscriptions 3$/m);
    expect(text).toMatch(/^gateway_live_pollers 1$/m);
    expect(text).toMatch(/^gateway_live_polls_total\{outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^gateway_live_events_sent_total [3-9]\d*$/m);
  });
});
