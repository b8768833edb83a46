import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import { PAGE_QUERY, walkSessions } from '../../helpers/walk.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-137')
  .fleet('fleet-1000')
  .fleet('fleet-100')
  .associate('stack-a', 'fleet-137')
  .associate('stack-a', 'fleet-1000')
  .associate('stack-a', 'fleet-100')
  .sessions('stack-a', 'fleet-137', 137)
  .sessions('stack-a', 'fleet-1000', 1000)
  .sessions('stack-a', 'fleet-100', 100)
  .build();

describe('whole forward walks with the page cache on', () => {
  // A TTL far longer than any walk here: these tests count calls, not expiry.
  const stack = useTestStack({ emulator: { dataset }, pageCacheTtlMs: 60_000 });

  // [fleet, first, empty trailing page, DescribeSessions calls = distinct pages of data].
  // boto3's paginator on the same walks: 8, 60, 3, 20, 20 (see scripts/bench/boto3-model.ts).
  it.each([
    ['fleet-137', 20, false, 3],
    ['fleet-1000', 20, false, 20],
    ['fleet-100', 50, true, 3],
    ['fleet-1000', 50, false, 20],
    ['fleet-1000', 100, false, 20],
  ] as const)(
    'walks %s %i at a time (empty trailing page: %s) in %i upstream calls',
    async (fleet, first, emptyTrailingPage, calls) => {
      stack.gateway.pageCache?.clear();
      if (emptyTrailingPage) stack.emulator.options.emptyPageAtEnd = 'when-full';
      const { ids } = await walkSessions(stack, { stack: 'stack-a', fleet, first });
      expect(ids).toEqual(stack.emulator.data.sessions('stack-a', fleet).map((s) => s.Id));
      expect(stack.emulator.calls.count('DescribeSessions')).toBe(calls);
    },
  );

  it('walks again within the TTL without any upstream call', async () => {
    stack.gateway.pageCache?.clear();
    await walkSessions(stack, { stack: 'stack-a', fleet: 'fleet-137', first: 20 });
    stack.emulator.calls.reset();
    const { ids } = await walkSessions(stack, { stack: 'stack-a', fleet: 'fleet-137', first: 20 });
    expect(ids).toHaveLength(137);
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('does not serve one filter set the pages of another', async () => {
    stack.gateway.pageCache?.clear();
    const all = await walkSessions(stack, { stack: 'stack-a', fleet: 'fleet-137', first: 50 });
    const someone = stack.emulator.data.sessions('stack-a', 'fleet-137')[0]!;
    const response = await stack.graphql<{ sessions: { nodes: Array<{ userId: string }> } }>(
      `query($user: String!) { sessions(stackName: "stack-a", fleetName: "fleet-137", userId: $user,
        authenticationType: ${someone.AuthenticationType ?? 'API'}, first: 100) { nodes { userId } } }`,
      { user: someone.UserId },
    );
    expect(all.ids).toHaveLength(137);
    const users = new Set(response.data?.sessions.nodes.map((node) => node.userId));
    expect([...users]).toEqual([someone.UserId]);
  });
});

describe('a burst of identical requests (single-flight)', () => {
  const stack = useTestStack({ emulator: { dataset } });

  it('costs one upstream call per distinct page, with the page cache off', async () => {
    stack.emulator.faults.add({ operation: 'DescribeSessions', latencyMs: 150 });
    const variables = { stack: 'stack-a', fleet: 'fleet-137', first: 20 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => stack.graphql(PAGE_QUERY, variables)),
    );
    for (const response of responses) {
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual(responses[0]?.data);
    }
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });
});

describe('staleness the page cache allows', () => {
  const stack = useTestStack({ emulator: { dataset }, pageCacheTtlMs: 300 });

  it('shows a session that started after a walk passed the end once the TTL has passed', async () => {
    const walk = await walkSessions(stack, { stack: 'stack-a', fleet: 'fleet-137', first: 50 });
    const started = stack.emulator.data.addSession({
      StackName: 'stack-a',
      FleetName: 'fleet-137',
    });
    await sleep(350);
    const next = await walkSessions(stack, {
      stack: 'stack-a',
      fleet: 'fleet-137',
      first: 50,
      after: walk.endCursor,
    });
    expect(next.ids).toEqual([started.Id]);
  });
});
