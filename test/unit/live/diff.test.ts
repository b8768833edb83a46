import { describe, expect, it } from 'vitest';
import { diffListing, filterChanges, mergeReads, sameValue } from '../../../src/live/index.js';
import type { SessionRecord } from '../../../src/upstream/types.js';

const session = (id: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  region: 'us-east-1',
  id,
  userId: `user-${id}`,
  stackName: 's1',
  fleetName: 'f1',
  state: 'ACTIVE',
  connectionState: 'CONNECTED',
  startTime: '2026-11-28T23:05:00.000Z',
  maxExpirationTime: null,
  authenticationType: 'API',
  networkAccessConfiguration: {
    eniPrivateIpAddress: '10.0.0.1',
    eniIpv6Addresses: null,
    eniId: 'eni-1',
  },
  instanceId: 'i-1',
  instanceDrainStatus: null,
  ...overrides,
});
const byId = (sessions: SessionRecord[]) => new Map(sessions.map((s) => [s.id, s]));

describe('sameValue', () => {
  it('compares records deeply, treating absent and undefined members alike', () => {
    expect(sameValue(session('a'), session('a'))).toBe(true);
    expect(
      sameValue(
        session('a'),
        session('a', {
          networkAccessConfiguration: {
            eniPrivateIpAddress: '10.0.0.2',
            eniIpv6Addresses: null,
            eniId: 'eni-1',
          },
        }),
      ),
    ).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameValue(['x'], ['x', 'y'])).toBe(false);
  });
});

describe('diffListing', () => {
  it('reports nothing for the first read: it is the snapshot', () => {
    expect(diffListing(undefined, [session('a')])).toEqual([]);
  });

  it('reports endings first (previous order), then appearances and changes in listing order', () => {
    const previous = byId([session('a'), session('b'), session('c'), session('d')]);
    const next = [session('b', { state: 'EXPIRED' }), session('d'), session('e')];
    expect(diffListing(previous, next)).toEqual([
      { kind: 'ENDED', session: session('a') },
      { kind: 'ENDED', session: session('c') },
      { kind: 'CHANGED', session: session('b', { state: 'EXPIRED' }), previous: session('b') },
      { kind: 'APPEARED', session: session('e') },
    ]);
  });

  it('reports a change of any field, and nothing when nothing changed', () => {
    const previous = byId([session('a')]);
    expect(diffListing(previous, [session('a')])).toEqual([]);
    expect(diffListing(previous, [session('a', { instanceDrainStatus: 'DRAINING' })])).toHaveLength(
      1,
    );
  });
});

describe('filterChanges', () => {
  const active = (s: SessionRecord) => s.state === 'ACTIVE';

  it('passes everything through without a filter', () => {
    const changes = [{ kind: 'APPEARED', session: session('a') }] as const;
    expect(filterChanges(changes, undefined)).toEqual(changes);
  });

  it('turns entering and leaving the filter into APPEARED and NO_LONGER_MATCHES', () => {
    const changes = diffListing(
      byId([session('a'), session('b', { state: 'PENDING' }), session('c', { state: 'PENDING' })]),
      [
        session('a', { state: 'EXPIRED' }),
        session('b'),
        session('c', { connectionState: 'NOT_CONNECTED', state: 'PENDING' }),
        session('d', { state: 'PENDING' }),
      ],
    );
    expect(filterChanges(changes, active)).toEqual([
      { kind: 'NO_LONGER_MATCHES', session: session('a', { state: 'EXPIRED' }) },
      { kind: 'APPEARED', session: session('b') },
    ]);
  });

  it('keeps endings of matching sessions only, with their last known record', () => {
    const changes = diffListing(byId([session('a'), session('b', { state: 'PENDING' })]), []);
    expect(filterChanges(changes, active)).toEqual([{ kind: 'ENDED', session: session('a') }]);
  });
});

describe('mergeReads', () => {
  it('keeps a session that only one of two reads saw, in the later order, then the extras', () => {
    const earlier = [session('a'), session('c'), session('d')];
    const later = [session('a'), session('b', { state: 'PENDING' }), session('d')];
    expect(mergeReads(earlier, later).map((s) => s.id)).toEqual(['a', 'b', 'd', 'c']);
  });
});
