import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../src/emulator/index.js';
import { useTestStack } from '../helpers/gateway.js';

interface SessionsPage {
  sessions: {
    edges: Array<{ cursor: string; node: { id: string; sessionId: string; state: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}
interface SessionsVariables {
  stackName: string;
  fleetName: string;
  first: number;
  after?: string | null;
}

/** What a frontend writes: one connection field, paged with `first`/`after`. */
const FLEET_SESSIONS: TypedDocumentNode<SessionsPage, SessionsVariables> = gql`
  query FleetSessions($stackName: String!, $fleetName: String!, $first: Int!, $after: String) {
    sessions(stackName: $stackName, fleetName: $fleetName, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          sessionId
          state
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** 237 sessions: several of AppStream's 50-item pages, walked in pages of 40 that straddle them. */
const BIG = 237;
const PAGE = 40;

function createClient(url: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${url}/graphql` }),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            // Every argument but the paging ones tells lists apart.
            sessions: relayStylePagination([
              'stackName',
              'fleetName',
              'userId',
              'authenticationType',
              'instanceId',
              'state',
              'connectionState',
            ]),
          },
        },
      },
    }),
  });
}

describe('Apollo Client (core) with relayStylePagination() on sessions', () => {
  const stack = useTestStack({
    emulator: {
      dataset: datasetBuilder()
        .stack('desk')
        .fleet('big')
        .fleet('small')
        .associate('desk', 'big')
        .associate('desk', 'small')
        .sessions('desk', 'small', 3)
        .sessions('desk', 'big', BIG)
        .sessions('desk', 'small', 4)
        .build(),
    },
  });
  const variables = { stackName: 'desk', fleetName: 'big', first: PAGE };

  it('fetchMore walks every page: each session once, in AppStream order, then a refetch duplicates nothing', async () => {
    const client = createClient(stack.url);
    const expected = stack.emulator.data.sessions('desk', 'big').map((s) => s.Id);
    expect(expected).toHaveLength(BIG);
    const observable = client.watchQuery({ query: FLEET_SESSIONS, variables });
    const subscription = observable.subscribe(() => undefined);
    const read = () => client.readQuery({ query: FLEET_SESSIONS, variables })?.sessions;
    try {
      await observable.refetch();
      const firstWalkCursors = read()?.edges.map((e) => e.cursor) ?? [];
      let fetches = 1;
      for (let page = read(); page?.pageInfo.hasNextPage === true; page = read()) {
        await observable.fetchMore({ variables: { after: page.pageInfo.endCursor } });
        fetches += 1;
        expect(read()?.edges.length).toBe(Math.min(fetches * PAGE, BIG));
      }
      expect(fetches).toBe(Math.ceil(BIG / PAGE));

      const walked = read();
      const ids = walked?.edges.map((e) => e.node.sessionId) ?? [];
      expect(ids).toEqual(expected);
      expect(new Set(walked?.edges.map((e) => e.cursor)).size).toBe(BIG);
      expect(walked?.pageInfo.hasNextPage).toBe(false);
      // Normalized: one Session object per session in the cache, none for the other fleet.
      const sessionKeys = Object.keys(client.cache.extract() as Record<string, unknown>).filter(
        (k) => k.startsWith('Session:'),
      );
      expect(sessionKeys).toHaveLength(BIG);

      // A refetch of the first page replaces the list with that page (relayStylePagination's
      // rule without `after`): no edge twice, and the same cursors as before, so paging on from
      // it appends exactly the next page.
      await observable.refetch();
      const refetched = read();
      expect(refetched?.edges.map((e) => e.node.sessionId)).toEqual(expected.slice(0, PAGE));
      expect(refetched?.edges.map((e) => e.cursor)).toEqual(firstWalkCursors.slice(0, PAGE));
      await observable.fetchMore({ variables: { after: refetched?.pageInfo.endCursor ?? null } });
      expect(read()?.edges.map((e) => e.node.sessionId)).toEqual(expected.slice(0, 2 * PAGE));
      expect(read()?.pageInfo.hasNextPage).toBe(true);
    } finally {
      subscription.unsubscribe();
      client.stop();
    }
  });

  it('keeps two fleets of one stack apart in the cache', async () => {
    const client = createClient(stack.url);
    try {
      const small = await client.query({
        query: FLEET_SESSIONS,
        variables: { ...variables, fleetName: 'small' },
      });
      const big = await client.query({ query: FLEET_SESSIONS, variables });
      expect(small.data?.sessions?.edges.map((e) => e.node.sessionId)).toEqual(
        stack.emulator.data.sessions('desk', 'small').map((s) => s.Id),
      );
      expect(big.data?.sessions?.edges).toHaveLength(PAGE);
      expect(
        client.readQuery({ query: FLEET_SESSIONS, variables: { ...variables, fleetName: 'small' } })
          ?.sessions?.edges,
      ).toHaveLength(7);
    } finally {
      client.stop();
    }
  });
});
