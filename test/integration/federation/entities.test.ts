import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { NodeKey } from '../../../src/ids/global-id.js';
import { useTestStack } from '../../helpers/gateway.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .stack('stack-b')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .fleet('fleet-3')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .associate('stack-b', 'fleet-3')
  .sessions('stack-a', 'fleet-1', 60)
  .sessions('stack-a', 'fleet-2', 5)
  .sessions('stack-b', 'fleet-3', 3)
  .build();

/** AppStream ids of the sessions of one (stack, fleet), in listing order. */
const idsOf = (stackName: string, fleetName: string): string[] =>
  dataset.sessions
    .filter((s) => s.StackName === stackName && s.FleetName === fleetName)
    .map((s) => s.Id);

const stack = useTestStack({ emulator: { dataset } });

/** The signed global id the gateway issues for `key` (its own codec and key). */
const globalId = async (key: NodeKey): Promise<string> =>
  (await stack.gateway.createContext()).ids.encode(key);

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Fleet { name state }
    ... on Stack { name displayName }
    ... on Session { sessionId stackName fleetName userId }
  }
}`;

interface EntitiesData {
  _entities: Array<Record<string, unknown> | null>;
}

const entities = (representations: Array<Record<string, unknown>>) =>
  stack.subgraph<EntitiesData>(ENTITIES, { representations });

/** The NextToken of every DescribeSessions call so far, for one (stack, fleet). */
const listingCalls = (stackName: string, fleetName: string) =>
  stack.emulator.calls
    .list()
    .filter(
      (call) =>
        call.operation === 'DescribeSessions' &&
        call.input?.StackName === stackName &&
        call.input.FleetName === fleetName,
    )
    .map((call) => call.input?.NextToken ?? null);

describe('_entities on the subgraph endpoint', () => {
  it('resolves 3 Fleet references with one DescribeFleets call, in order', async () => {
    const response = await entities([
      { __typename: 'Fleet', name: 'fleet-3' },
      { __typename: 'Fleet', name: 'fleet-1' },
      { __typename: 'Fleet', name: 'fleet-2' },
    ]);
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.map((entity) => entity?.name)).toEqual([
      'fleet-3',
      'fleet-1',
      'fleet-2',
    ]);
    expect(response.data?._entities[0]).toMatchObject({ __typename: 'Fleet', state: 'RUNNING' });
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
    expect(stack.emulator.calls.count()).toBe(1);
  });

  it('resolves Stack references with one DescribeStacks call', async () => {
    const response = await entities([
      { __typename: 'Stack', name: 'stack-b' },
      { __typename: 'Stack', name: 'stack-a' },
    ]);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.map((entity) => entity?.name)).toEqual(['stack-b', 'stack-a']);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
    expect(stack.emulator.calls.count()).toBe(1);
  });

  it('resolves 5 Session references on one fleet by the composite key with one scan of that listing', async () => {
    const ids = idsOf('stack-a', 'fleet-1');
    // Spread over both AppStream pages (50 per page): the scan reads each page once.
    const wanted = [ids[3], ids[57], ids[10], ids[49], ids[50]] as string[];
    const response = await entities(
      wanted.map((sessionId) => ({
        __typename: 'Session',
        stackName: 'stack-a',
        fleetName: 'fleet-1',
        sessionId,
      })),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.map((entity) => entity?.sessionId)).toEqual(wanted);
    expect(response.data?._entities[0]).toMatchObject({
      __typename: 'Session',
      stackName: 'stack-a',
      fleetName: 'fleet-1',
    });
    const tokens = listingCalls('stack-a', 'fleet-1');
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBeNull();
    expect(tokens[1]).toEqual(expect.any(String));
    expect(stack.emulator.calls.count()).toBe(2);
  });

  it('resolves Session references by global id the way nodes(ids) does: one scan per (stack, fleet)', async () => {
    const one = idsOf('stack-a', 'fleet-2');
    const other = idsOf('stack-b', 'fleet-3');
    const key = async (stackName: string, fleetName: string, sessionId: string) => ({
      __typename: 'Session',
      id: await globalId({ type: 'Session', stackName, fleetName, sessionId }),
    });
    const response = await entities([
      await key('stack-a', 'fleet-2', one[0] as string),
      await key('stack-b', 'fleet-3', other[2] as string),
      await key('stack-a', 'fleet-2', one[4] as string),
    ]);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.map((entity) => entity?.sessionId)).toEqual([
      one[0],
      other[2],
      one[4],
    ]);
    expect(listingCalls('stack-a', 'fleet-2')).toEqual([null]);
    expect(listingCalls('stack-b', 'fleet-3')).toEqual([null]);
    expect(stack.emulator.calls.count()).toBe(2);
  });

  it('answers null in place for references to things that do not exist', async () => {
    const response = await entities([
      { __typename: 'Fleet', name: 'fleet-1' },
      { __typename: 'Fleet', name: 'no-such-fleet' },
      { __typename: 'Stack', name: 'no-such-stack' },
      {
        __typename: 'Session',
        stackName: 'stack-a',
        fleetName: 'fleet-2',
        sessionId: '00000000-0000-4000-8000-000000000000',
      },
      { __typename: 'Session', stackName: 'stack-a', fleetName: 'fleet-2', sessionId: 'gone' },
      { __typename: 'Fleet', name: 'fleet-2' },
    ]);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { __typename: 'Fleet', name: 'fleet-1', state: 'RUNNING' },
      null,
      null,
      null,
      null,
      { __typename: 'Fleet', name: 'fleet-2', state: 'RUNNING' },
    ]);
    // The two unknown sessions of one fleet cost one scan (a single page here).
    expect(listingCalls('stack-a', 'fleet-2')).toEqual([null]);
  });

  it('rejects malformed and forged references with BAD_USER_INPUT, without calling AppStream', async () => {
    const sessionId = await globalId({
      type: 'Session',
      stackName: 'stack-a',
      fleetName: 'fleet-1',
      sessionId: idsOf('stack-a', 'fleet-1')[0] as string,
    });
    const forged = `${sessionId.slice(0, -2)}x${sessionId.slice(-1)}`;
    const representations = [
      { __typename: 'Session', id: forged },
      { __typename: 'Session', id: await globalId({ type: 'Fleet', name: 'fleet-1' }) },
      { __typename: 'Session', id: sessionId, stackName: 'stack-b' },
      { __typename: 'Session', stackName: 'stack-a', fleetName: 'fleet 1', sessionId: 'x' },
      { __typename: 'Session', stackName: 'stack-a', fleetName: 'fleet-1', sessionId: '' },
      { __typename: 'Session', stackName: 'stack-a', fleetName: 'fleet-1' },
      { __typename: 'Session' },
      { __typename: 'Fleet', name: '../fleet' },
      { __typename: 'Stack', name: 42 },
    ];
    const response = await entities(representations);
    expect(response.status).toBe(200);
    expect(response.data?._entities).toEqual(representations.map(() => null));
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(
      representations.map(() => 'BAD_USER_INPUT'),
    );
    expect(response.errors?.map((error) => error.path)).toEqual(
      representations.map((_, index) => ['_entities', index]),
    );
    expect(response.errors?.[1]?.message).toMatch(/belongs to a Fleet, not a Session/);
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('keeps the good entries when one reference is forged', async () => {
    const response = await entities([
      { __typename: 'Fleet', name: 'fleet-1' },
      { __typename: 'Session', id: 'forged' },
      { __typename: 'Stack', name: 'stack-a' },
    ]);
    expect(response.data?._entities).toEqual([
      { __typename: 'Fleet', name: 'fleet-1', state: 'RUNNING' },
      null,
      { __typename: 'Stack', name: 'stack-a', displayName: expect.any(String) },
    ]);
    expect(response.errors).toEqual([
      expect.objectContaining({
        path: ['_entities', 1],
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('resolves the fields of resolved entities through the same resolvers as /graphql', async () => {
    const sessionId = idsOf('stack-b', 'fleet-3')[1] as string;
    const viaSubgraph = await stack.subgraph<{
      _entities: Array<{
        id: string;
        fleet: { name: string };
        stack: { fleets: Array<{ name: string }> };
      }>;
    }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Session { id fleet { name } stack { fleets { name } } }
        }
      }`,
      {
        representations: [
          { __typename: 'Session', stackName: 'stack-b', fleetName: 'fleet-3', sessionId },
        ],
      },
    );
    expect(viaSubgraph.errors).toBeUndefined();
    const entity = viaSubgraph.data?._entities[0];
    const viaPublic = await stack.graphql<{ node: unknown }>(
      `query ($id: ID!) { node(id: $id) { ... on Session { id fleet { name } stack { fleets { name } } } } }`,
      { id: entity?.id },
    );
    expect(viaPublic.data?.node).toEqual(entity);
    expect(entity?.fleet.name).toBe('fleet-3');
  });
});
