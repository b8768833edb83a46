import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

describe('the gateway over HTTP', () => {
  it('answers { __typename } at /graphql', async () => {
    expect(await stack.graphql('{ __typename }')).toEqual({
      status: 200,
      data: { __typename: 'Query' },
    });
  });

  it('answers GET queries that carry the CSRF preflight header, and refuses plain ones', async () => {
    const url = `${stack.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const withHeader = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect([withHeader.status, await withHeader.json()]).toEqual([
      200,
      { data: { __typename: 'Query' } },
    ]);
    expect((await fetch(url)).status).toBe(400);
  });

  it('reports liveness at /healthz and readiness at /readyz', async () => {
    const health = await fetch(`${stack.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${stack.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('answers unknown paths with a JSON 404 that points at /graphql', async () => {
    const response = await fetch(`${stack.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'Nothing at /nope; GraphQL is served at /graphql.',
    });
  });

  it('rejects a body that is not JSON with a 400 that says what to send, and keeps serving', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is not valid JSON; send {"query": "..."}.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect((await stack.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('rejects a body over 1 MiB with a 413', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('reports GraphQL syntax errors with Apollo codes and no stack trace', async () => {
    const response = await stack.graphql('{ sessions(');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('goes not-ready while stopping', async () => {
    const other = await startTestStack();
    const stopping = other.gateway.stop();
    const ready = await fetch(`${other.url}/readyz`).catch(() => null);
    expect(ready === null || ready.status === 503).toBe(true);
    await stopping;
    await other.close().catch(() => undefined);
  });
});
