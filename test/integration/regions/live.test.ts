import { describe, expect, it } from 'vitest';
import { record, wsClient } from '../live/helpers.js';
import { EU, useRegionsStack } from './support.js';

const stack = useRegionsStack();

const WATCH = `subscription($region: String) {
  sessionEvents(region: $region, stackName: "shared", fleetName: "fleet-1") {
    kind observedAt session { sessionId state connectionState }
    snapshot(first: 100) { totalCount edges { cursor node { sessionId } } pageInfo { hasNextPage endCursor } }
  }
}`;

describe('live updates per region', () => {
  it('watches the listing of the region asked for, and its snapshot cursors page in that region', async () => {
    const client = wsClient(stack.url);
    try {
      const eu = record(client, WATCH, { region: EU });
      const us = record(client, WATCH, {});
      const [euSnapshot] = await eu.waitForEvents(1);
      const [usSnapshot] = await us.waitForEvents(1);
      expect(eu.errors).toEqual([]);
      expect(euSnapshot?.kind).toBe('SNAPSHOT');
      expect(euSnapshot?.snapshot?.totalCount).toBe(4);
      expect(usSnapshot?.snapshot?.totalCount).toBe(3);
      const cursor = euSnapshot?.snapshot?.edges[0]?.cursor;
      const resumed = await stack.graphql<{ sessions: { nodes: Array<{ sessionId: string }> } }>(
        `query($after: String) {
          sessions(region: "eu-west-1", stackName: "shared", fleetName: "fleet-1", first: 1, after: $after) {
            nodes { sessionId }
          }
        }`,
        { after: cursor },
      );
      expect(resumed.data?.sessions.nodes).toEqual([
        { sessionId: euSnapshot?.snapshot?.edges[1]?.node.sessionId },
      ]);
      const crossed = await stack.graphql(
        `query($after: String) {
          sessions(stackName: "shared", fleetName: "fleet-1", first: 1, after: $after) { nodes { sessionId } }
        }`,
        { after: cursor },
      );
      expect(crossed.errors?.[0]?.message).toContain('issued in region "eu-west-1"');
      const unknown = record(client, WATCH, { region: 'mars-1' });
      await unknown.ended();
      expect(unknown.errors[0]?.message).toContain('"mars-1" is not a region this gateway serves');
      eu.unsubscribe();
      us.unsubscribe();
    } finally {
      await client.dispose();
    }
  });
});
