import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { oneFleetDataset } from '../../helpers/datasets.js';
import { useTestStack } from '../../helpers/gateway.js';

const QUERY = `query Page($first: Int!, $after: String) {
  sessions(stackName: "stack-a", fleetName: "fleet-1", first: $first, after: $after) {
    nodes { sessionId }
    pageInfo { endCursor }
  }
}`;

interface Page {
  sessions: { nodes: { sessionId: string }[]; pageInfo: { endCursor: string | null } } | null;
}

describe('single-flight and page cache under AppStream faults', () => {
  const stack = useTestStack({
    emulator: { dataset: oneFleetDataset(120) },
    pageCacheTtlMs: 5000,
    gatewayOptions: {
      budgets: { maxUpstreamCalls: 120, maxResultItems: 10_000, upstreamDeadlineMs: 1500 },
    },
  });

  it('never caches a failed page, and every caller that joined it gets the error', async () => {
    stack.emulator.faults.add({
      operation: 'DescribeSessions',
      error: 'http500',
      latencyMs: 200,
      times: 1,
    });
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => stack.graphql<Page>(QUERY, { first: 10 })),
    );
    for (const response of burst) {
      expect(response.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
    const after = await stack.graphql<Page>(QUERY, { first: 10 });
    expect(after.errors).toBeUndefined();
    expect(after.data?.sessions?.nodes).toHaveLength(10);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(2);
  });
});

describe('single-flight and request deadlines (page cache off)', () => {
  const stack = useTestStack({
    emulator: { dataset: oneFleetDataset(120) },
    gatewayOptions: {
      budgets: { maxUpstreamCalls: 120, maxResultItems: 10_000, upstreamDeadlineMs: 1500 },
    },
  });

  it("a request that joined another's call is not failed by that request's deadline", async () => {
    const first = await stack.graphql<Page>(QUERY, { first: 50 });
    const cursor = first.data?.sessions?.pageInfo.endCursor;
    expect(typeof cursor).toBe('string');
    stack.emulator.faults.add({ operation: 'DescribeSessions', latencyMs: 1000, times: 2 });
    stack.emulator.calls.reset();
    // A reads pages 1 and 2 (1 s each) and passes its 1.5 s deadline during page 2; B asks
    // for page 2 while A's call is in flight, so it joins that call.
    const a = stack.graphql<Page>(QUERY, { first: 60 });
    await sleep(1150);
    const b = stack.graphql<Page>(QUERY, { first: 10, after: cursor });
    expect((await a).errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const joined = await b;
    expect(joined.errors).toBeUndefined();
    expect(joined.data?.sessions?.nodes).toHaveLength(10);
  });
});
