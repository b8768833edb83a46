import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

/** The query from the issue that took the process down (231 characters). */
const ISSUE_QUERY =
  '{ stacks { nodes { fleets { sessions(first:100) { nodes { sessionId fleet { stacks { fleets { sessions(first:100) { nodes { sessionId fleet { stacks { fleets { sessions(first:100) { nodes { sessionId } } } } } } } } } } } } } } } }';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const HOSTILE: ReadonlyArray<readonly [string, string, string]> = [
  ['the 231-character query from the issue', ISSUE_QUERY, 'depth'],
  [
    '1,000 aliases',
    `{ ${range(1000)
      .map((i) => `a${i}: __typename`)
      .join(' ')} }`,
    'aliases',
  ],
  [
    '5,000 aliased filtered totalCounts',
    `{ ${range(5000)
      .map(
        (i) =>
          `c${i}: sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", userId: "u${i}", authenticationType: API) { totalCount }`,
      )
      .join(' ')} }`,
    'tokens',
  ],
  [
    'a depth bomb',
    `{ stacks { nodes { ${'fleets { stacks { '.repeat(10)} name ${'} } '.repeat(10)} } } }`,
    'depth',
  ],
  ['500 repeated directives', `{ __typename ${'@include(if: true) '.repeat(500)}}`, 'directives'],
  // Just under the 1 MiB body limit, so that the token limit (not the body size) refuses it.
  ['a 1 MB query string', `{ ${'__typename '.repeat(90_900)}}`, 'tokens'],
  [
    'stacks(first: 100) { fleets { sessions(first: 100) } } nested',
    '{ stacks(first: 100) { nodes { fleets { sessions(first: 100) { nodes { sessionId } } } } } }',
    'cost',
  ],
  [
    'a cycle through plain lists',
    '{ sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", first: 100) { edges { node { fleet { stacks { fleets { stacks { name } } } } } } } }',
    'cost',
  ],
];

describe('static query limits (defaults, demo data)', () => {
  const stack = useTestStack();

  it.each(HOSTILE)(
    'refuses %s before any upstream call, naming the limit',
    async (_name, query, limit) => {
      const body = JSON.stringify({ query });
      expect(body.length).toBeLessThan(1024 * 1024);
      const response = await stack.graphql(query);
      expect(response.status).toBe(400);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining(`${limit} limit`),
        extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit },
      });
      expect(stack.emulator.calls.count()).toBe(0);
      expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    },
  );

  it('says what the cost is, the cap, and which field contributed most', async () => {
    const response = await stack.graphql(HOSTILE[6]?.[1] ?? '');
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'cost',
      variable: 'MAX_QUERY_COST',
      maximum: 10_000,
      cost: 101_100,
      field: 'stacks.nodes.fleets.sessions',
    });
    expect(response.errors?.[0]?.message).toMatch(/cost 101100, over the cost limit of 10000/);
  });

  it.each([
    ['a literal', '{ stacks(first: 1000000000) { nodes { name } } }', {}],
    ['a variable', 'query Q($n: Int) { stacks(first: $n) { nodes { name } } }', { n: 1_000_000 }],
  ])(
    'answers a huge first given as %s with the page-size range, not the cost limit',
    async (_how, query, variables) => {
      const response = await stack.graphql(query, variables);
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('`first` must be an integer from 0 to 100'),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(stack.emulator.calls.count()).toBe(0);
    },
  );

  it('lets a dashboard through: 5 stacks, their fleets, 10 sessions each', async () => {
    const response = await stack.graphql<{
      stacks: { nodes: Array<{ fleets: Array<{ sessions: { nodes: unknown[] } }> }> };
    }>(
      `{ stacks(first: 5) { nodes { name fleets { name state sessions(first: 10) {
          nodes { sessionId userId state startTime } pageInfo { hasNextPage endCursor } } } } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.stacks.nodes).toHaveLength(5);
    const sessions = response.data?.stacks.nodes.flatMap((s) => s.fleets.map((f) => f.sessions));
    expect(sessions?.some((connection) => connection.nodes.length === 10)).toBe(true);
  });

  it('runs every query of the README without hitting a limit', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const queries = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(queries.length).toBeGreaterThanOrEqual(2);
    for (const query of queries) {
      // Some README blocks are subscriptions or need variables; none may hit a query limit.
      const response: GraphQLResponse = await stack.graphql(query);
      const codes = (response.errors ?? []).map((error) => error.extensions?.code);
      expect(codes).not.toContain('QUERY_LIMIT_EXCEEDED');
    }
  });
});

describe('per-request upstream budget and runtime item cap', () => {
  const builder = datasetBuilder().stack('stack-a');
  for (const fleet of ['f1', 'f2', 'f3', 'f4']) {
    builder.fleet(fleet).associate('stack-a', fleet).sessions('stack-a', fleet, 30);
  }
  const stack = useTestStack({
    emulator: { dataset: builder.build() },
    gatewayOptions: {
      budgets: { maxUpstreamCalls: 2, maxResultItems: 25, upstreamDeadlineMs: 5000 },
    },
  });
  const FOUR = `{
    a: sessions(stackName: "stack-a", fleetName: "f1", first: 1) { nodes { sessionId } }
    b: sessions(stackName: "stack-a", fleetName: "f2", first: 1) { nodes { sessionId } }
    c: sessions(stackName: "stack-a", fleetName: "f3", first: 1) { nodes { sessionId } }
    d: sessions(stackName: "stack-a", fleetName: "f4", first: 1) { nodes { sessionId } }
  }`;

  it('fails the fields beyond MAX_UPSTREAM_CALLS_PER_REQUEST and keeps the rest', async () => {
    const response = await stack.graphql(FOUR);
    expect(response.status).toBe(200);
    const codes = response.errors?.map((error) => error.extensions?.code);
    expect(codes).toEqual(['UPSTREAM_BUDGET_EXCEEDED', 'UPSTREAM_BUDGET_EXCEEDED']);
    expect(Object.values(response.data ?? {}).filter((value) => value !== null)).toHaveLength(2);
    expect(stack.emulator.calls.count()).toBe(2);
  });

  it('fails the field that would take the request past MAX_RESULT_ITEMS', async () => {
    const response = await stack.graphql<{ x: unknown; y: unknown; z: unknown }>(`{
      x: sessions(stackName: "stack-a", fleetName: "f1", first: 20) { nodes { sessionId } }
      y: sessions(stackName: "stack-a", fleetName: "f1", first: 0) { nodes { sessionId } }
      z: sessions(stackName: "stack-a", fleetName: "f1", first: 20, after: null) { nodes { sessionId } }
    }`);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringContaining('at most 25 items'),
      extensions: { code: 'RESULT_LIMIT_EXCEEDED', limit: 'MAX_RESULT_ITEMS', maximum: 25 },
    });
    // y asks for nothing; x and z want 20 each and only one fits under 25.
    expect(response.data?.y).toEqual({ nodes: [] });
    const kept = [response.data?.x, response.data?.z].filter((value) => value !== null);
    expect(kept).toEqual([{ nodes: expect.arrayContaining([expect.anything()]) }]);
  });
});

describe('batched HTTP requests', () => {
  const post = (url: string, body: unknown) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  describe('by default', () => {
    const stack = useTestStack();
    it('are refused', async () => {
      const response = await post(stack.url, [{ query: '{ __typename }' }]);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
      });
    });
  });

  describe('when enabled', () => {
    const stack = useTestStack({
      gatewayOptions: {
        security: {
          introspection: true,
          fieldSuggestions: true,
          csrfPrevention: true,
          allowBatchedHttpRequests: true,
        },
        maxBatchSize: 3,
        limits: {
          maxDepth: 12,
          maxAliases: 30,
          maxDirectives: 50,
          maxTokens: 5000,
          maxCost: 150,
          defaultPageSize: 20,
          assumedListSize: 10,
        },
      },
    });

    it('count against the cost limit as a whole', async () => {
      const query = '{ stacks(first: 100) { nodes { name } } }';
      const response = await post(stack.url, [{ query }, { query }]);
      // A batch shares one HTTP status: the refusal's 400.
      expect(response.status).toBe(400);
      const results = (await response.json()) as GraphQLResponse[];
      expect(results).toHaveLength(2);
      const refused = results.filter((result) => result.errors !== undefined);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.errors?.[0]?.extensions).toMatchObject({ limit: 'cost', cost: 200 });
    });

    it('refuses a batch larger than MAX_BATCH_SIZE', async () => {
      const response = await post(
        stack.url,
        range(4).map(() => ({ query: '{ __typename }' })),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'batch', maximum: 3 } }],
      });
      expect(stack.emulator.calls.count()).toBe(0);
    });
  });
});
