import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createLiveHub } from '../../../src/live/index.js';
import type { LiveEvent } from '../../../src/live/index.js';
import type {
  SessionQuery,
  SessionRecord,
  Upstream,
  UpstreamPage,
} from '../../../src/upstream/types.js';

const record = (id: string, state: SessionRecord['state'] = 'ACTIVE'): SessionRecord => ({
  region: 'us-east-1',
  id,
  userId: `user-${id}`,
  stackName: 's1',
  fleetName: 'f1',
  state,
  connectionState: 'CONNECTED',
  startTime: null,
  maxExpirationTime: null,
  authenticationType: null,
  networkAccessConfiguration: null,
  instanceId: null,
  instanceDrainStatus: null,
});

/**
 * A scripted upstream: listings by fleet, `pageSize` sessions per page with offsets as tokens
 * (as AppStream's tokens behave), a log of calls, and failures to throw on the next calls.
 */
function scriptedUpstream(pageSize = 50) {
  const listings = new Map<string, SessionRecord[]>([['f1', []]]);
  const calls: Array<{ fleet: string; token: string | null }> = [];
  const failures: GatewayError[] = [];
  let beforePage: ((token: string | null) => void) | undefined;
  const upstream: Pick<Upstream, 'describeSessions'> = {
    describeSessions(query: SessionQuery, token: string | null) {
      calls.push({ fleet: query.fleetName, token });
      const failure = failures.shift();
      if (failure !== undefined) return Promise.reject(failure);
      beforePage?.(token);
      const listing = listings.get(query.fleetName);
      if (listing === undefined) {
        return Promise.reject(new GatewayError(ErrorCode.NOT_FOUND, 'AppStream found no fleet.'));
      }
      const offset = token === null ? 0 : Number(token);
      const items = listing.slice(offset, offset + pageSize);
      const next = offset + pageSize < listing.length ? String(offset + pageSize) : null;
      return Promise.resolve<UpstreamPage<SessionRecord>>({ items, nextToken: next });
    },
  };
  return {
    upstream: upstream as Upstream,
    listings,
    calls,
    failures,
    onPage(hook: (token: string | null) => void) {
      beforePage = hook;
    },
  };
}

const query = (fleetName = 'f1'): SessionQuery => ({ stackName: 's1', fleetName });
const ANY = { scope: '*' };
const throttled = () => new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'throttled');
const unavailable = () => new GatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'unavailable');

/** Collects the events of one subscription as they arrive. */
function collect(iterator: AsyncIterableIterator<LiveEvent>) {
  const events: LiveEvent[] = [];
  const done = (async () => {
    for await (const event of iterator) events.push(event);
  })();
  return { events, done, iterator };
}

const kinds = (events: readonly LiveEvent[]) =>
  events.map((event) =>
    event.kind === 'SNAPSHOT'
      ? `SNAPSHOT:${event.listing.sessions.map((s) => s.id).join(',')}`
      : event.kind === 'FAILED'
        ? `FAILED:${event.error.code}`
        : `${event.kind}:${event.session.id}`,
  );

/** A hub over a scripted upstream whose listing `f1` holds `initial`. */
function setup(
  initial: SessionRecord[] = [],
  settings: Parameters<typeof createLiveHub>[0]['settings'] = { intervalMs: 1000 },
  pageSize = 50,
) {
  const fake = scriptedUpstream(pageSize);
  fake.listings.set('f1', initial);
  const hub = createLiveHub({ upstream: fake.upstream, scanBound: 100, settings });
  return { fake, hub };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createLiveHub', () => {
  it('polls a listing once per interval for all its subscribers, and stops when they leave', async () => {
    const { fake, hub } = setup([record('a')]);
    const subscribers = Array.from({ length: 5 }, () =>
      collect(hub.connection().subscribe(query(), ANY)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls).toHaveLength(1);
    for (const { events } of subscribers) expect(kinds(events)).toEqual(['SNAPSHOT:a']);

    fake.listings.set('f1', [record('a', 'EXPIRED'), record('b')]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(fake.calls).toHaveLength(4);
    for (const { events } of subscribers) {
      expect(kinds(events)).toEqual(['SNAPSHOT:a', 'CHANGED:a', 'APPEARED:b']);
    }
    expect(hub.stats()).toMatchObject({ subscriptions: 5, pollers: 1, polls: { ok: 4 } });

    for (const { iterator } of subscribers) await iterator.return?.();
    expect(hub.stats()).toMatchObject({ subscriptions: 0, pollers: 0 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.calls).toHaveLength(4);
  });

  it('gives a late subscriber the current state as its snapshot, not the history', async () => {
    const { fake, hub } = setup([record('a')]);
    const early = collect(hub.connection().subscribe(query(), ANY));
    await vi.advanceTimersByTimeAsync(0);
    fake.listings.set('f1', [record('b')]);
    await vi.advanceTimersByTimeAsync(1000);
    const late = collect(hub.connection().subscribe(query(), ANY));
    await vi.advanceTimersByTimeAsync(0);
    expect(kinds(early.events)).toEqual(['SNAPSHOT:a', 'ENDED:a', 'APPEARED:b']);
    expect(kinds(late.events)).toEqual(['SNAPSHOT:b']);
    expect(fake.calls).toHaveLength(2);
  });

  it('backs off while throttled, sends nothing, and returns to the interval once answered', async () => {
    const { fake, hub } = setup([record('a')]);
    const sub = collect(hub.connection().subscribe(query(), ANY));
    await vi.advanceTimersByTimeAsync(0);
    fake.failures.push(throttled(), throttled(), throttled());
    const times: number[] = [];
    const start = Date.now();
    fake.onPage(() => times.push(Date.now() - start));
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 1000);
    // Throttled polls at 1 s, 3 s (+2), 7 s (+4); answered at 15 s (+8); then every second again.
    expect(fake.calls).toHaveLength(6);
    expect(times).toEqual([15_000, 16_000]);
    expect(hub.stats().polls).toEqual({ ok: 3, throttled: 3, failed: 0 });
    expect(kinds(sub.events)).toEqual(['SNAPSHOT:a']);
  });

  it('ends the subscriptions with LIVE_UPDATES_INTERRUPTED after an outage longer than the bound', async () => {
    const { fake, hub } = setup([record('a')], { intervalMs: 1000, outageMs: 10_000 });
    const sub = collect(hub.connection().subscribe(query(), ANY));
    await vi.advanceTimersByTimeAsync(0);
    fake.failures.push(...Array.from({ length: 20 }, unavailable));
    await vi.advanceTimersByTimeAsync(9000);
    expect(kinds(sub.events)).toEqual(['SNAPSHOT:a']);
    await vi.advanceTimersByTimeAsync(20_000);
    await sub.done;
    expect(kinds(sub.events)).toEqual(['SNAPSHOT:a', 'FAILED:LIVE_UPDATES_INTERRUPTED']);
    expect(hub.stats()).toMatchObject({ subscriptions: 0, pollers: 0 });
  });

  it('ends the subscriptions at once when the listing itself is gone (NOT_FOUND)', async () => {
    const { hub } = setup();
    const sub = collect(hub.connection().subscribe(query('nope'), ANY));
    await vi.advanceTimersByTimeAsync(0);
    await sub.done;
    expect(kinds(sub.events)).toEqual(['FAILED:NOT_FOUND']);
  });

  it('re-reads a multi-page listing before reporting endings, so shifted pages end nothing falsely', async () => {
    const letters = ['a', 'b', 'c', 'd', 'e'];
    const { fake, hub } = setup(
      letters.map((id) => record(id)),
      { intervalMs: 1000 },
      2,
    );
    const sub = collect(hub.connection().subscribe(query(), ANY));
    await vi.advanceTimersByTimeAsync(0);
    // During the next read, `a` ends after the first page was read: the second page (offset 2)
    // then starts at `d`, so the first read misses `c` although it is still listed.
    let ended = false;
    fake.onPage((token) => {
      if (token === '2' && !ended) {
        ended = true;
        fake.listings.set(
          'f1',
          ['b', 'c', 'd', 'e'].map((id) => record(id)),
        );
      }
    });
    fake.calls.length = 0;
    await vi.advanceTimersByTimeAsync(1000);
    // Read 1 saw a, b | d, e; read 2 saw b, c | d, e: nothing is missing from both reads.
    expect(kinds(sub.events)).toEqual(['SNAPSHOT:a,b,c,d,e']);
    expect(fake.calls).toHaveLength(2 + 2);
    await vi.advanceTimersByTimeAsync(1000);
    // `a` is missing from both reads of the next poll: it ended; `c` never did.
    expect(kinds(sub.events)).toEqual(['SNAPSHOT:a,b,c,d,e', 'ENDED:a']);
    expect(fake.calls).toHaveLength(4 + 2 + 2);
  });

  it('enforces the limits on subscriptions per connection, in total, and pollers', async () => {
    const { fake, hub } = setup([], {
      maxSubscriptionsPerConnection: 2,
      maxSubscriptions: 3,
      maxPollers: 1,
    });
    fake.listings.set('f2', []);
    const one = hub.connection();
    const first = one.subscribe(query(), ANY);
    one.subscribe(query(), ANY);
    expect(() => one.subscribe(query(), ANY)).toThrow(/LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    const two = hub.connection();
    expect(() => two.subscribe(query('f2'), ANY)).toThrow(/LIVE_MAX_POLLERS/);
    two.subscribe(query(), ANY);
    expect(() => two.subscribe(query(), ANY)).toThrow(/LIVE_MAX_SUBSCRIPTIONS\)/);
    await first.return?.();
    expect(() => one.subscribe(query(), ANY)).not.toThrow();
    hub.close();
    expect(() => hub.connection().subscribe(query(), ANY)).toThrow(GatewayError);
    expect(hub.stats().pollers).toBe(0);
  });

  it('limits the distinct listings one connection watches, so one client cannot take every poller', async () => {
    const { fake, hub } = setup([], { maxListingsPerConnection: 2, maxPollers: 10 });
    for (const fleet of ['f2', 'f3']) fake.listings.set(fleet, []);
    const hog = hub.connection();
    const first = hog.subscribe(query(), ANY);
    hog.subscribe(query(), ANY);
    hog.subscribe(query('f2'), ANY);
    expect(() => hog.subscribe(query('f3'), ANY)).toThrow(/LIVE_MAX_LISTINGS_PER_CONNECTION/);
    // Another connection still gets a poller of its own.
    expect(() => hub.connection().subscribe(query('f3'), ANY)).not.toThrow();
    // A listing the connection still holds (one of two subscriptions ended) still counts.
    await first.return?.();
    expect(() => hog.subscribe(query('f3'), ANY)).toThrow(/LIVE_MAX_LISTINGS_PER_CONNECTION/);
    hub.close();
  });
});
