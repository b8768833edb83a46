import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { startTestStack, useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .stack('stack-b')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .associate('stack-b', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 137)
  .sessions('stack-a', 'fleet-2', 10)
  .sessions('stack-b', 'fleet-1', 5)
  .build();

const stack = useTestStack({ emulator: { dataset } });

const Q = `query Q($stack: String!, $fleet: String!, $userId: String, $auth: AuthenticationType,
  $first: Int, $after: String, $last: Int, $before: String) {
  sessions(stackName: $stack, fleetName: $fleet, userId: $userId, authenticationType: $auth,
    first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { sessionId } }
    pageInfo { endCursor }
  }
}`;

type Page = {
  sessions: { edges: Array<{ cursor: string }>; pageInfo: { endCursor: string } } | null;
};

async function cursorOf(variables: Record<string, unknown>): Promise<string> {
  const response = await stack.graphql<Page>(Q, { first: 5, ...variables });
  const cursor = response.data?.sessions?.pageInfo.endCursor;
  if (!cursor) throw new Error('no cursor');
  return cursor;
}

function expectBadInput(response: GraphQLResponse<Page>, message: RegExp) {
  expect(response.data?.sessions ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(response.errors?.[0]?.message).toMatch(message);
}

describe('bad input to Query.sessions', () => {
  const base = { stack: 'stack-a', fleet: 'fleet-1' };

  it.each([
    ['a negative first', { first: -1 }, /`first`.*0.*100.*-1/],
    ['a first over 100', { first: 101 }, /`first`.*0.*100.*101/],
    ['a last over 100', { last: 500 }, /`last`.*0.*100.*500/],
    ['first together with last', { first: 5, last: 5 }, /either `first`.*or `last`/],
    ['a malformed after cursor', { after: 'not-a-cursor' }, /`after`/],
    ['a malformed before cursor', { last: 2, before: '!!!' }, /`before`/],
    [
      'userId without authenticationType',
      { userId: 'alice@example.com' },
      /`userId` requires `authenticationType`/,
    ],
    ['a one-character userId', { userId: 'a', auth: 'API' }, /`userId` must be 2 to 128/],
    ['a stack name that breaks the pattern', { stack: 'bad name!' }, /`stackName` must be/],
    ['a fleet name that breaks the pattern', { fleet: '-fleet' }, /`fleetName` must be/],
  ])(
    'rejects %s with BAD_USER_INPUT before calling AppStream',
    async (_name, variables, message) => {
      const response = await stack.graphql<Page>(Q, { ...base, ...variables });
      expectBadInput(response, message);
      expect(stack.emulator.calls.count()).toBe(0);
    },
  );

  it('rejects a tampered cursor', async () => {
    const cursor = await cursorOf(base);
    stack.emulator.calls.reset();
    const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    expectBadInput(await stack.graphql<Page>(Q, { ...base, after: flipped }), /`after`/);
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it.each([
    ['another fleet', { fleet: 'fleet-2' }],
    ['another stack', { stack: 'stack-b' }],
    ['another filter set', { userId: 'someone@example.com', auth: 'SAML' }],
  ])('rejects a cursor issued for %s', async (_name, other) => {
    const cursor = await cursorOf(base);
    stack.emulator.calls.reset();
    const response = await stack.graphql<Page>(Q, { ...base, ...other, after: cursor });
    expectBadInput(response, /different|another|other/i);
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('keeps serving after bad input', async () => {
    await stack.graphql<Page>(Q, { ...base, first: -1 });
    const response = await stack.graphql<Page>(Q, { ...base, first: 1 });
    expect(response.data?.sessions?.edges).toHaveLength(1);
  });
});

describe('upstream failures', () => {
  const TWO = `{
    a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 2) { nodes { sessionId } }
    b: sessions(stackName: "stack-a", fleetName: "fleet-2", first: 2) { nodes { sessionId } }
  }`;

  it.each([
    ['ThrottlingException', 'UPSTREAM_THROTTLED'],
    ['RequestLimitExceededException', 'UPSTREAM_THROTTLED'],
    ['http500', 'UPSTREAM_UNAVAILABLE'],
    ['http503', 'UPSTREAM_UNAVAILABLE'],
    ['drop', 'UPSTREAM_UNAVAILABLE'],
  ] as const)('maps %s to %s on that field only; siblings still resolve', async (error, code) => {
    stack.emulator.faults.add({ operation: 'DescribeSessions', fleetName: 'fleet-1', error });
    const response = await stack.graphql<{ a: unknown; b: { nodes: unknown[] } }>(TWO);
    expect(response.status).toBe(200);
    expect(response.data?.a).toBeNull();
    expect(response.data?.b.nodes).toHaveLength(2);
    expect(response.errors).toEqual([
      {
        message: expect.any(String),
        path: ['a'],
        locations: expect.any(Array),
        // Throttling says when to retry (seconds); AppStream sent no Retry-After, so the default.
        extensions: code === 'UPSTREAM_THROTTLED' ? { code, retryAfter: 2 } : { code },
      },
    ]);
    const text = JSON.stringify(response);
    expect(text).not.toMatch(/arn:|123456789012|at .*\.ts:\d+|NextToken/);
  });

  it('maps an unknown stack or fleet to NOT_FOUND without leaking ARNs', async () => {
    const response = await stack.graphql(
      '{ sessions(stackName: "no-such-stack", fleetName: "fleet-1") { totalCount } }',
    );
    expect(response.data).toEqual({ sessions: null });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(response.errors?.[0]?.message).toContain('no-such-stack');
    expect(JSON.stringify(response)).not.toMatch(/arn:|123456789012/);
  });

  it('keeps serving once the upstream recovers', async () => {
    stack.emulator.faults.add({ operation: 'DescribeSessions', error: 'http503', times: 1 });
    expect((await stack.graphql(TWO)).errors).toHaveLength(1);
    expect((await stack.graphql(TWO)).errors).toBeUndefined();
  });
});

describe('the scan bound', () => {
  it('rejects a backward page that would scan past the bound, naming the bound', async () => {
    const small = await startTestStack({ emulator: { dataset }, scanBound: 100 });
    try {
      const response = await small.graphql<Page>(Q, {
        stack: 'stack-a',
        fleet: 'fleet-1',
        last: 5,
      });
      expect(response.data?.sessions).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('SCAN_LIMIT_EXCEEDED');
      expect(response.errors?.[0]?.message).toContain('100');
      const forward = await small.graphql<Page>(Q, {
        stack: 'stack-a',
        fleet: 'fleet-1',
        first: 5,
      });
      expect(forward.data?.sessions?.edges).toHaveLength(5);
    } finally {
      await small.close();
    }
  });
});
