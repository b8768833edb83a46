import { specifiedDirectives } from 'graphql';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postGraphQL, useTestStack } from '../../helpers/gateway.js';

const SECRET = 'router-shared-secret-0123456789';

describe('the public endpoint keeps the plain schema', () => {
  const stack = useTestStack();

  it('answers `_service` and `_entities` with a validation error', async () => {
    const service = await stack.graphql('{ _service { sdl } }');
    expect(service.status).toBe(400);
    expect(service.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(service.errors?.[0]?.message).toMatch(/Cannot query field "_service" on type "Query"/);
    const entities = await stack.graphql(
      '{ _entities(representations: [{ __typename: "Fleet", name: "x" }]) { __typename } }',
    );
    expect(entities.status).toBe(400);
    expect(entities.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('shows no federation directive or type through introspection', async () => {
    const response = await stack.graphql<{
      __schema: { directives: Array<{ name: string }>; types: Array<{ name: string }> };
    }>('{ __schema { directives { name } types { name } } }');
    const directives = response.data?.__schema.directives.map((d) => d.name);
    // Only GraphQL's own directives: no @key, @link, @shareable, @cost or @listSize.
    expect(directives).toEqual(specifiedDirectives.map((d) => d.name));
    const types = response.data?.__schema.types.map((t) => t.name) ?? [];
    expect(types.filter((name) => name.startsWith('_') && !name.startsWith('__'))).toEqual([]);
    expect(types).not.toContain('link__Import');
  });

  it('serves the subgraph on the same port by default, with `_service` and inline traces', async () => {
    expect(stack.gateway.subgraphUrl).toBe(`${stack.url}/subgraph`);
    const service = await stack.subgraph<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(service.status).toBe(200);
    expect(service.data?._service.sdl).toContain('@key(fields: "stackName fleetName sessionId")');
    const traced = { 'apollo-federation-include-trace': 'ftv1' };
    const query = '{ fleet(name: "nope-fleet") { name } }';
    const subgraph = (await (
      await fetch(`${stack.url}/subgraph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...traced },
        body: JSON.stringify({ query }),
      })
    ).json()) as { extensions?: { ftv1?: string } };
    expect(subgraph.extensions?.ftv1).toEqual(expect.any(String));
    // The trace (protobuf, strings in UTF-8) records an error as the client got it, not masked.
    const failing = (await (
      await fetch(`${stack.url}/subgraph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...traced },
        body: JSON.stringify({
          query: '{ sessions(stackName: "nope", fleetName: "nope") { totalCount } }',
        }),
      })
    ).json()) as { errors?: Array<{ message: string }>; extensions?: { ftv1?: string } };
    const trace = Buffer.from(failing.extensions?.ftv1 ?? '', 'base64').toString('utf8');
    expect(failing.errors?.[0]?.message).toContain('AppStream has no');
    expect(trace).toContain(failing.errors?.[0]?.message ?? '?');
    expect(trace).toContain('NOT_FOUND');
    expect(trace).not.toContain('Unexpected error');
    const publicResponse = (await (
      await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...traced },
        body: JSON.stringify({ query }),
      })
    ).json()) as { extensions?: unknown };
    expect(publicResponse.extensions).toBeUndefined();
  });
});

describe('SUBGRAPH_SECRET', () => {
  const stack = useTestStack({ subgraph: { secret: SECRET } });

  it('answers 401 with a coded JSON error without the header or with a wrong secret', async () => {
    for (const headers of [
      {},
      { 'x-subgraph-secret': 'wrong' },
      { 'x-subgraph-secret': `${SECRET}x` },
      { 'x-subgraph-secret': SECRET.slice(0, -1) },
    ]) {
      const response = await stack.subgraph('{ _service { sdl } }', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.errors).toEqual([
        {
          message: expect.stringContaining('x-subgraph-secret') as unknown,
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
      expect(JSON.stringify(response)).not.toContain(SECRET);
    }
    expect(stack.emulator.calls.count()).toBe(0);
  });

  it('answers 200 with the secret, and leaves the public endpoint as it was', async () => {
    const response = await stack.subgraph<{ fleet: { name: string } | null }>(
      '{ fleet(name: "nope") { name } }',
      undefined,
      { 'x-subgraph-secret': SECRET },
    );
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ fleet: null });
    const publicResponse = await stack.graphql('{ fleet(name: "nope") { name } }');
    expect(publicResponse.status).toBe(200);
  });
});

describe('SUBGRAPH_PORT', () => {
  const stack = useTestStack({ subgraph: { port: 0, secret: SECRET } });

  it('serves /subgraph on its own port and not on the main one', async () => {
    const subgraphUrl = stack.gateway.subgraphUrl ?? '';
    expect(subgraphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/subgraph$/);
    expect(subgraphUrl.startsWith(`${stack.url}/`)).toBe(false);
    const served = await stack.subgraph<{ _service: { sdl: string } }>(
      '{ _service { sdl } }',
      undefined,
      { 'x-subgraph-secret': SECRET },
    );
    expect(served.status).toBe(200);
    expect(served.data?._service.sdl).toContain('type Fleet');

    const onMain = await fetch(`${stack.url}/subgraph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-subgraph-secret': SECRET },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(onMain.status).toBe(404);
    const publicOnSubgraphPort = await postGraphQL(
      subgraphUrl.replace(/\/subgraph$/, '/graphql'),
      '{ __typename }',
    ).catch(() => ({ status: 0 }));
    expect(publicOnSubgraphPort.status).toBe(404);
    expect((await stack.graphql('{ __typename }')).status).toBe(200);
    const ready = await fetch(subgraphUrl.replace(/\/subgraph$/, '/readyz'));
    expect(ready.status).toBe(200);
  });
});

describe('SUBGRAPH=false (the production default without SUBGRAPH_SECRET or SUBGRAPH_PORT)', () => {
  const stack = useTestStack({ subgraph: { enabled: false } });

  it('serves no /subgraph, over HTTP or WebSocket, and /graphql as usual', async () => {
    expect(stack.gateway.subgraphUrl).toBeUndefined();
    const http = await postGraphQL(`${stack.url}/subgraph`, '{ _service { sdl } }');
    expect(http.status).toBe(404);
    const socket = new WebSocket(
      `${stack.url.replace(/^http/, 'ws')}/subgraph`,
      'graphql-transport-ws',
    );
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    socket.terminate();
    expect(status).toBe(404);
    expect((await stack.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });
});
