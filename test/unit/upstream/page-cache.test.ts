import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createUpstreamStats } from '../../../src/upstream/observe.js';
import { createPageCache } from '../../../src/upstream/page-cache.js';
import { createSingleFlight } from '../../../src/upstream/single-flight.js';
import type { SessionQuery } from '../../../src/upstream/types.js';
import { createRecordingUpstream } from './recording-upstream.js';

const fleet1: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-1' };
const fleet2: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-2' };

/** A page cache over a recording upstream, on a clock the test moves by hand. */
function setup(options: { ttlMs?: number; maxEntries?: number; maxBytes?: number } = {}) {
  const recording = createRecordingUpstream();
  let time = 1000;
  const cache = createPageCache(recording.upstream, {
    ttlMs: options.ttlMs ?? 5000,
    ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    now: () => time,
  });
  return {
    ...recording,
    cache,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const ids = (page: { items: readonly { id: string }[] }) => page.items.map((item) => item.id);

describe('createPageCache', () => {
  it('returns what the upstream returned, and serves a repeat from the cache within the TTL', async () => {
    const { cache, calls } = setup();
    const first = await cache.describeSessions(fleet1, null, { scope: '*' });
    expect(ids(first)).toEqual(['s1-a', 's1-b']);
    expect(first.nextToken).toBe('page-2');
    const again = await cache.describeSessions({ ...fleet1 }, null, { scope: '*' });
    expect(again).toEqual(first);
    expect(calls).toHaveLength(1);
  });

  it('keys pages by token: the next page is a different entry', async () => {
    const { cache, calls } = setup();
    await cache.describeSessions(fleet1, null, { scope: '*' });
    const second = await cache.describeSessions(fleet1, 'page-2', { scope: '*' });
    expect(ids(second)).toEqual(['s2-a', 's2-b']);
    await cache.describeSessions(fleet1, 'page-2', { scope: '*' });
    expect(calls.map((call) => call.args[1])).toEqual([null, 'page-2']);
  });

  it('expires entries after the TTL, counted from when the call was made', async () => {
    const { cache, calls, advance } = setup({ ttlMs: 5000 });
    await cache.describeSessions(fleet1, null, { scope: '*' });
    advance(4999);
    expect(ids(await cache.describeSessions(fleet1, null, { scope: '*' }))).toEqual([
      's1-a',
      's1-b',
    ]);
    advance(2);
    expect(ids(await cache.describeSessions(fleet1, null, { scope: '*' }))).toEqual([
      's2-a',
      's2-b',
    ]);
    expect(calls).toHaveLength(2);
  });

  it('counts a page a caller joined in flight from when the first caller made the call', async () => {
    const recording = createRecordingUpstream();
    let time = 1000;
    const cache = createPageCache(createSingleFlight(recording.upstream), {
      ttlMs: 5000,
      now: () => time,
    });
    const release = recording.hold();
    const first = cache.describeSessions(fleet1, null, { scope: '*' });
    time += 3000;
    const joined = cache.describeSessions(fleet1, null, { scope: '*' });
    release();
    await Promise.all([first, joined]);
    expect(recording.calls).toHaveLength(1);
    // 5.5 s after AppStream was asked: past the TTL, whoever joined the call later.
    time += 2500;
    expect(ids(await cache.describeSessions(fleet1, null, { scope: '*' }))).toEqual([
      's2-a',
      's2-b',
    ]);
  });

  it('never serves a page to another scope', async () => {
    const { cache, calls } = setup();
    const forAll = await cache.describeSessions(fleet1, null, { scope: '*' });
    const forA = await cache.describeSessions(fleet1, null, { scope: 'stacks:stack-a' });
    expect(ids(forA)).not.toEqual(ids(forAll));
    expect(calls.map((call) => call.scope)).toEqual(['*', 'stacks:stack-a']);
  });

  it('never serves a page to another fleet or filter set', async () => {
    const { cache, calls } = setup();
    const queries: SessionQuery[] = [
      fleet1,
      fleet2,
      { ...fleet1, userId: 'u1', authenticationType: 'API' },
      { ...fleet1, userId: 'u1', authenticationType: 'SAML' },
      { ...fleet1, userId: 'u2', authenticationType: 'API' },
      { ...fleet1, instanceId: 'i-1' },
    ];
    const pages = [];
    for (const query of queries)
      pages.push(await cache.describeSessions(query, null, { scope: '*' }));
    expect(calls).toHaveLength(queries.length);
    for (const [i, page] of pages.entries()) {
      expect(page.items.every((item) => item.fleetName === queries[i]?.fleetName)).toBe(true);
      expect(page.items.every((item) => item.instanceId === (queries[i]?.instanceId ?? null))).toBe(
        true,
      );
    }
    // Each of them is now cached under its own key.
    for (const query of queries) await cache.describeSessions(query, null, { scope: '*' });
    expect(calls).toHaveLength(queries.length);
  });

  it('caches the other operations by their names and tokens', async () => {
    const { cache, calls } = setup();
    await cache.describeStacks(['a', 'b'], null, { scope: '*' });
    await cache.describeStacks(['a', 'b'], null, { scope: '*' });
    await cache.describeStacks(['a'], null, { scope: '*' });
    await cache.describeStacks(null, null, { scope: '*' });
    await cache.describeFleets(['a', 'b'], null, { scope: '*' });
    await cache.listAssociatedFleets('a', null, { scope: '*' });
    await cache.listAssociatedFleets('a', null, { scope: '*' });
    await cache.listAssociatedStacks('a', null, { scope: '*' });
    expect(calls.map((call) => call.operation)).toEqual([
      'DescribeStacks',
      'DescribeStacks',
      'DescribeStacks',
      'DescribeFleets',
      'ListAssociatedFleets',
      'ListAssociatedStacks',
    ]);
  });

  it('lets calls without a scope through uncached', async () => {
    const { cache, calls } = setup();
    await cache.describeSessions(fleet1, null);
    await cache.describeSessions(fleet1, null);
    expect(calls).toHaveLength(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('never caches a failure', async () => {
    const { cache, calls, failNextWith } = setup();
    failNextWith(new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'throttled'));
    await expect(cache.describeSessions(fleet1, null, { scope: '*' })).rejects.toThrow('throttled');
    expect(ids(await cache.describeSessions(fleet1, null, { scope: '*' }))).toEqual([
      's2-a',
      's2-b',
    ]);
    expect(calls).toHaveLength(2);
  });

  it('with maxAgeMs 0 always asks the upstream, and stores the fresh page for others', async () => {
    const { cache, calls } = setup();
    await cache.describeSessions(fleet1, null, { scope: '*' });
    const fresh = await cache.describeSessions(fleet1, null, { scope: '*', maxAgeMs: 0 });
    expect(ids(fresh)).toEqual(['s2-a', 's2-b']);
    expect(ids(await cache.describeSessions(fleet1, null, { scope: '*' }))).toEqual([
      's2-a',
      's2-b',
    ]);
    expect(calls).toHaveLength(2);
  });

  it('is bounded by entries, dropping the least recently used page', async () => {
    const { cache, calls } = setup({ maxEntries: 2 });
    await cache.describeSessions(fleet1, null, { scope: '*' });
    await cache.describeSessions(fleet2, null, { scope: '*' });
    await cache.describeSessions(fleet1, 'page-2', { scope: '*' });
    expect(cache.stats().entries).toBe(2);
    await cache.describeSessions(fleet1, null, { scope: '*' });
    expect(calls).toHaveLength(4);
  });

  it('is bounded by bytes', async () => {
    const { cache } = setup({ maxBytes: 2000 });
    for (let i = 0; i < 20; i++) {
      await cache.describeSessions({ ...fleet1, instanceId: `i-${i}` }, null, { scope: '*' });
    }
    const { entries, bytes } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(2000);
    expect(entries).toBeGreaterThan(0);
    expect(entries).toBeLessThan(20);
  });

  it('reports hits and misses to the call observer', async () => {
    const { cache } = setup();
    const { stats, observer } = createUpstreamStats();
    await cache.describeSessions(fleet1, null, { scope: '*', observer });
    await cache.describeSessions(fleet1, null, { scope: '*', observer });
    expect(stats).toMatchObject({ cacheHits: 1, cacheMisses: 1 });
  });
});
