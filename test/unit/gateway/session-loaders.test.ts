import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createSessionByIdLoader } from '../../../src/loaders/session-by-id.js';
import { createSessionPageLoader, sessionQueryKey } from '../../../src/loaders/session-pages.js';
import type { SessionQuery, SessionRecord, Upstream } from '../../../src/upstream/types.js';

function session(stackName: string, fleetName: string, id: string): SessionRecord {
  return {
    region: 'us-east-1',
    id,
    userId: `user-${id}`,
    stackName,
    fleetName,
    state: 'ACTIVE',
    connectionState: 'CONNECTED',
    startTime: '2026-11-28T10:00:00.000Z',
    maxExpirationTime: '2026-11-28T22:00:00.000Z',
    authenticationType: 'API',
    networkAccessConfiguration: null,
    instanceId: null,
    instanceDrainStatus: null,
  };
}

/** `count` sessions of one pair, with ids `<prefix>000`, `<prefix>001`, ... */
function sessionsOf(stackName: string, fleetName: string, count: number, prefix = 's') {
  return Array.from({ length: count }, (_, i) =>
    session(stackName, fleetName, `${prefix}${String(i).padStart(3, '0')}`),
  );
}

type Call = [query: SessionQuery, token: string | null];

/**
 * A recording fake upstream whose DescribeSessions pages `listings["stack/fleet"]` by `pageSize`
 * (tokens `t<offset>`), answers NOT_FOUND for an unknown pair, and throws `failures[pair]`.
 */
function recordingUpstream(
  listings: Record<string, readonly SessionRecord[]>,
  options: {
    pageSize?: number;
    failures?: Record<string, Error>;
    trailingEmptyPage?: boolean;
  } = {},
) {
  const calls: Call[] = [];
  const pageSize = options.pageSize ?? 50;
  const unused = () => Promise.reject(new Error('not used by these tests'));
  const upstream: Upstream = {
    describeSessions(query, token) {
      calls.push([query, token]);
      const pair = `${query.stackName}/${query.fleetName}`;
      const failure = options.failures?.[pair];
      if (failure) return Promise.reject(failure);
      const sessions = listings[pair];
      if (!sessions) {
        return Promise.reject(
          new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no stack "${query.stackName}".`),
        );
      }
      const offset = token === null ? 0 : Number(token.slice(1));
      const end = offset + pageSize;
      return Promise.resolve({
        items: sessions.slice(offset, end),
        nextToken:
          end < sessions.length || (options.trailingEmptyPage === true && end === sessions.length)
            ? `t${end}`
            : null,
      });
    },
    describeStacks: unused,
    describeFleets: unused,
    listAssociatedFleets: unused,
    listAssociatedStacks: unused,
  };
  return { upstream, calls };
}

const throttled = new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'AppStream throttled.');
const pairA: SessionQuery = { stackName: 'stack-a', fleetName: 'fleet-a' };
const pairB: SessionQuery = { stackName: 'stack-b', fleetName: 'fleet-b' };
const listingA = sessionsOf('stack-a', 'fleet-a', 160);
const listingB = sessionsOf('stack-b', 'fleet-b', 10, 'b');

function byIdLoader(
  listings: Record<string, readonly SessionRecord[]>,
  options: {
    scanBound?: number;
    failures?: Record<string, Error>;
    trailingEmptyPage?: boolean;
  } = {},
) {
  const { upstream, calls } = recordingUpstream(listings, {
    ...(options.failures ? { failures: options.failures } : {}),
    ...(options.trailingEmptyPage ? { trailingEmptyPage: true } : {}),
  });
  const pages = createSessionPageLoader(upstream);
  return { loader: createSessionByIdLoader(pages, options.scanBound ?? 5000), calls };
}

const keyA = (sessionId: string) => ({ ...pairA, sessionId });

async function settle<T>(promises: readonly Promise<T>[]) {
  const results = await Promise.allSettled(promises);
  return results.map((result) =>
    result.status === 'fulfilled' ? { value: result.value } : { error: result.reason as unknown },
  );
}

describe('createSessionByIdLoader', () => {
  it('finds ids of one pair with one scan that stops at the page holding the last of them', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA });
    expect(await loader.loadMany([keyA('s003'), keyA('s120'), keyA('s049')])).toEqual([
      listingA[3],
      listingA[120],
      listingA[49],
    ]);
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
      [pairA, 't100'],
    ]);
  });

  it('reads only the first page when every id is on it', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA });
    expect(await loader.loadMany([keyA('s000'), keyA('s049')])).toEqual([
      listingA[0],
      listingA[49],
    ]);
    expect(calls).toEqual([[pairA, null]]);
  });

  it('scans each (stack, fleet) pair separately', async () => {
    const { loader, calls } = byIdLoader({
      'stack-a/fleet-a': listingA,
      'stack-b/fleet-b': listingB,
    });
    expect(
      await loader.loadMany([keyA('s001'), { ...pairB, sessionId: 'b004' }, keyA('s002')]),
    ).toEqual([listingA[1], listingB[4], listingA[2]]);
    expect(calls).toEqual([
      [pairA, null],
      [pairB, null],
    ]);
  });

  it('resolves an id the listing does not hold to null, after scanning the whole listing', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA });
    expect(await loader.loadMany([keyA('s001'), keyA('gone')])).toEqual([listingA[1], null]);
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
      [pairA, 't100'],
      [pairA, 't150'],
    ]);
  });

  it('resolves the ids of a pair AppStream reports NOT_FOUND to null', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA });
    const gone = { stackName: 'stack-gone', fleetName: 'fleet-a', sessionId: 's001' };
    expect(await loader.loadMany([gone, keyA('s001')])).toEqual([null, listingA[1]]);
    expect(calls).toEqual([
      [{ stackName: 'stack-gone', fleetName: 'fleet-a' }, null],
      [pairA, null],
    ]);
  });

  it('fails only the keys of a pair whose listing fails with another error', async () => {
    const { loader } = byIdLoader(
      { 'stack-a/fleet-a': listingA, 'stack-b/fleet-b': listingB },
      { failures: { 'stack-b/fleet-b': throttled } },
    );
    expect(
      await settle([loader.load(keyA('s001')), loader.load({ ...pairB, sessionId: 'b001' })]),
    ).toEqual([{ value: listingA[1] }, { error: throttled }]);
  });

  it('refuses to scan past the scan bound, naming the bound and the pair', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA }, { scanBound: 100 });
    await expect(loader.load(keyA('s150'))).rejects.toEqual(
      new GatewayError(
        ErrorCode.SCAN_LIMIT_EXCEEDED,
        'Finding this session would scan more than 100 sessions of stack "stack-a" with fleet ' +
          '"fleet-a" (the scan bound): its id carries no user or instance to narrow the lookup ' +
          '(an id issued by an earlier version of the gateway). Fetch the session again for its ' +
          'current id, or list it with `sessions` and a userId filter.',
      ),
    );
    // 150 sessions read (more than 100) and the listing goes on: the fourth page is not read.
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
      [pairA, 't100'],
    ]);
  });

  it('reads a listing of exactly the scan bound to its end, past a trailing empty page', async () => {
    const exact = listingA.slice(0, 100);
    const { loader, calls } = byIdLoader(
      { 'stack-a/fleet-a': exact },
      { scanBound: 100, trailingEmptyPage: true },
    );
    expect(await loader.load(keyA('missing'))).toBeNull();
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
      [pairA, 't100'],
    ]);
  });

  it('finds an id on the last page the scan bound allows', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA }, { scanBound: 100 });
    expect(await loader.load(keyA('s099'))).toEqual(listingA[99]);
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
    ]);
  });

  it('reuses pages already read in this request for a later scan of the same pair', async () => {
    const { loader, calls } = byIdLoader({ 'stack-a/fleet-a': listingA });
    expect(await loader.load(keyA('s060'))).toEqual(listingA[60]);
    expect(await loader.load(keyA('s010'))).toEqual(listingA[10]);
    expect(calls).toEqual([
      [pairA, null],
      [pairA, 't50'],
    ]);
  });
});

describe('createSessionPageLoader', () => {
  it('fetches a page asked for twice in one tick once', async () => {
    const { upstream, calls } = recordingUpstream({ 'stack-a/fleet-a': listingA });
    const pages = createSessionPageLoader(upstream);
    const [first, second] = await Promise.all([
      pages.load({ query: pairA, token: 't50' }),
      pages.load({ query: { fleetName: 'fleet-a', stackName: 'stack-a' }, token: 't50' }),
    ]);
    expect(first).toEqual({ items: listingA.slice(50, 100), nextToken: 't100' });
    expect(second).toBe(first);
    expect(calls).toEqual([[pairA, 't50']]);
  });

  it('treats filters that are absent or undefined as the same listing', async () => {
    const { upstream, calls } = recordingUpstream({ 'stack-a/fleet-a': listingA });
    const pages = createSessionPageLoader(upstream);
    await Promise.all([
      pages.load({ query: pairA, token: null }),
      pages.load({ query: { ...pairA, userId: undefined, instanceId: undefined }, token: null }),
    ]);
    expect(calls).toEqual([[pairA, null]]);
  });

  it('fetches listings with different filters separately', async () => {
    const { upstream, calls } = recordingUpstream({ 'stack-a/fleet-a': listingA });
    const pages = createSessionPageLoader(upstream);
    const filtered: SessionQuery = { ...pairA, userId: 'user-s001', authenticationType: 'API' };
    await Promise.all([
      pages.load({ query: pairA, token: null }),
      pages.load({ query: filtered, token: null }),
    ]);
    expect(calls).toEqual([
      [pairA, null],
      [filtered, null],
    ]);
  });

  it('fails only the page whose call failed, with its error', async () => {
    const { upstream } = recordingUpstream(
      { 'stack-a/fleet-a': listingA, 'stack-b/fleet-b': listingB },
      { failures: { 'stack-b/fleet-b': throttled } },
    );
    const pages = createSessionPageLoader(upstream);
    expect(
      await settle([
        pages.load({ query: pairA, token: 't150' }),
        pages.load({ query: pairB, token: null }),
      ]),
    ).toEqual([{ value: { items: listingA.slice(150), nextToken: null } }, { error: throttled }]);
  });
});

describe('sessionQueryKey', () => {
  it('gives equal listings equal keys and different filters different keys', () => {
    expect(sessionQueryKey({ fleetName: 'f', stackName: 's', userId: undefined })).toBe(
      sessionQueryKey({ stackName: 's', fleetName: 'f' }),
    );
    expect(sessionQueryKey({ stackName: 's', fleetName: 'f', instanceId: 'i-1' })).not.toBe(
      sessionQueryKey({ stackName: 's', fleetName: 'f', userId: 'i-1' }),
    );
  });
});
