import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .stack('stack-b')
  .stack('stack-c')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .fleet('fleet-3')
  .fleet('fleet-empty')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-empty')
  .associate('stack-a', 'fleet-2')
  .associate('stack-b', 'fleet-2')
  .associate('stack-c', 'fleet-3')
  .sessions('stack-a', 'fleet-1', 73)
  .sessions('stack-a', 'fleet-2', 61)
  .sessions('stack-b', 'fleet-2', 4)
  .sessions('stack-c', 'fleet-3', 2)
  .build();

const stack = useTestStack({ emulator: { dataset } });

interface Page {
  edges: Array<{ cursor: string; node: { sessionId: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const PAGE_FIELDS =
  'edges { cursor node { sessionId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** Walks a connection forward to its end; `select` picks the connection out of the response. */
async function walkForward(
  query: string,
  variables: Record<string, unknown>,
  select: (data: Record<string, unknown>) => Page,
): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 500; guard++) {
    const response: GraphQLResponse = await stack.graphql(query, { ...variables, after });
    expect(response.errors).toBeUndefined();
    const page = select(response.data ?? {});
    seen.push(...page.edges.map((edge) => edge.node.sessionId));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error('walk did not end');
}

const sessionIds = (
  stackName: string,
  fleetName: string,
  keep: (s: { State: string; ConnectionState?: string }) => boolean = () => true,
) =>
  stack.emulator.data
    .sessions(stackName, fleetName)
    .filter(keep)
    .map((session) => session.Id);

describe('Stack.sessions over every fleet of the stack', () => {
  const QUERY = `query($first: Int, $after: String) {
    stack(name: "stack-a") { sessions(first: $first, after: $after) { ${PAGE_FIELDS} } }
  }`;
  const select = (data: Record<string, unknown>) => (data.stack as { sessions: Page }).sessions;

  it.each([1, 7, 20, 50, 73, 100])(
    'walks fleet after fleet, in association order, with first: %i',
    async (first) => {
      const seen = await walkForward(QUERY, { first }, select);
      expect(seen).toEqual([
        ...sessionIds('stack-a', 'fleet-1'),
        ...sessionIds('stack-a', 'fleet-2'),
      ]);
    },
  );

  it('walks backward across fleets with last/before', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const response: GraphQLResponse<{ stack: { sessions: Page } }> = await stack.graphql(
        `query($before: String) { stack(name: "stack-a") { sessions(last: 30, before: $before) { ${PAGE_FIELDS} } } }`,
        { before },
      );
      const page = response.data?.stack.sessions;
      if (!page) throw new Error(JSON.stringify(response.errors));
      seen.unshift(...page.edges.map((edge) => edge.node.sessionId));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual([
      ...sessionIds('stack-a', 'fleet-1'),
      ...sessionIds('stack-a', 'fleet-2'),
    ]);
  });

  it('narrows to one fleet with fleetName', async () => {
    const seen = await walkForward(
      `query($after: String) { stack(name: "stack-a") { sessions(fleetName: "fleet-2", first: 25, after: $after) { ${PAGE_FIELDS} } } }`,
      {},
      select,
    );
    expect(seen).toEqual(sessionIds('stack-a', 'fleet-2'));
  });

  it("rejects a malformed cursor before looking up the stack's fleets", async () => {
    const response = await stack.graphql(
      '{ stack(name: "stack-a") { sessions(after: "garbage") { totalCount } } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.emulator.calls.count('ListAssociatedFleets')).toBe(0);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(0);
  });

  it('rejects a cursor of the one-fleet listing on the all-fleets listing', async () => {
    const response = await stack.graphql<{ stack: { sessions: Page } }>(
      `{ stack(name: "stack-a") { sessions(fleetName: "fleet-1", first: 2) { ${PAGE_FIELDS} } } }`,
    );
    const cursor = response.data?.stack.sessions.pageInfo.endCursor;
    const reuse = await stack.graphql(QUERY, { first: 2, after: cursor });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('gateway-side filters on sessions connections', () => {
  it.each([
    ['state: [ACTIVE]', 'state: [ACTIVE]', (s: { State: string }) => s.State === 'ACTIVE'],
    [
      'state: [PENDING, EXPIRED]',
      'state: [PENDING, EXPIRED]',
      (s: { State: string }) => s.State !== 'ACTIVE',
    ],
    [
      'connectionState: CONNECTED',
      'connectionState: CONNECTED',
      (s: { ConnectionState?: string }) => s.ConnectionState === 'CONNECTED',
    ],
    [
      'both',
      'state: [ACTIVE], connectionState: NOT_CONNECTED',
      (s: { State: string; ConnectionState?: string }) =>
        s.State === 'ACTIVE' && s.ConnectionState === 'NOT_CONNECTED',
    ],
  ])(
    'a forward walk with %s returns exactly the matching subsequence',
    async (_name, filter, keep) => {
      const expected = sessionIds('stack-a', 'fleet-1', keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(73);
      for (const first of [3, 10, 50]) {
        const seen = await walkForward(
          `query($first: Int, $after: String) { sessions(stackName: "stack-a", fleetName: "fleet-1", ${filter}, first: $first, after: $after) { ${PAGE_FIELDS} } }`,
          { first },
          (data) => data.sessions as Page,
        );
        expect(seen).toEqual(expected);
      }
      const count = await stack.graphql<{ sessions: { totalCount: number } }>(
        `{ sessions(stackName: "stack-a", fleetName: "fleet-1", ${filter}) { totalCount } }`,
      );
      expect(count.data?.sessions.totalCount).toBe(expected.length);
    },
  );

  it('binds cursors to the filter', async () => {
    const response = await stack.graphql<{ sessions: Page }>(
      `{ sessions(stackName: "stack-a", fleetName: "fleet-1", state: [ACTIVE], first: 2) { ${PAGE_FIELDS} } }`,
    );
    const cursor = response.data?.sessions.pageInfo.endCursor;
    const reuse = await stack.graphql(
      'query($after: String) { sessions(stackName: "stack-a", fleetName: "fleet-1", first: 2, after: $after) { totalCount } }',
      { after: cursor },
    );
    expect(reuse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects an empty state list', async () => {
    const response = await stack.graphql(
      '{ sessions(stackName: "stack-a", fleetName: "fleet-1", state: []) { totalCount } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('`state` must list at least one state');
  });
});

describe('the edges of the graph', () => {
  it("lists a stack's fleets and a fleet's stacks", async () => {
    const response = await stack.graphql(`{
      stack(name: "stack-a") { fleets { name } }
      fleet(name: "fleet-2") { stacks { name } }
    }`);
    expect(response.data).toEqual({
      stack: { fleets: [{ name: 'fleet-1' }, { name: 'fleet-empty' }, { name: 'fleet-2' }] },
      fleet: { stacks: [{ name: 'stack-a' }, { name: 'stack-b' }] },
    });
  });

  it("lists a fleet's sessions through the stack it was reached from", async () => {
    const response = await stack.graphql<{
      stack: { fleets: Array<{ name: string; sessions: { totalCount: number } }> };
    }>('{ stack(name: "stack-b") { fleets { name sessions { totalCount } } } }');
    expect(response.data?.stack.fleets).toEqual([{ name: 'fleet-2', sessions: { totalCount: 4 } }]);
  });

  it('asks for stackName on Fleet.sessions when the fleet was not reached through a stack', async () => {
    const response = await stack.graphql(
      '{ fleet(name: "fleet-2") { name sessions { totalCount } } }',
    );
    expect(response.data).toEqual({ fleet: { name: 'fleet-2', sessions: null } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('needs `stackName`');
    const explicit = await stack.graphql<{ fleet: { sessions: { totalCount: number } } }>(
      '{ fleet(name: "fleet-2") { sessions(stackName: "stack-a") { totalCount } } }',
    );
    expect(explicit.data?.fleet.sessions.totalCount).toBe(61);
  });

  it('exposes what users look at on stacks and fleets', async () => {
    const response = await stack.graphql<{
      fleet: Record<string, unknown>;
      stack: Record<string, unknown>;
    }>(`{
      fleet(name: "fleet-1") {
        name displayName description state instanceType fleetType createdTime imageName platform streamView
        maxUserDurationInSeconds disconnectTimeoutInSeconds idleDisconnectTimeoutInSeconds
        computeCapacity { desired running inUse available }
      }
      stack(name: "stack-a") { name displayName description createdTime userSettings { action permission } }
    }`);
    const fleet = stack.emulator.data.fleet('fleet-1')!;
    expect(response.data?.fleet).toMatchObject({
      name: 'fleet-1',
      state: fleet.State,
      instanceType: fleet.InstanceType,
      computeCapacity: { desired: fleet.ComputeCapacityStatus.Desired },
      createdTime: fleet.CreatedTime?.toISOString() ?? null,
    });
    expect(response.data?.stack).toMatchObject({
      name: 'stack-a',
      displayName: stack.emulator.data.stack('stack-a')?.DisplayName,
    });
    expect(JSON.stringify(response)).not.toMatch(/arn:|123456789012/);
  });

  it('pages through every stack and every fleet with Relay connections', async () => {
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse<{
        stacks: {
          nodes: Array<{ name: string }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }> = await stack.graphql(
        'query($after: String) { stacks(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page = response.data?.stacks;
      if (!page) throw new Error(JSON.stringify(response.errors));
      names.push(...page.nodes.map((node) => node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(names).toEqual(['stack-a', 'stack-b', 'stack-c']);
    const fleets = await stack.graphql<{ fleets: { nodes: Array<{ name: string }> } }>(
      '{ fleets(first: 100) { nodes { name } } }',
    );
    expect(fleets.data?.fleets.nodes.map((node) => node.name)).toEqual([
      'fleet-1',
      'fleet-2',
      'fleet-3',
      'fleet-empty',
    ]);
  });
});

describe('global object identification', () => {
  it('resolves every id returned anywhere back to the same object through node(id)', async () => {
    const response = await stack.graphql<{
      stacks: {
        nodes: Array<{
          id: string;
          name: string;
          fleets: Array<{
            id: string;
            name: string;
            sessions: { nodes: Array<{ id: string; sessionId: string }> };
          }>;
        }>;
      };
    }>(`{
      stacks { nodes { id name fleets { id name sessions(first: 3) { nodes { id sessionId } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const objects: Array<{ id: string; fields: Record<string, string> }> = [];
    for (const s of response.data?.stacks.nodes ?? []) {
      objects.push({ id: s.id, fields: { __typename: 'Stack', name: s.name } });
      for (const f of s.fleets) {
        objects.push({ id: f.id, fields: { __typename: 'Fleet', name: f.name } });
        for (const session of f.sessions.nodes) {
          objects.push({
            id: session.id,
            fields: { __typename: 'Session', sessionId: session.sessionId },
          });
        }
      }
    }
    expect(objects.length).toBeGreaterThan(15);
    stack.emulator.calls.reset();
    const resolved = await stack.graphql<{ nodes: Array<Record<string, string> | null> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id ... on Stack { name } ... on Fleet { name } ... on Session { sessionId }
      } }`,
      { ids: objects.map((object) => object.id) },
    );
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data?.nodes).toEqual(
      objects.map((object) => ({ id: object.id, ...object.fields })),
    );
    // One DescribeStacks, one DescribeFleets, and one DescribeSessions call per listing narrowed
    // to a user that the session ids name (their ids carry it), none repeated.
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
    const sessionCalls = stack.emulator.calls
      .list()
      .filter((call) => call.operation === 'DescribeSessions');
    expect(sessionCalls.every((call) => typeof call.input?.UserId === 'string')).toBe(true);
    const listings = new Set(sessionCalls.map((call) => JSON.stringify(call.input)));
    expect(listings.size).toBe(sessionCalls.length);
  });

  it('returns null for the id of a stack that no longer exists, and BAD_USER_INPUT for a malformed id', async () => {
    const response = await stack.graphql<{ stack: { id: string } }>(
      '{ stack(name: "stack-c") { id } }',
    );
    const id = response.data?.stack.id;
    expect(stack.emulator.data.removeStack('stack-c')).toBe(true);
    expect(await stack.graphql('query($id: ID!) { node(id: $id) { id } }', { id })).toEqual({
      status: 200,
      data: { node: null },
    });
    const bad = await stack.graphql('{ node(id: "garbage!") { id } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("rejects a forged id whose names break AppStream's pattern without calling AppStream", async () => {
    const forged = (parts: string[]) =>
      Buffer.from(`v1:${JSON.stringify(parts)}`).toString('base64url');
    const response = await stack.graphql(
      'query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }',
      {
        a: forged(['Session', 'bad name!', 'fleet-1', 'x']),
        b: forged(['Stack', 'bad name!']),
      },
    );
    expect(response.data).toEqual({ a: null, b: null });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
