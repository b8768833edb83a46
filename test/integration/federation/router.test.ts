import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { postGraphQL, useTestStack } from '../../helpers/gateway.js';
import { startIncidentsSubgraph } from '../../helpers/incidents-subgraph.js';
import type { Incident, IncidentsSubgraph, SessionRef } from '../../helpers/incidents-subgraph.js';

const SECRET = 'router-shared-secret-for-tests';

const dataset = datasetBuilder()
  .stack('stack-a')
  .stack('stack-b')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .fleet('fleet-3')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .associate('stack-b', 'fleet-3')
  .sessions('stack-a', 'fleet-1', 12)
  .sessions('stack-a', 'fleet-2', 4)
  .sessions('stack-b', 'fleet-3', 4)
  .build();

const stack = useTestStack({ emulator: { dataset }, subgraph: { secret: SECRET } });

let incidents: IncidentsSubgraph;
let router: ApolloServer;
let routerUrl: string;
/** The sessions the incident tracker stored (both keys), as it read them from the public API. */
let named: SessionRef[];

const query = <D>(text: string) => postGraphQL<D>(routerUrl, text);

beforeAll(async () => {
  const listed = await stack.graphql<{
    a: { nodes: SessionRef[] };
    b: { nodes: SessionRef[] };
  }>(`{
    a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 3) { nodes { id stackName fleetName sessionId } }
    b: sessions(stackName: "stack-b", fleetName: "fleet-3", first: 1) { nodes { id stackName fleetName sessionId } }
  }`);
  named = [...(listed.data?.a.nodes ?? []), ...(listed.data?.b.nodes ?? [])];
  expect(named).toHaveLength(4);
  const fleets = ['fleet-1', 'fleet-2', 'fleet-3', 'fleet-1', 'fleet-2', 'fleet-3'];
  const data: Incident[] = fleets.map((fleetName, index) => ({
    id: `inc-${index}`,
    title: `Incident ${index}`,
    fleetName,
    stackName: fleetName === 'fleet-3' ? 'stack-b' : 'stack-a',
    ...(named[index] === undefined ? {} : { session: named[index] }),
  }));
  incidents = await startIncidentsSubgraph(data);

  const appstreamUrl = stack.gateway.subgraphUrl ?? '';
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: [
        { name: 'appstream', url: appstreamUrl },
        { name: 'incidents', url: incidents.url },
      ],
    }),
    buildService: ({ url = '' }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          if (url === appstreamUrl) request.http?.headers.set('x-subgraph-secret', SECRET);
        },
      }),
  });
  router = new ApolloServer({ gateway });
  ({ url: routerUrl } = await startStandaloneServer(router, {
    listen: { port: 0, host: '127.0.0.1' },
  }));
});

afterAll(async () => {
  await router.stop();
  await incidents.close();
});

beforeEach(() => {
  incidents.references.length = 0;
});

describe('through a real router (@apollo/gateway) in front of this subgraph and another', () => {
  it('joins fleets and stacks into incidents: 3 distinct fleets in 6 references cost one DescribeFleets', async () => {
    const response = await query<{
      incidents: Array<{ fleet: { name: string; state: string }; stack: { name: string } }>;
    }>('{ incidents { fleet { name state } stack { name } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data?.incidents).toEqual([
      { fleet: { name: 'fleet-1', state: 'RUNNING' }, stack: { name: 'stack-a' } },
      { fleet: { name: 'fleet-2', state: 'RUNNING' }, stack: { name: 'stack-a' } },
      { fleet: { name: 'fleet-3', state: 'RUNNING' }, stack: { name: 'stack-b' } },
      { fleet: { name: 'fleet-1', state: 'RUNNING' }, stack: { name: 'stack-a' } },
      { fleet: { name: 'fleet-2', state: 'RUNNING' }, stack: { name: 'stack-a' } },
      { fleet: { name: 'fleet-3', state: 'RUNNING' }, stack: { name: 'stack-b' } },
    ]);
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
    // `stack { name }` is the key the incidents subgraph holds: the router asks us nothing for it.
    expect(stack.emulator.calls.count()).toBe(1);

    const withStacks = await query<{
      incidents: Array<{ stack: { name: string; displayName: string } }>;
    }>('{ incidents { fleet { name state } stack { name displayName } } }');
    expect(withStacks.errors).toBeUndefined();
    expect(withStacks.data?.incidents.map((incident) => incident.stack.displayName)).toEqual(
      Array.from({ length: 6 }, () => expect.any(String) as unknown),
    );
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(2);
    expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
  });

  it('joins fields of the other subgraph into a sessions page that starts here', async () => {
    const response = await query<{
      sessions: { edges: Array<{ node: { sessionId: string; fleet: { costCenter: string } } }> };
    }>(`{
      sessions(stackName: "stack-a", fleetName: "fleet-1", first: 10) {
        edges { node { sessionId fleet { costCenter } } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const edges = response.data?.sessions.edges ?? [];
    expect(edges).toHaveLength(10);
    for (const edge of edges) expect(edge.node.fleet.costCenter).toBe('cc-fleet-1');
    expect(edges.slice(0, 3).map((edge) => edge.node.sessionId)).toEqual(
      named.slice(0, 3).map((session) => session.sessionId),
    );
    // One page, and the 10 sessions' fleet lookups batched into one DescribeFleets.
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
    expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
    expect(incidents.references.every((ref) => ref.__typename === 'Fleet')).toBe(true);
    expect(new Set(incidents.references.map((ref) => ref.name))).toEqual(new Set(['fleet-1']));
  });

  it('resolves Session references from the other subgraph with one filtered call per user', async () => {
    const response = await query<{
      incidents: Array<{ session: { sessionId: string; userId: string; state: string } | null }>;
    }>('{ incidents { session { sessionId userId state } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data?.incidents.map((incident) => incident.session?.sessionId ?? null)).toEqual(
      [...named.map((session) => session.sessionId), null, null],
    );
    for (const incident of response.data?.incidents.slice(0, 4) ?? []) {
      expect(incident.session).toMatchObject({
        userId: expect.any(String),
        state: expect.any(String),
      });
    }
    // The router sends the `id` key; ids carry the user, so each distinct user of a (stack,
    // fleet) costs one filtered call, as in nodes(ids), however many of its sessions are named.
    const userOf = (session: SessionRef) =>
      stack.emulator.data
        .sessions(session.stackName, session.fleetName)
        .find((record) => record.Id === session.sessionId)?.UserId;
    const listings = new Set(
      named.map((session) => `${session.stackName}/${session.fleetName}/${userOf(session)}`),
    );
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(listings.size);
    for (const session of named) {
      expect(
        stack.emulator.calls.count('DescribeSessions', {
          StackName: session.stackName,
          FleetName: session.fleetName,
          UserId: userOf(session),
        }),
      ).toBe(1);
    }
  });

  it('sends Session references to the other subgraph for the fields it adds', async () => {
    const response = await query<{
      sessions: { nodes: Array<{ sessionId: string; incidentCount: number }> };
    }>(`{
      sessions(stackName: "stack-a", fleetName: "fleet-1", first: 5) { nodes { sessionId incidentCount } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data?.sessions.nodes.map((node) => node.incidentCount)).toEqual([
      1, 1, 1, 0, 0,
    ]);
    expect(incidents.references).toHaveLength(5);
    expect(incidents.references.every((ref) => ref.__typename === 'Session')).toBe(true);
  });
});
