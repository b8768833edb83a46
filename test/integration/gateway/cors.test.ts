import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';

const preflight = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });

const post = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

describe('CORS with the default policy (any origin)', () => {
  const stack = useTestStack();

  it('answers a browser preflight so web apps on other origins can POST queries', async () => {
    const response = await preflight(stack.url, 'https://app.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('marks responses as readable from any origin', async () => {
    const response = await post(stack.url, 'https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  const stack = useTestStack({ corsOrigins: ['https://app.example.com'] });

  it('allows a listed origin, by name', async () => {
    const response = await preflight(stack.url, 'https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(
      (await post(stack.url, 'https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example.com');
  });

  it('gives other origins no CORS headers, so browsers keep the response from them', async () => {
    const response = await preflight(stack.url, 'https://evil.example.net');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    expect(
      (await post(stack.url, 'https://evil.example.net')).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});
