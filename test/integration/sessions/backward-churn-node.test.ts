import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';

interface Connection {
  edges: Array<{ cursor: string; node: { id: string; sessionId: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const Q = `query Q($fleet: String!, $first: Int, $after: String, $last: Int, $before: String) {
  sessions(stackName: "stack-a", fleetName: $fleet, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id sessionId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .fleet('churn')
  .fleet('page-final')
  .fleet('stale-index')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'churn')
  .associate('stack-a', 'page-final')
  .associate('stack-a', 'stale-index')
  .sessions('stack-a', 'fleet-1', 137)
  .sessions('stack-a', 'churn', 60)
  .sessions('stack-a', 'page-final', 120)
  .sessions('stack-a', 'stale-index', 10)
  .build();

const stack = useTestStack({ emulator: { dataset } });

async function page(variables: Record<string, unknown>): Promise<Connection> {
  const response = await stack.graphql<{ sessions: Connection }>(Q, {
    fleet: 'fleet-1',
    ...variables,
  });
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.sessions;
}

const ids = (fleet: string) => stack.emulator.data.sessions('stack-a', fleet).map((s) => s.Id);

describe('paging backward through Query.sessions', () => {
  it('walks from the end to the start with last/before and returns every session once', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    let hasPreviousPage = true;
    while (hasPreviousPage) {
      const connection = await page({ last: 30, before });
      seen.unshift(...connection.edges.map((edge) => edge.node.sessionId));
      expect(connection.pageInfo.hasNextPage).toBe(before !== null);
      hasPreviousPage = connection.pageInfo.hasPreviousPage;
      before = connection.pageInfo.startCursor;
    }
    expect(seen).toEqual(ids('fleet-1'));
  });

  it('reads only the cursor page when the items before it are on that page', async () => {
    const forward = await page({ first: 45 });
    stack.emulator.calls.reset();
    const back = await page({ last: 10, before: forward.pageInfo.endCursor });
    expect(back.edges.map((edge) => edge.node.sessionId)).toEqual(ids('fleet-1').slice(34, 44));
    expect(back.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });

  it('mixes directions: a forward cursor works as `before`, a backward one as `after`', async () => {
    const tail = await page({ last: 3 });
    expect(tail.edges.map((edge) => edge.node.sessionId)).toEqual(ids('fleet-1').slice(134));
    expect(tail.pageInfo.hasPreviousPage).toBe(true);
    const afterTail = await page({ first: 10, after: tail.edges[0]?.cursor });
    expect(afterTail.edges.map((edge) => edge.node.sessionId)).toEqual(ids('fleet-1').slice(135));
    expect(afterTail.pageInfo.hasNextPage).toBe(false);
  });
});

describe('paging while sessions start and end (churn)', () => {
  it('does not skip a session when an earlier one on the same page ended', async () => {
    const first = await page({ fleet: 'churn', first: 20 });
    const all = ids('churn');
    expect(stack.emulator.data.endSession(all[5]!)).toBe(true);
    const next = await page({ fleet: 'churn', first: 20, after: first.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node.sessionId)).toEqual(all.slice(20, 40));
  });

  it('resumes at the successor when the cursor session itself ended', async () => {
    const first = await page({ fleet: 'churn', first: 10 });
    const all = ids('churn');
    const anchor = first.edges.at(-1)?.node.sessionId;
    expect(stack.emulator.data.endSession(anchor!)).toBe(true);
    const next = await page({ fleet: 'churn', first: 5, after: first.pageInfo.endCursor });
    const position = all.indexOf(anchor!);
    expect(next.edges.map((edge) => edge.node.sessionId)).toEqual(
      all.slice(position + 1, position + 6),
    );
  });

  it('sees sessions that started after the walk began', async () => {
    const before = ids('churn');
    const added = stack.emulator.data.addSession({ StackName: 'stack-a', FleetName: 'churn' });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const connection = await page({ fleet: 'churn', first: 50, after });
      seen.push(...connection.edges.map((edge) => edge.node.sessionId));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...before, added.Id]);
  });

  it('resumes after a page-final cursor without a skip when an earlier session of its page ended', async () => {
    const all = ids('page-final');
    const first = await page({ fleet: 'page-final', first: 50 });
    const after = first.pageInfo.endCursor;
    stack.emulator.calls.reset();
    const unchanged = await page({ fleet: 'page-final', first: 3, after });
    expect(unchanged.edges.map((edge) => edge.node.sessionId)).toEqual(all.slice(50, 53));
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1); // nothing changed: page n only

    expect(stack.emulator.data.endSession(all[10]!)).toBe(true);
    stack.emulator.calls.reset();
    const next = await page({ fleet: 'page-final', first: 3, after });
    expect(next.edges.map((edge) => edge.node.sessionId)).toEqual(all.slice(50, 53));
    expect(next.pageInfo.hasNextPage).toBe(true);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(2); // page n, then its own page
  });

  it('resumes after, and stops before, the predecessor when the cursor and earlier sessions ended', async () => {
    const all = ids('stale-index');
    const first = await page({ fleet: 'stale-index', first: 3 });
    const cursor = first.pageInfo.endCursor;
    expect(stack.emulator.data.endSession(all[0]!)).toBe(true);
    expect(stack.emulator.data.endSession(all[2]!)).toBe(true);
    const after = await page({ fleet: 'stale-index', first: 2, after: cursor });
    expect(after.edges.map((edge) => edge.node.sessionId)).toEqual(all.slice(3, 5));
    const before = await page({ fleet: 'stale-index', last: 2, before: cursor });
    expect(before.edges.map((edge) => edge.node.sessionId)).toEqual([all[1]]);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });
});

describe('Query.node for sessions', () => {
  it('fetches every session of a page again by its id', async () => {
    const connection = await page({ first: 100 });
    stack.emulator.calls.reset();
    const response = await stack.graphql<{
      nodes: Array<{ sessionId: string; id: string } | null>;
    }>(`query($ids: [ID!]!) { nodes: nodes(ids: $ids) { ... on Session { id sessionId } } }`, {
      ids: connection.edges.map((edge) => edge.node.id),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.nodes).toEqual(connection.edges.map((edge) => edge.node));
    // 100 ids of one (stack, fleet) cost one call per user among them (their ids carry the
    // user, so each lookup is one filtered DescribeSessions call).
    const users = new Set(
      stack.emulator.data
        .sessions('stack-a', 'fleet-1')
        .filter((session) => connection.edges.some((edge) => edge.node.sessionId === session.Id))
        .map((session) => session.UserId),
    );
    expect(users.size).toBeGreaterThan(1);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(users.size);
  });

  it('returns null for a session that has ended', async () => {
    const connection = await page({ fleet: 'churn', first: 1 });
    const edge = connection.edges[0]!;
    stack.emulator.data.endSession(edge.node.sessionId);
    const response = await stack.graphql('query($id: ID!) { node(id: $id) { id } }', {
      id: edge.node.id,
    });
    expect(response).toEqual({ status: 200, data: { node: null } });
  });

  it('rejects a malformed id with BAD_USER_INPUT', async () => {
    const response = await stack.graphql('{ node(id: "bm90LWFuLWlk") { id } }');
    expect(response.data).toEqual({ node: null });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
