import { describe, expect, it } from 'vitest';
import { createPageCache } from '../../../src/upstream/page-cache.js';
import type { SharedPageStore } from '../../../src/upstream/page-cache.js';
import { createRegionRouter } from '../../../src/upstream/regions.js';
import { createSingleFlight } from '../../../src/upstream/single-flight.js';
import type { SessionQuery } from '../../../src/upstream/types.js';
import { createRecordingUpstream } from './recording-upstream.js';

const fleet: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-1' };

/** Two regions' recording upstreams behind a router, under one page cache and single-flight. */
function setup() {
  const us = createRecordingUpstream();
  const eu = createRecordingUpstream();
  const sharedKeys: string[] = [];
  const shared: SharedPageStore = {
    get: () => Promise.resolve(undefined),
    set: (key) => {
      sharedKeys.push(key);
    },
  };
  const router = createRegionRouter([
    { region: 'us-east-1', upstream: us.upstream },
    { region: 'eu-west-1', upstream: eu.upstream },
  ]);
  const cache = createPageCache(createSingleFlight(router), { ttlMs: 60_000, shared });
  return { us, eu, cache, sharedKeys };
}

describe('regions under the shared layers', () => {
  it('sends each call to its region, and the first region when it names none', async () => {
    const { us, eu, cache } = setup();
    await cache.describeStacks(null, null, { region: 'eu-west-1' });
    await cache.describeFleets(['fleet-1'], null, {});
    expect(eu.calls.map((call) => call.operation)).toEqual(['DescribeStacks']);
    expect(us.calls.map((call) => call.operation)).toEqual(['DescribeFleets']);
  });

  it('never answers a call of one region with the page of another (cache, Redis tier, in flight)', async () => {
    const { us, eu, cache, sharedKeys } = setup();
    const scope = '*';
    // In flight at the same moment: one call per region, not one shared.
    await Promise.all([
      cache.describeSessions(fleet, null, { scope, region: 'us-east-1' }),
      cache.describeSessions(fleet, null, { scope, region: 'eu-west-1' }),
    ]);
    expect(us.calls).toHaveLength(1);
    expect(eu.calls).toHaveLength(1);
    // Cached per region: a repeat in either region is served by that region's entry.
    await cache.describeSessions(fleet, null, { scope, region: 'eu-west-1' });
    await cache.describeSessions(fleet, null, { scope, region: 'us-east-1' });
    expect(us.calls).toHaveLength(1);
    expect(eu.calls).toHaveLength(1);
    expect(cache.stats().entries).toBe(2);
    // The shared tier got two distinct keys, one per region.
    expect(new Set(sharedKeys).size).toBe(2);
  });

  it('refuses a region that is not configured without calling any', async () => {
    const { us, eu, cache } = setup();
    await expect(cache.describeStacks(null, null, { region: 'ap-south-1' })).rejects.toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect([...us.calls, ...eu.calls]).toEqual([]);
  });
});
