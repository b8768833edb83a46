import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { postGraphQL } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';
import { EU, US, useRegionsStack } from './support.js';

/** The gateway's log lines, parsed. */
const lines: Array<Record<string, unknown>> = [];
const stack = useRegionsStack({
  logger: pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  ),
});

const US_STACKS = ['us-1', 'us-2', 'us-3', 'us-4', 'us-5', 'shared'].map((name) => `${US}/${name}`);
const EU_STACKS = ['eu-1', 'eu-2', 'eu-3', 'shared'].map((name) => `${EU}/${name}`);

interface StacksPage {
  stacks: {
    edges: Array<{ cursor: string; node: { name: string; region: string; id: string } }>;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  } | null;
}

const STACKS = `query($region: String, $first: Int, $after: String, $last: Int, $before: String) {
  stacks(region: $region, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name region id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Follows the connection to its end (forward) or its start (backward), `count` at a time. */
async function walk(direction: 'forward' | 'backward', count: number, region?: string) {
  const seen: string[] = [];
  const pages: boolean[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const variables: Record<string, unknown> =
      direction === 'forward'
        ? { region, first: count, after: cursor }
        : { region, last: count, before: cursor };
    const response: GraphQLResponse<StacksPage> = await stack.graphql<StacksPage>(
      STACKS,
      variables,
    );
    expect(response.errors).toBeUndefined();
    const connection: StacksPage['stacks'] | undefined = response.data?.stacks;
    if (connection == null) throw new Error('no connection');
    const names = connection.edges.map(({ node }) => `${node.region}/${node.name}`);
    if (direction === 'forward') seen.push(...names);
    else seen.unshift(...names);
    const more =
      direction === 'forward'
        ? connection.pageInfo.hasNextPage
        : connection.pageInfo.hasPreviousPage;
    pages.push(more);
    if (!more) return { seen, pages };
    cursor =
      direction === 'forward' ? connection.pageInfo.endCursor : connection.pageInfo.startCursor;
  }
  throw new Error('the walk did not end');
}

describe('stacks over two regions (two emulators, the real SDK over HTTP)', () => {
  it('walks every region in configured order with first/after, with exact hasNextPage', async () => {
    const { seen, pages } = await walk('forward', 3);
    expect(seen).toEqual([...US_STACKS, ...EU_STACKS]);
    // 10 stacks in pages of 3: four pages, the last without a next one (no empty page).
    expect(pages).toEqual([true, true, true, false]);
    // 6 + 4 stacks listed 2 per DescribeStacks page: each region's listing read once per page
    // the walk touched, and each region by its own emulator.
    expect(stack.emulators[US].calls.count('DescribeStacks')).toBeGreaterThanOrEqual(3);
    expect(stack.emulators[EU].calls.count('DescribeStacks')).toBeGreaterThanOrEqual(2);
  });

  it('walks the same sequence backward with last/before, with exact hasPreviousPage', async () => {
    const { seen, pages } = await walk('backward', 4);
    expect(seen).toEqual([...US_STACKS, ...EU_STACKS]);
    expect(pages).toEqual([true, true, false]);
  });

  it('pages backward before a stack whose name an earlier region also has', async () => {
    // `shared` is in both regions: `before` the eu-west-1 one must not stop at the us-east-1 one.
    const all = await stack.graphql<StacksPage>(STACKS, { first: 10 });
    const before = all.data?.stacks?.edges.at(-1)?.cursor;
    expect(all.data?.stacks?.edges.at(-1)?.node).toMatchObject({ name: 'shared', region: EU });
    const page = await stack.graphql<StacksPage>(STACKS, { last: 2, before });
    expect(page.errors).toBeUndefined();
    expect(page.data?.stacks?.edges.map(({ node }) => `${node.region}/${node.name}`)).toEqual(
      EU_STACKS.slice(1, 3),
    );
    expect(page.data?.stacks?.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: true,
    });
  });

  it('ends a page exactly at a region boundary without claiming more', async () => {
    const first = await stack.graphql<StacksPage>(STACKS, { first: 6 });
    expect(first.data?.stacks?.edges.map(({ node }) => `${node.region}/${node.name}`)).toEqual(
      US_STACKS,
    );
    expect(first.data?.stacks?.pageInfo.hasNextPage).toBe(true);
    const rest = await stack.graphql<StacksPage>(STACKS, {
      first: 4,
      after: first.data?.stacks?.pageInfo.endCursor,
    });
    expect(rest.data?.stacks?.edges.map(({ node }) => `${node.region}/${node.name}`)).toEqual(
      EU_STACKS,
    );
    expect(rest.data?.stacks?.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it('lists one region with `region`, and defaults the other root fields to the first', async () => {
    const { seen } = await walk('forward', 3, EU);
    expect(seen).toEqual(EU_STACKS);
    const response = await stack.graphql<{
      us: { region: string; description: string } | null;
      eu: { region: string; description: string } | null;
      fleet: { region: string; description: string } | null;
    }>(`{
      us: stack(name: "shared") { region description }
      eu: stack(name: "shared", region: "eu-west-1") { region description }
      fleet(name: "fleet-1", region: "eu-west-1") { region description }
    }`);
    expect(response.data).toEqual({
      us: { region: US, description: `shared in ${US}` },
      eu: { region: EU, description: `shared in ${EU}` },
      fleet: { region: EU, description: `fleet-1 in ${EU}` },
    });
  });

  it('keeps child fields in their parent region', async () => {
    const response = await stack.graphql<{
      stack: {
        fleets: Array<{ region: string; description: string; stacks: Array<{ region: string }> }>;
        sessions: {
          totalCount: number;
          nodes: Array<{ region: string; stack: { description: string } }>;
        };
      };
    }>(`{
      stack(name: "shared", region: "eu-west-1") {
        fleets { region description stacks { region } }
        sessions(first: 10) { totalCount nodes { region stack { description } } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data?.stack.fleets).toEqual([
      { region: EU, description: `fleet-1 in ${EU}`, stacks: [{ region: EU }] },
    ]);
    expect(response.data?.stack.sessions.totalCount).toBe(4);
    expect(response.data?.stack.sessions.nodes).toHaveLength(4);
    for (const session of response.data?.stack.sessions.nodes ?? []) {
      expect(session).toEqual({ region: EU, stack: { description: `shared in ${EU}` } });
    }
    expect(stack.emulators[US].calls.list()).toEqual([]);
  });

  it('refuses an unknown region, naming the configured ones, before any upstream call', async () => {
    const response = await stack.graphql(`{ stacks(region: "ap-south-1") { nodes { name } } }`);
    expect(response.data).toEqual({ stacks: null });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message:
          '`region` "ap-south-1" is not a region this gateway serves; use one of "us-east-1", ' +
          '"eu-west-1" (APPSTREAM_REGIONS).',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(stack.emulators[US].calls.list()).toEqual([]);
    expect(stack.emulators[EU].calls.list()).toEqual([]);
  });

  it('echoes at most 40 characters of an unknown region, control characters escaped', async () => {
    const region = `eu-west-1\n\u001b[31m${'x'.repeat(100_000)}`;
    const response = await stack.graphql(
      `query($r: String) { a: stacks(region: $r) { nodes { name } } b: stack(name: "shared", region: $r) { name } }`,
      { r: region },
    );
    expect(response.data).toEqual({ a: null, b: null });
    const shown = JSON.stringify(region.slice(0, 40));
    for (const error of response.errors ?? []) {
      expect(error.message).toBe(
        `\`region\` ${shown} is not a region this gateway serves; use one of "us-east-1", ` +
          '"eu-west-1" (APPSTREAM_REGIONS).',
      );
    }
    expect(response.errors).toHaveLength(2);
  });
});

describe('ids and cursors never cross regions', () => {
  it('resolves an id of eu-west-1 in eu-west-1, never reading us-east-1', async () => {
    const ids = await stack.graphql<{
      stack: { id: string; sessions: { nodes: Array<{ id: string; sessionId: string }> } };
      fleet: { id: string };
    }>(`{
      stack(name: "shared", region: "eu-west-1") { id sessions(first: 1) { nodes { id sessionId } } }
      fleet(name: "fleet-1", region: "eu-west-1") { id }
    }`);
    const eu = ids.data;
    if (eu == null) throw new Error('no data');
    const usIds = await stack.graphql<{ stack: { id: string } }>(
      '{ stack(name: "shared") { id } }',
    );
    expect(usIds.data?.stack.id).not.toBe(eu.stack.id);
    stack.emulators[US].calls.reset();
    stack.emulators[EU].calls.reset();
    const session = eu.stack.sessions.nodes[0];
    const response = await stack.graphql<{ nodes: Array<Record<string, unknown> | null> }>(
      `query($ids: [ID!]!) {
        nodes(ids: $ids) {
          __typename
          ... on Stack { region description }
          ... on Fleet { region description }
          ... on Session { region sessionId fleet { region description } }
        }
      }`,
      { ids: [eu.stack.id, eu.fleet.id, session?.id] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.nodes).toEqual([
      { __typename: 'Stack', region: EU, description: `shared in ${EU}` },
      { __typename: 'Fleet', region: EU, description: `fleet-1 in ${EU}` },
      {
        __typename: 'Session',
        region: EU,
        sessionId: session?.sessionId,
        fleet: { region: EU, description: `fleet-1 in ${EU}` },
      },
    ]);
    expect(stack.emulators[US].calls.list()).toEqual([]);
    expect(stack.emulators[EU].calls.count()).toBeGreaterThan(0);
  });

  it('reads an id issued before ids carried a region as one of the first region', async () => {
    const context = await stack.gateway.createContext();
    const legacy = context.ids.encode({ type: 'Stack', name: 'shared' });
    const foreign = context.ids.encode({ type: 'Stack', name: 'shared', region: 'ap-south-1' });
    const response = await stack.graphql<{ a: { region: string; description: string } | null }>(
      'query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Stack { region description } } b: node(id: $b) { id } }',
      { a: legacy, b: foreign },
    );
    expect(response.data).toEqual({
      a: { region: US, description: `shared in ${US}` },
      b: null,
    });
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['b'],
        message:
          'This id belongs to region "ap-south-1", which this gateway does not serve; use one of ' +
          '"us-east-1", "eu-west-1" (APPSTREAM_REGIONS).',
      }),
    ]);
    expect(stack.emulators[EU].calls.list()).toEqual([]);
  });

  it('refuses a cursor of one region given to a field of the other, before any upstream call', async () => {
    const euPage = await stack.graphql<StacksPage>(STACKS, { region: EU, first: 1 });
    const euCursor = euPage.data?.stacks?.pageInfo.endCursor;
    const sessions = await stack.graphql<{
      sessions: { pageInfo: { endCursor: string } };
    }>(`{
      sessions(region: "eu-west-1", stackName: "shared", fleetName: "fleet-1", first: 1) {
        pageInfo { endCursor }
      }
    }`);
    const sessionCursor = sessions.data?.sessions.pageInfo.endCursor;
    stack.emulators[US].calls.reset();
    stack.emulators[EU].calls.reset();

    const crossed = await stack.graphql(STACKS, { region: US, first: 1, after: euCursor });
    expect(crossed.data).toEqual({ stacks: null });
    expect(crossed.errors?.[0]).toMatchObject({
      message:
        '`after` cursor was issued in region "eu-west-1", and this field reads region ' +
        '"us-east-1" there; pass it with the region it came from, or request the first page ' +
        'again without after/before.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const crossedSessions = await stack.graphql(
      `query($before: String) {
        sessions(stackName: "shared", fleetName: "fleet-1", last: 1, before: $before) { nodes { id } }
      }`,
      { before: sessionCursor },
    );
    expect(crossedSessions.errors?.[0]?.message).toContain(
      '`before` cursor was issued in region "eu-west-1", and this field reads region "us-east-1"',
    );
    // A cursor of the one-region listing is not one of the listing over every region.
    // It is another query, said as such (not a region mismatch, whose advice could not work).
    const other = await stack.graphql(STACKS, { first: 1, after: euCursor });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.message).toContain(
      '`after` cursor belongs to a different query (other stack, fleet, filters or `region`',
    );
    expect(stack.emulators[US].calls.list()).toEqual([]);
    expect(stack.emulators[EU].calls.list()).toEqual([]);

    // In its own region it resumes where it was issued.
    const resumed = await stack.graphql<StacksPage>(STACKS, {
      region: EU,
      first: 1,
      after: euCursor,
    });
    expect(resumed.data?.stacks?.edges.map(({ node }) => node.name)).toEqual(['eu-2']);
  });
});

describe('federation references carry the region', () => {
  it('resolves a Session id of eu-west-1 and `region name` keys in their region', async () => {
    const ids = await stack.graphql<{
      sessions: { nodes: Array<{ id: string; sessionId: string }> };
    }>(`{
      sessions(region: "eu-west-1", stackName: "shared", fleetName: "fleet-1", first: 1) {
        nodes { id sessionId }
      }
    }`);
    const session = ids.data?.sessions.nodes[0];
    stack.emulators[US].calls.reset();
    const response = await postGraphQL<{ _entities: Array<Record<string, unknown> | null> }>(
      `${stack.url}/subgraph`,
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) {
          __typename
          ... on Session { region sessionId }
          ... on Stack { region description }
          ... on Fleet { region description }
        }
      }`,
      {
        representations: [
          { __typename: 'Session', id: session?.id },
          { __typename: 'Stack', region: EU, name: 'shared' },
          { __typename: 'Fleet', region: EU, name: 'fleet-1' },
        ],
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { __typename: 'Session', region: EU, sessionId: session?.sessionId },
      { __typename: 'Stack', region: EU, description: `shared in ${EU}` },
      { __typename: 'Fleet', region: EU, description: `fleet-1 in ${EU}` },
    ]);
    expect(stack.emulators[US].calls.list()).toEqual([]);
    // A name without a region is of the first region; a region that is not served is refused.
    const named = await postGraphQL<{ _entities: Array<Record<string, unknown> | null> }>(
      `${stack.url}/subgraph`,
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Stack { region description } }
      }`,
      {
        representations: [
          { __typename: 'Stack', name: 'shared' },
          { __typename: 'Stack', region: 'ap-south-1', name: 'shared' },
          // null, like a `region: null` argument, is the first region.
          { __typename: 'Stack', region: null, name: 'shared' },
        ],
      },
    );
    expect(named.data?._entities).toEqual([
      { region: US, description: `shared in ${US}` },
      null,
      { region: US, description: `shared in ${US}` },
    ]);
    expect(named.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 1],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  });
});

describe('a failing region degrades only its own fields', () => {
  it('answers the healthy region and nulls the failing one, with an error at its path', async () => {
    stack.emulators[EU].faults.add({ error: 'http500' });
    const response = await stack.graphql<{
      a: { nodes: Array<{ name: string }> } | null;
      b: { nodes: Array<{ name: string }> } | null;
      c: { region: string } | null;
    }>(`{
      a: stacks(region: "us-east-1", first: 2) { nodes { name } }
      b: stacks(region: "eu-west-1", first: 2) { nodes { name } }
      c: stack(name: "shared") { region }
    }`);
    expect(response.data).toEqual({
      a: { nodes: [{ name: 'us-1' }, { name: 'us-2' }] },
      b: null,
      c: { region: US },
    });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['b'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }),
    ]);
  });

  it("names the failing region and AppStream's cause in the log, not in the response", async () => {
    lines.length = 0;
    stack.emulators[EU].faults.add({ operation: 'DescribeStacks', error: 'ThrottlingException' });
    const response = await stack.graphql(
      '{ stacks(region: "eu-west-1", first: 2) { nodes { name } } }',
    );
    expect(response.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'UPSTREAM_THROTTLED' }),
      }),
    ]);
    expect(JSON.stringify(response.errors)).not.toContain('eu-west-1');
    expect(lines.map((line) => line.error)).toContainEqual(
      expect.objectContaining({
        code: 'UPSTREAM_THROTTLED',
        cause: 'ThrottlingException',
        region: EU,
      }),
    );
  });

  it('fails the listing over every region as a whole, naming the region, once the walk reaches it', async () => {
    stack.emulators[EU].faults.add({ operation: 'DescribeStacks', error: 'ThrottlingException' });
    // The first page lies in us-east-1 and its look-ahead too: served.
    const head = await stack.graphql<StacksPage>(STACKS, { first: 2 });
    expect(head.errors).toBeUndefined();
    expect(head.data?.stacks?.pageInfo.hasNextPage).toBe(true);
    // A page that reaches eu-west-1 (or must know whether it holds anything) cannot be exact.
    const all = await stack.graphql<StacksPage>(STACKS, { first: 20 });
    expect(all.data).toEqual({ stacks: null });
    expect(all.errors).toEqual([
      expect.objectContaining({
        path: ['stacks'],
        message: expect.stringMatching(/^Region eu-west-1: /),
        extensions: expect.objectContaining({ code: 'UPSTREAM_THROTTLED', region: EU }),
      }),
    ]);
  });

  it('counts calls and throttles by region in /metrics', async () => {
    const scrape = async () => (await fetch(`${stack.url}/metrics`)).text();
    const value = (text: string, sample: string) =>
      Number(new RegExp(`^${sample.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const okUs =
      'gateway_upstream_calls_total{operation="DescribeStacks",outcome="ok",region="us-east-1"}';
    const throttledEu =
      'gateway_upstream_throttles_total{operation="DescribeStacks",region="eu-west-1"}';
    const throttledUs =
      'gateway_upstream_throttles_total{operation="DescribeStacks",region="us-east-1"}';
    stack.gateway.pageCache?.clear();
    const before = await scrape();
    stack.emulators[EU].faults.add({ operation: 'DescribeStacks', error: 'ThrottlingException' });
    await stack.graphql(`{
      a: stacks(region: "us-east-1", first: 1) { nodes { name } }
      b: stacks(region: "eu-west-1", first: 1) { nodes { name } }
    }`);
    const after = await scrape();
    expect(value(after, okUs) - value(before, okUs)).toBe(1);
    expect(value(after, throttledEu) - value(before, throttledEu)).toBe(1);
    expect(value(after, throttledUs) - value(before, throttledUs)).toBe(0);
  });

  it('lists both breakers in /readyz and /metrics', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toContain(
      'gateway_upstream_breaker_state{region="us-east-1",state="closed"} 1',
    );
    expect(metrics).toContain(
      'gateway_upstream_breaker_state{region="eu-west-1",state="closed"} 1',
    );
    const response = await fetch(`${stack.url}/readyz`);
    expect(await response.json()).toMatchObject({
      upstream: {
        breakers: [
          { region: US, state: 'closed' },
          { region: EU, state: 'closed' },
        ],
      },
    });
  });
});
