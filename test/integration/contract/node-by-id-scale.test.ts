import { describe, expect, it, vi } from 'vitest';
import { createHmacSigner } from '../../../src/policy/signing.js';
import { useTestStack } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

// Generating 100,000 sessions takes seconds on a loaded machine.
vi.setConfig({ hookTimeout: 120_000, testTimeout: 120_000 });

const SECRET = 'node-by-id-test-secret-0123456789abcdef';
const stack = useTestStack({ emulator: { sessions: 100_000 }, signing: { secret: SECRET } });

interface Page {
  sessions: {
    nodes: Array<{ id: string; sessionId: string; userId: string }>;
    pageInfo: { endCursor: string; hasNextPage: boolean };
  };
}

const WALK = `query($after: String) {
  sessions(stackName: "support-tools", fleetName: "shared-elastic-apps", first: 100, after: $after) {
    nodes { id sessionId userId }
    pageInfo { endCursor hasNextPage }
  }
}`;

const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Session { sessionId userId } } }`;

/** A session id as the previous layout (`v2`) signed it: no filters, so a lookup scans. */
function previousVersionId(stackName: string, fleetName: string, sessionId: string): string {
  const text = `v2:${JSON.stringify(['Session', stackName, fleetName, sessionId])}`;
  return (
    Buffer.from(text, 'utf8').toString('base64url') +
    createHmacSigner({ secret: SECRET }).sign(text)
  );
}

describe('node(id) of a session listed past the scan bound (100,000 sessions)', () => {
  it('fetches the session 6,000 items into its listing with one filtered DescribeSessions call', async () => {
    let after: string | null = null;
    let last: Page['sessions']['nodes'][number] | undefined;
    for (let k = 0; k < 60; k++) {
      const response: GraphQLResponse<Page> = await stack.graphql(WALK, { after });
      expect(response.errors).toBeUndefined();
      last = response.data?.sessions.nodes.at(-1);
      after = response.data?.sessions.pageInfo.endCursor ?? null;
    }
    expect(last).toBeDefined();
    stack.emulator.calls.reset();
    const response = await stack.graphql(NODE, { id: last?.id });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      node: { __typename: 'Session', sessionId: last?.sessionId, userId: last?.userId },
    });
    const calls = stack.emulator.calls
      .list()
      .filter((call) => call.operation === 'DescribeSessions');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toMatchObject({ UserId: last?.userId, StackName: 'support-tools' });
  });

  it('still accepts an id of the previous layout, which scans the listing up to the scan bound', async () => {
    const sessions = stack.emulator.data.sessions('support-tools', 'shared-elastic-apps');
    const early = sessions[10];
    const late = sessions[6000];
    const earlyId = previousVersionId('support-tools', 'shared-elastic-apps', String(early?.Id));
    const found = await stack.graphql(NODE, { id: earlyId });
    expect(found.data).toEqual({
      node: { __typename: 'Session', sessionId: early?.Id, userId: early?.UserId },
    });
    const lateId = previousVersionId('support-tools', 'shared-elastic-apps', String(late?.Id));
    const tooFar = await stack.graphql(NODE, { id: lateId });
    expect(tooFar.data).toEqual({ node: null });
    expect(tooFar.errors?.map((error) => error.extensions?.code)).toEqual(['SCAN_LIMIT_EXCEEDED']);
  });

  it('batches nodes(ids) by narrowed listing: one call per user, however many of their sessions', async () => {
    const sessions = stack.emulator.data.sessions('support-tools', 'shared-elastic-apps');
    const byUser = new Map<string, string[]>();
    const authOf = new Map<string, string>();
    for (const session of sessions) {
      byUser.set(session.UserId, [...(byUser.get(session.UserId) ?? []), session.Id]);
      authOf.set(session.UserId, String(session.AuthenticationType));
    }
    // The two users with the most sessions on this pair that fit one page (50); their last
    // sessions lie deep in the listing.
    const [userA, userB] = [...byUser.entries()]
      .filter(([, ids]) => ids.length <= 50)
      .sort((a, b) => b[1].length - a[1].length);
    expect(userA?.[1].length).toBeGreaterThanOrEqual(2);
    expect(userB?.[1].length).toBeGreaterThanOrEqual(2);
    const wanted = new Set([...(userA?.[1].slice(-2) ?? []), ...(userB?.[1].slice(-2) ?? [])]);
    // The gateway's own ids for those sessions, from a filtered listing.
    const ids: string[] = [];
    for (const userId of [userA?.[0], userB?.[0]]) {
      const response = await stack.graphql<{
        sessions: { nodes: Array<{ id: string; sessionId: string }> };
      }>(
        `query($u: String!, $a: AuthenticationType!) { sessions(stackName: "support-tools", fleetName: "shared-elastic-apps",
           userId: $u, authenticationType: $a, first: 100) { nodes { id sessionId } } }`,
        { u: userId, a: authOf.get(String(userId)) },
      );
      for (const node of response.data?.sessions.nodes ?? [])
        if (wanted.has(node.sessionId)) ids.push(node.id);
    }
    expect(ids).toHaveLength(4);
    stack.emulator.calls.reset();
    const response = await stack.graphql<{ nodes: Array<{ sessionId: string } | null> }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { sessionId } } }',
      { ids },
    );
    expect(response.errors).toBeUndefined();
    expect(new Set(response.data?.nodes.map((node) => node?.sessionId))).toEqual(wanted);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(2);
  });
});
