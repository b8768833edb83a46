import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestStack, useTestStack } from '../../helpers/gateway.js';
import {
  describeEvents,
  record,
  SESSION_EVENTS,
  waitUntil,
  wsClient,
  twoFleets,
} from './helpers.js';

const dataset = () => twoFleets(2);

describe('subscriptions over graphql-ws', () => {
  const stack = useTestStack({
    emulator: { dataset: dataset() },
    live: { intervalMs: 100, maxSubscriptionsPerConnection: 2 },
    corsOrigins: ['https://app.example.com'],
  });

  it('resolve the events as the same Session type: ids that node() fetches, fleet and stack', async () => {
    const client = wsClient(stack.url);
    const sub = record(
      client,
      `subscription { sessionEvents(stackName: "s1", fleetName: "f1") {
        kind session { id sessionId fleet { name } stack { name } } } }`,
    );
    await sub.waitForEvents(1);
    const added = stack.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' });
    await sub.waitForEvents(2);
    const event = sub.events[1] as unknown as {
      kind: string;
      session: { id: string; sessionId: string; fleet: { name: string }; stack: { name: string } };
    };
    expect(event.kind).toBe('APPEARED');
    expect(event.session).toMatchObject({
      sessionId: added.Id,
      fleet: { name: 'f1' },
      stack: { name: 's1' },
    });
    const node = await stack.graphql<{ node: { sessionId: string } }>(
      'query($id: ID!) { node(id: $id) { ... on Session { sessionId } } }',
      { id: event.session.id },
    );
    expect(node.data?.node.sessionId).toBe(added.Id);
    await client.dispose();
  });

  it('refuse bad arguments before any upstream call, and unknown listings with NOT_FOUND', async () => {
    const client = wsClient(stack.url);
    const bad = record(client, SESSION_EVENTS, { stack: 'no spaces', fleet: 'f1' });
    await bad.ended();
    expect(bad.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.calls.count('DescribeSessions', { StackName: 'no spaces' })).toBe(0);

    const missing = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'nope' });
    await missing.ended();
    expect(missing.errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(missing.events).toEqual([]);
    await client.dispose();
  });

  it('answer syntax and validation errors with their codes and keep the connection', async () => {
    const client = wsClient(stack.url);
    const syntax = record(client, 'subscription {');
    await syntax.ended();
    expect(syntax.errors.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const invalid = record(client, 'subscription { sessionEvents(stackName: "s1") { kind } }');
    await invalid.ended();
    expect(invalid.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(invalid.errors[0]?.message).toMatch(/fleetName/);
    const query = await client.iterate({ query: '{ stack(name: "s1") { name } }' }).next();
    expect(query.value).toEqual({ data: { stack: { name: 's1' } } });
    await client.dispose();
  });

  it('limit subscriptions per connection with SUBSCRIPTION_LIMIT_EXCEEDED', async () => {
    const client = wsClient(stack.url);
    const subs = [1, 2].map(() => record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' }));
    await Promise.all(subs.map((sub) => sub.waitForEvents(1)));
    const third = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await third.ended();
    expect(third.errors.map((error) => error.extensions?.code)).toEqual([
      'SUBSCRIPTION_LIMIT_EXCEEDED',
    ]);
    expect(third.errors[0]?.message).toMatch(/LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    subs[0]!.unsubscribe();
    await waitUntil(() => stack.gateway.live.stats().subscriptions === 1, 'one subscription');
    const again = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await again.waitForEvents(1);
    expect(again.errors).toEqual([]);
    await client.dispose();
  });

  it('refuse subscriptions over HTTP with 400 BAD_REQUEST saying where they are served', async () => {
    const response = await stack.graphql(
      'subscription { sessionEvents(stackName: "s1", fleetName: "f1") { kind } }',
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(response.errors?.[0]?.message).toMatch(/WebSocket/);
  });

  it('refuse WebSocket upgrades from browser origins outside CORS_ORIGINS, and on other paths', async () => {
    const status = (path: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(
          `${stack.url.replace('http', 'ws')}${path}`,
          'graphql-transport-ws',
          {
            ...(origin === undefined ? {} : { origin }),
          },
        );
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => undefined);
      });
    expect(await status('/graphql', 'https://evil.example.com')).toBe(403);
    expect(await status('/graphql', 'https://app.example.com')).toBe(101);
    expect(await status('/graphql')).toBe(101);
    expect(await status('/elsewhere')).toBe(404);
  });

  it("deliver events to Apollo Client's GraphQLWsLink", async () => {
    const client = wsClient(stack.url);
    const apollo = new ApolloClient({
      link: new GraphQLWsLink(client),
      cache: new InMemoryCache(),
    });
    const seen: string[] = [];
    const subscription = apollo
      .subscribe<{ sessionEvents: { kind: string; session: { sessionId: string } | null } }>({
        query: gql`
          subscription Watch {
            sessionEvents(stackName: "s1", fleetName: "f1") {
              kind
              session {
                id
                sessionId
              }
            }
          }
        `,
      })
      .subscribe({
        next: (result) => {
          const event = result.data?.sessionEvents;
          if (event) seen.push(`${event.kind}:${event.session?.sessionId ?? ''}`);
        },
      });
    await waitUntil(() => seen.length === 1, 'the snapshot');
    const added = stack.emulator.data.addSession({ StackName: 's1', FleetName: 'f1' });
    await waitUntil(() => seen.length === 2, 'the appearance');
    expect(seen).toEqual(['SNAPSHOT:', `APPEARED:${added.Id}`]);
    subscription.unsubscribe();
    await client.dispose();
  });
});

describe('shutdown', () => {
  it('ends subscriptions with LIVE_UPDATES_INTERRUPTED, closes connections with 1001 and stops every poller', async () => {
    const stack = await startTestStack({
      emulator: { dataset: dataset() },
      live: { intervalMs: 100 },
    });
    const closes: number[] = [];
    // Not lazy: the client keeps its socket open once its subscription has ended, so the close
    // code seen is the server's.
    const client = wsClient(stack.url, {
      lazy: false,
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    const sub = record(client, SESSION_EVENTS, { stack: 's1', fleet: 'f1' });
    await sub.waitForEvents(1);
    await stack.close();
    await sub.ended();
    expect(closes).toEqual([1001]);
    expect(stack.gateway.live.stats()).toMatchObject({ pollers: 0, subscriptions: 0 });
    expect(describeEvents(sub.events)).toEqual(['SNAPSHOT:2']);
    // The README's error table: subscribers hear why their subscription ended before the socket closes.
    expect(sub.errors.map((error) => error.extensions?.code)).toEqual(['LIVE_UPDATES_INTERRUPTED']);
    await client.dispose();
  });
});
