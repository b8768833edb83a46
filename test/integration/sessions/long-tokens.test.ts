import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 260)
  .build();

// AppStream sets no maximum on NextToken: tokens of several kilobytes each.
const TOKEN_LENGTH = 6000;
const stack = useTestStack({ emulator: { dataset, nextTokenPadding: TOKEN_LENGTH } });

interface Page {
  sessions: {
    edges: Array<{ cursor: string; node: { sessionId: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

const Q = `query($first: Int, $after: String, $last: Int, $before: String) {
  sessions(stackName: "stack-a", fleetName: "fleet-1", first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { sessionId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('cursors carrying long AppStream tokens', () => {
  it('the emulator pads its NextTokens to the length asked for', async () => {
    const calls = stack.emulator.calls;
    await stack.graphql(Q, { first: 1 });
    expect(calls.list().length).toBeGreaterThan(0);
    const page2 = await stack.graphql<Page>(Q, { first: 60 });
    expect(page2.errors).toBeUndefined();
    const withToken = calls.list().find((call) => typeof call.input?.NextToken === 'string');
    expect(String(withToken?.input?.NextToken).length).toBeGreaterThanOrEqual(TOKEN_LENGTH);
  });

  it('walks every session forward with page-ending cursors that carry two long tokens', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let longest = 0;
    for (let k = 0; k < 20; k++) {
      const response: GraphQLResponse<Page> = await stack.graphql(Q, { first: 50, after });
      expect(response.errors).toBeUndefined();
      const connection = response.data?.sessions;
      seen.push(...(connection?.edges.map((edge) => edge.node.sessionId) ?? []));
      longest = Math.max(longest, connection?.pageInfo.endCursor?.length ?? 0);
      if (connection?.pageInfo.hasNextPage !== true) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(stack.emulator.data.sessions('stack-a', 'fleet-1').map((s) => s.Id));
    // Each page-ending cursor carried its page's token and the next one: well over 4096.
    expect(longest).toBeGreaterThan(2 * TOKEN_LENGTH);
  });

  it('pages backward from a long cursor', async () => {
    const forward = await stack.graphql<Page>(Q, { first: 100 });
    const before = forward.data?.sessions?.pageInfo.endCursor;
    const response = await stack.graphql<Page>(Q, { last: 10, before });
    expect(response.errors).toBeUndefined();
    expect(response.data?.sessions?.edges.map((edge) => edge.node.sessionId)).toEqual(
      forward.data?.sessions?.edges.slice(89, 99).map((edge) => edge.node.sessionId),
    );
  });

  it('still rejects an absurdly long cursor before decoding it, with no upstream call', async () => {
    const response = await stack.graphql<Page>(Q, { first: 1, after: 'A'.repeat(200_000) });
    expect(response.data).toEqual({ sessions: null });
    expect(response.errors?.[0]?.message).toContain('not a valid cursor (too long)');
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
