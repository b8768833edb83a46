import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { NodeKey } from '../../../src/ids/global-id.js';
import { useTestStack } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .sessions('stack-a', 'fleet-1', 300)
  .build();

const stack = useTestStack({ emulator: { dataset }, scanBound: 100 });

/** The global id the gateway issues for a key (signed with its own secret). */
/** The id the gateway issues for `key` (of the only region, `us-east-1`). */
async function idOf(key: NodeKey): Promise<string> {
  return (await stack.gateway.createContext()).ids.encode({ ...key, region: 'us-east-1' });
}

interface NodesData {
  stacks: { nodes: Array<{ name: string }> } | null;
  nodes: Array<{ id: string; __typename: string } | null>;
}

const QUERY = `query($ids: [ID!]!) {
  stacks(first: 1) { nodes { name } }
  nodes(ids: $ids) { __typename id }
}`;

describe('nodes(ids) resolves each entry on its own', () => {
  it('answers a malformed id with a null entry and an error at its path; siblings and other entries survive', async () => {
    const stackId = await idOf({ type: 'Stack', name: 'stack-a' });
    const response = await stack.graphql<NodesData>(QUERY, { ids: ['!!!', stackId] });
    expect(response.data).toEqual({
      stacks: { nodes: [{ name: 'stack-a' }] },
      nodes: [null, { __typename: 'Stack', id: stackId }],
    });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['nodes', 0], extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
  });

  it('answers an upstream throttle on one id with a null entry for that id only', async () => {
    const stackId = await idOf({ type: 'Stack', name: 'stack-a' });
    const fleetId = await idOf({ type: 'Fleet', name: 'fleet-2' });
    stack.emulator.faults.add({ operation: 'DescribeFleets', error: 'ThrottlingException' });
    const response = await stack.graphql<NodesData>(QUERY, { ids: [stackId, fleetId] });
    expect(response.data).toEqual({
      stacks: { nodes: [{ name: 'stack-a' }] },
      nodes: [{ __typename: 'Stack', id: stackId }, null],
    });
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['nodes', 1],
        extensions: expect.objectContaining({ code: 'UPSTREAM_THROTTLED' }),
      }),
    ]);
  });

  it('answers SCAN_LIMIT_EXCEEDED on a session id beside a valid stack id with a null entry for the session', async () => {
    const last = stack.emulator.data.sessions('stack-a', 'fleet-1').at(-1);
    const sessionId = await idOf({
      type: 'Session',
      stackName: 'stack-a',
      fleetName: 'fleet-1',
      sessionId: String(last?.Id),
    });
    const stackId = await idOf({ type: 'Stack', name: 'stack-a' });
    const response = await stack.graphql<NodesData>(QUERY, { ids: [stackId, sessionId] });
    expect(response.data?.nodes).toEqual([{ __typename: 'Stack', id: stackId }, null]);
    expect(response.data?.stacks).toEqual({ nodes: [{ name: 'stack-a' }] });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['nodes', 1], extensions: { code: 'SCAN_LIMIT_EXCEEDED' } }),
    ]);
  });

  it('still batches: two fleets and a malformed id cost one DescribeFleets call', async () => {
    const ids = [
      await idOf({ type: 'Fleet', name: 'fleet-1' }),
      'x',
      await idOf({ type: 'Fleet', name: 'fleet-2' }),
    ];
    const response = await stack.graphql<NodesData>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids },
    );
    expect(response.data?.nodes).toEqual([{ id: ids[0] }, null, { id: ids[2] }]);
    expect(response.errors?.map((error) => error.path)).toEqual([['nodes', 1]]);
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
  });
});
