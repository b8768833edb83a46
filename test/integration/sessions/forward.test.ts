import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

interface SessionsData {
  sessions: {
    edges: Array<{ cursor: string; node: { sessionId: string } }>;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  } | null;
}

const PAGE = `query Page($stack: String!, $fleet: String!, $first: Int, $after: String) {
  sessions(stackName: $stack, fleetName: $fleet, first: $first, after: $after) {
    edges { cursor node { sessionId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .sessions('stack-a', 'fleet-1', 137)
  .sessions('stack-a', 'fleet-2', 100)
  .build();

const stack = useTestStack({ emulator: { dataset } });

/** Walks a listing forward `first` at a time; returns the ids seen and the upstream calls per request. */
async function walk(fleet: string, first: number) {
  const ids: string[] = [];
  const callsPerRequest: number[] = [];
  let after: string | null = null;
  for (let request = 0; request < 200; request++) {
    stack.emulator.calls.reset();
    const response: GraphQLResponse<SessionsData> = await stack.graphql<SessionsData>(PAGE, {
      stack: 'stack-a',
      fleet,
      first,
      after,
    });
    expect(response.errors).toBeUndefined();
    const connection: SessionsData['sessions'] | undefined = response.data?.sessions;
    if (!connection) throw new Error('no connection');
    callsPerRequest.push(stack.emulator.calls.count('DescribeSessions'));
    ids.push(...connection.edges.map((edge) => edge.node.sessionId));
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!connection.pageInfo.hasNextPage) {
      return { ids, callsPerRequest, lastPageSize: connection.edges.length };
    }
    expect(connection.edges.length).toBe(first);
    after = connection.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const idsOf = (fleet: string) =>
  stack.emulator.data.sessions('stack-a', fleet).map((session) => session.Id);

describe('paging forward through Query.sessions', () => {
  it('returns every session exactly once, in upstream order, 20 at a time', async () => {
    const { ids, callsPerRequest, lastPageSize } = await walk('fleet-1', 20);
    expect(ids).toEqual(idsOf('fleet-1'));
    expect(lastPageSize).toBe(17);
    // Pages of 50: a request costs the pages it touches, plus one look-ahead when its slice
    // ends exactly on a page boundary (request 5 ends at item 100). Resuming after a
    // page-final edge (request 6) needs no refetch of its page.
    expect(callsPerRequest).toEqual([1, 1, 2, 1, 2, 1, 1]);
  });

  it('asks the upstream for pages of 50 every time, so different page sizes share pages', async () => {
    await walk('fleet-1', 7);
    const limits = new Set(stack.emulator.calls.list().map((call) => call.input?.Limit));
    expect(limits).toEqual(new Set([50]));
  });

  it.each([1, 19, 49, 50, 51, 100])('walks the 137 sessions with first: %i', async (first) => {
    const { ids } = await walk('fleet-1', first);
    expect(ids).toEqual(idsOf('fleet-1'));
  });

  it('ends with an exact hasNextPage when the data ends exactly on a page boundary', async () => {
    const { ids, callsPerRequest } = await walk('fleet-2', 50);
    expect(ids).toEqual(idsOf('fleet-2'));
    // Request 1: page 1, then a look-ahead to page 2 (full). Request 2: page 2 from the cursor's
    // next-page token, and AppStream's null NextToken proves the end.
    expect(callsPerRequest).toEqual([2, 1]);
  });

  it('does not report a false hasNextPage when a NextToken leads to an empty page', async () => {
    stack.emulator.options.emptyPageAtEnd = 'always';
    const { ids, callsPerRequest } = await walk('fleet-1', 50);
    expect(ids).toEqual(idsOf('fleet-1'));
    // The last request reads page 3 (37 sessions and a token), then one look-ahead that comes
    // back empty without a token: hasNextPage is false, and no extra request is needed.
    expect(callsPerRequest).toEqual([2, 2, 2]);
  });

  it('defaults to the first 20 sessions', async () => {
    const response = await stack.graphql<SessionsData>(
      '{ sessions(stackName: "stack-a", fleetName: "fleet-1") { edges { node { sessionId } } } }',
    );
    expect(response.data?.sessions?.edges.map((edge) => edge.node.sessionId)).toEqual(
      idsOf('fleet-1').slice(0, 20),
    );
  });

  it('fetches each upstream page once per request, across aliases and repeated fields', async () => {
    const response = await stack.graphql(`{
      a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 10) { nodes { sessionId } }
      b: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 30) { nodes { sessionId } totalCount }
      c: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 60) { nodes { sessionId } }
    }`);
    expect(response.errors).toBeUndefined();
    // totalCount reads all three pages; the slices reuse them.
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(3);
    const tokens = stack.emulator.calls.list().map((call) => call.input?.NextToken ?? null);
    expect(new Set(tokens).size).toBe(3);
  });

  it('computes only what the selection keeps after @skip and @include', async () => {
    const response = await stack.graphql(
      `query($withCount: Boolean!) {
        sessions(stackName: "stack-a", fleetName: "fleet-1", last: 5) {
          edges @skip(if: true) { cursor }
          totalCount @include(if: $withCount)
          __typename
        }
      }`,
      { withCount: false },
    );
    expect(response).toEqual({
      status: 200,
      data: { sessions: { __typename: 'SessionConnection' } },
    });
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('answers totalCount without fetching a page slice twice', async () => {
    const response = await stack.graphql<{ sessions: { totalCount: number } }>(
      '{ sessions(stackName: "stack-a", fleetName: "fleet-1") { totalCount } }',
    );
    expect(response.data?.sessions.totalCount).toBe(137);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(3);
  });

  it('exposes every AppStream field of a session', async () => {
    const response = await stack.graphql<{ sessions: { nodes: Array<Record<string, unknown>> } }>(`{
      sessions(stackName: "stack-a", fleetName: "fleet-1", first: 1) {
        nodes {
          id sessionId userId stackName fleetName state connectionState startTime maxExpirationTime
          authenticationType instanceId instanceDrainStatus
          networkAccessConfiguration { eniPrivateIpAddress eniIpv6Addresses eniId }
        }
      }
    }`);
    const upstream = stack.emulator.data.sessions('stack-a', 'fleet-1')[0]!;
    const node = response.data?.sessions.nodes[0];
    expect(node).toEqual({
      id: expect.any(String),
      sessionId: upstream.Id,
      userId: upstream.UserId,
      stackName: 'stack-a',
      fleetName: 'fleet-1',
      state: upstream.State,
      connectionState: upstream.ConnectionState ?? null,
      startTime: upstream.StartTime?.toISOString() ?? null,
      maxExpirationTime: upstream.MaxExpirationTime?.toISOString() ?? null,
      authenticationType: upstream.AuthenticationType ?? null,
      instanceId: upstream.InstanceId ?? null,
      instanceDrainStatus: upstream.InstanceDrainStatus ?? null,
      networkAccessConfiguration: upstream.NetworkAccessConfiguration
        ? {
            eniPrivateIpAddress: upstream.NetworkAccessConfiguration.EniPrivateIpAddress ?? null,
            eniIpv6Addresses: upstream.NetworkAccessConfiguration.EniIpv6Addresses ?? null,
            eniId: upstream.NetworkAccessConfiguration.EniId ?? null,
          }
        : null,
    });
  });
});
