import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';

/** HTTP-level mistakes get an answer that says what to send instead. */
describe('HTTP requests the gateway cannot take', () => {
  const stack = useTestStack({ graphiql: false });

  it('answers a compressed body with 415 and BAD_REQUEST, not "not valid JSON"', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ query: '{ __typename }' })),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      errors: [
        {
          message:
            'Compressed request bodies are not accepted (content-encoding: gzip); send the JSON ' +
            'body uncompressed, without a content-encoding header.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    // The server keeps serving.
    expect((await stack.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it.each(['DELETE', 'PUT', 'PATCH'])(
    'answers %s /graphql with 405, an Allow header and a clear message',
    async (method) => {
      const response = await fetch(`${stack.url}/graphql`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST, OPTIONS');
      expect(await response.json()).toEqual({
        errors: [
          {
            message: `Method ${method} is not allowed here: send GraphQL with POST (or GET for queries).`,
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    },
  );

  it('says why GraphiQL is off and how to turn it on (GRAPHIQL=false outside production)', async () => {
    const response = await fetch(`${stack.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<code>GRAPHIQL=false</code> turns it off');
    expect(html).toContain('Set <code>GRAPHIQL=true</code> and restart');
  });
});
