import { beforeEach, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { Upstream } from '../../../src/upstream/types.js';
import { useTestStack } from '../../helpers/gateway.js';

const builder = datasetBuilder().stack('stack-a').stack('stack-b').stack('stack-c');
for (let i = 1; i <= 30; i++) builder.fleet(`fleet-${i}`);
builder
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .associate('stack-a', 'fleet-3')
  .associate('stack-b', 'fleet-2')
  .associate('stack-b', 'fleet-4')
  .associate('stack-c', 'fleet-5')
  .sessions('stack-a', 'fleet-1', 30)
  .sessions('stack-a', 'fleet-2', 25)
  .sessions('stack-a', 'fleet-3', 12)
  .sessions('stack-b', 'fleet-2', 8)
  .sessions('stack-b', 'fleet-4', 40)
  .sessions('stack-c', 'fleet-5', 3);
const dataset = builder.build();

/** Counts DescribeSessions calls in flight at once, seen from the gateway's side. */
const inFlight = { now: 0, max: 0 };
function observeConcurrency(upstream: Upstream): Upstream {
  return {
    ...upstream,
    async describeSessions(query, token) {
      inFlight.now++;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      try {
        return await upstream.describeSessions(query, token);
      } finally {
        inFlight.now--;
      }
    },
  };
}

const stack = useTestStack({ emulator: { dataset }, wrapUpstream: observeConcurrency });
beforeEach(() => {
  inFlight.max = 0;
});

describe('batching lookups of stacks and fleets', () => {
  it('answers 50 sessions asking for their fleet and stack with one DescribeFleets and one DescribeStacks', async () => {
    const response = await stack.graphql<{
      sessions: {
        nodes: Array<{ fleet: { name: string; state: string }; stack: { name: string } }>;
      };
    }>(`{
      sessions(stackName: "stack-b", fleetName: "fleet-4", first: 50) {
        nodes { fleet { name state } stack { name } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data?.sessions.nodes).toHaveLength(40);
    const more = await stack.graphql<{ a: { nodes: unknown[] }; b: { nodes: unknown[] } }>(`{
      a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 25) { nodes { fleet { name state } stack { name } } }
      b: sessions(stackName: "stack-a", fleetName: "fleet-2", first: 25) { nodes { fleet { name state } stack { name } } }
    }`);
    expect(more.data?.a.nodes.length).toBe(25);
    expect(more.data?.b.nodes.length).toBe(25);
    // Two requests: each made exactly one DescribeFleets and one DescribeStacks call.
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(2);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(2);
    // The second request's two connections shared one batch (in whichever order they resolved).
    const names = stack.emulator.calls
      .list()
      .filter((call) => call.operation === 'DescribeFleets')
      .map((call) => [...(call.input?.Names as string[])].sort());
    expect(names).toEqual([['fleet-4'], ['fleet-1', 'fleet-2']]);
  });

  it('splits a batch at 25 names', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `fleet-${i + 1}`);
    const query = `{ ${names.map((name, i) => `f${i}: fleet(name: "${name}") { name instanceType }`).join(' ')} }`;
    const response = await stack.graphql<Record<string, { name: string } | null>>(query);
    expect(response.errors).toBeUndefined();
    expect(Object.values(response.data ?? {}).map((fleet) => fleet?.name)).toEqual(names);
    const sizes = stack.emulator.calls
      .list()
      .map((call) => (call.input?.Names as unknown[]).length);
    expect(sizes.sort((a, b) => b - a)).toEqual([25, 5]);
  });

  it('fails only the unknown name of a batch: AppStream fails the whole call, so it asks name by name', async () => {
    const response = await stack.graphql(`{
      a: fleet(name: "fleet-1") { name }
      b: fleet(name: "no-such-fleet") { name }
      c: stack(name: "stack-a") { name }
      d: stack(name: "no-such-stack") { name }
    }`);
    expect(response).toEqual({
      status: 200,
      data: { a: { name: 'fleet-1' }, b: null, c: { name: 'stack-a' }, d: null },
    });
    // One failed batch, then one call per name, for each of the two operations.
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(3);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(3);
  });

  it('degrades only the fields of a failed batch', async () => {
    stack.emulator.faults.add({ operation: 'DescribeFleets', error: 'http503' });
    const response = await stack.graphql<{
      stack: { name: string; fleets: Array<{ name: string; state: string | null }> };
    }>('{ stack(name: "stack-a") { name displayName fleets { name state } } }');
    expect(response.data?.stack).toEqual({
      name: 'stack-a',
      displayName: expect.any(String),
      fleets: [
        { name: 'fleet-1', state: null },
        { name: 'fleet-2', state: null },
        { name: 'fleet-3', state: null },
      ],
    });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ]);
  });
});

describe('a dashboard query: every stack, its fleets, and the first 10 sessions of each', () => {
  const DASHBOARD = `{
    stacks(first: 20) {
      nodes {
        name
        fleets {
          name
          sessions(first: 10) { nodes { sessionId state } pageInfo { hasNextPage } }
        }
      }
    }
  }`;

  it('makes one call per distinct upstream request', async () => {
    const response = await stack.graphql<{
      stacks: {
        nodes: Array<{
          name: string;
          fleets: Array<{ name: string; sessions: { nodes: unknown[] } }>;
        }>;
      };
    }>(DASHBOARD);
    expect(response.errors).toBeUndefined();
    const shape = response.data?.stacks.nodes.map((s) => [
      s.name,
      s.fleets.map((f) => [f.name, f.sessions.nodes.length]),
    ]);
    expect(shape).toEqual([
      [
        'stack-a',
        [
          ['fleet-1', 10],
          ['fleet-2', 10],
          ['fleet-3', 10],
        ],
      ],
      [
        'stack-b',
        [
          ['fleet-2', 8],
          ['fleet-4', 10],
        ],
      ],
      ['stack-c', [['fleet-5', 3]]],
    ]);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
    expect(stack.emulator.calls.count('ListAssociatedFleets')).toBe(3);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(6);
    expect(stack.emulator.calls.count()).toBe(10);
  });

  it('runs the per-fleet session calls concurrently: about the depth of the chain, not the sum', async () => {
    stack.emulator.faults.add({ latencyMs: 50 });
    const started = performance.now();
    const response = await stack.graphql(DASHBOARD);
    const elapsed = performance.now() - started;
    expect(response.errors).toBeUndefined();
    // All six DescribeSessions calls were in flight together: that is the proof of concurrency.
    // The elapsed time (about 3 x 50 ms: stacks, associations, sessions) is not asserted from
    // above, since a loaded machine can stretch it past any bound (house rule: no timed
    // assertions); it can only be at least the chain of three delayed calls.
    expect(inFlight.max).toBe(6);
    expect(elapsed).toBeGreaterThanOrEqual(150);
  });
});
