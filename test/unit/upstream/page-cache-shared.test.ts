import { describe, expect, it } from 'vitest';
import { createPageCache } from '../../../src/upstream/page-cache.js';
import type { SharedPageStore } from '../../../src/upstream/page-cache.js';
import type { SessionQuery } from '../../../src/upstream/types.js';
import { createRecordingUpstream } from './recording-upstream.js';

const fleet: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-1' };
const TTL = 5000;

/** Two replicas' page caches over one in-memory shared tier, on one clock moved by hand. */
function setup() {
  let time = 1000;
  const entries = new Map<string, { value: unknown; storedAt: number }>();
  const shared: SharedPageStore = {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined || time - entry.storedAt >= TTL) return Promise.resolve(undefined);
      return Promise.resolve({ value: entry.value, ageMs: time - entry.storedAt });
    },
    set(key, value, ageMs) {
      entries.set(key, { value, storedAt: time - ageMs });
    },
  };
  const replica = () => {
    const recording = createRecordingUpstream();
    const cache = createPageCache(recording.upstream, { ttlMs: TTL, shared, now: () => time });
    return { cache, calls: recording.calls };
  };
  return { replica, entries, advance: (ms: number) => (time += ms) };
}

describe('createPageCache with a shared tier', () => {
  it("serves another replica's page, by scope, and never past the TTL of the original call", async () => {
    const { replica, advance } = setup();
    const a = replica();
    const b = replica();
    const fetched = await a.cache.describeSessions(fleet, null, { scope: '*' });
    advance(3000);
    expect(await b.cache.describeSessions(fleet, null, { scope: '*' })).toEqual(fetched);
    expect(b.calls).toHaveLength(0);
    // Another scope never gets it.
    await b.cache.describeSessions(fleet, null, { scope: 'stacks:x' });
    expect(b.calls).toHaveLength(1);
    // B's local copy is as old as A's call: it expires 5 s after that call, not after B's hit.
    advance(2500);
    await b.cache.describeSessions(fleet, null, { scope: '*' });
    expect(b.calls).toHaveLength(2);
  });

  it('skips the shared tier for calls that must not read old pages, but stores what they fetch', async () => {
    const { replica, entries } = setup();
    const a = replica();
    await a.cache.describeSessions(fleet, null, { scope: '*' });
    await a.cache.describeSessions(fleet, null, { scope: '*', maxAgeMs: 0 });
    expect(a.calls).toHaveLength(2);
    expect(entries.size).toBe(1);
    const b = replica();
    await b.cache.describeSessions(fleet, null, { scope: '*' });
    expect(b.calls).toHaveLength(0);
  });
});
