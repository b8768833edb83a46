import { describe, expect, it, vi } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

// Generating 100,000 sessions takes seconds on a loaded machine.
vi.setConfig({ hookTimeout: 120_000 });

// The demo dataset at scale: 100,000 sessions, the pair below holds thousands of them.
const stack = useTestStack({ emulator: { sessions: 100_000 } });

interface Connection {
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null };
}

const Q = `query($first: Int, $last: Int, $after: String, $before: String, $state: [SessionState!]) {
  sessions(stackName: "support-tools", fleetName: "shared-elastic-apps", first: $first, last: $last,
           after: $after, before: $before, state: $state) {
    edges { cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function connection(variables: Record<string, unknown>): Promise<Connection> {
  const response = await stack.graphql<{ sessions: Connection }>(Q, variables);
  expect(response.errors).toBeUndefined();
  if (!response.data) throw new Error('no data');
  return response.data.sessions;
}

describe('zero-item pages read at most the page that decides the flag', () => {
  it('the pair is far larger than the scan bound (the premise of the test)', () => {
    expect(
      stack.emulator.data.sessions('support-tools', 'shared-elastic-apps').length,
    ).toBeGreaterThan(5000);
  });

  it('last: 0 answers from the first page: no edges, hasPreviousPage true (sessions exist)', async () => {
    const page = await connection({ last: 0 });
    expect(page).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });

  it('last: 0 with a filter stops at the first matching session', async () => {
    const page = await connection({ last: 0, state: ['ACTIVE'] });
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });

  it('first: 0 answers from the first page: no edges, hasNextPage true', async () => {
    const page = await connection({ first: 0 });
    expect(page).toEqual({
      edges: [],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });

  it("last: 0 before a cursor deep in the list reads only that cursor's page", async () => {
    let after: string | null = null;
    for (let k = 0; k < 3; k++) {
      const response: GraphQLResponse<{ sessions: { pageInfo: { endCursor: string } } }> =
        await stack.graphql(Q, { first: 100, after });
      after = response.data?.sessions.pageInfo.endCursor ?? null;
    }
    // A mid-page cursor: the 301st session's.
    const deeper = await stack.graphql<{ sessions: { edges: Array<{ cursor: string }> } }>(Q, {
      first: 10,
      after,
    });
    const before = deeper.data?.sessions.edges[4]?.cursor;
    stack.emulator.calls.reset();
    const page = await connection({ last: 0, before });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });

  it('last: 0 on an empty listing reads its one page: hasPreviousPage false', async () => {
    const response = await stack.graphql<{ sessions: Connection }>(
      `{ sessions(stackName: "support-tools", fleetName: "shared-elastic-apps", userId: "nobody@example.com",
                  authenticationType: API, last: 0) { edges { cursor } pageInfo { hasPreviousPage hasNextPage } } }`,
    );
    expect(response.data?.sessions).toEqual({
      edges: [],
      pageInfo: { hasPreviousPage: false, hasNextPage: false },
    });
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });
});
