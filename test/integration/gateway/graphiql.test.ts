import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request over node:http, bytes as sent (fetch would decompress and add headers). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const FINGERPRINTED = /^\/graphiql\/assets\/[\w.-]+-[\w-]{8}\.(js|css)$/;

/** The same requests, on a gateway with GraphiQL and one without: Apollo must answer both alike. */
const GRAPHQL_REQUESTS: ReadonlyArray<{
  name: string;
  path: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
}> = [
  {
    name: 'POST with JSON',
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/html' },
    body: JSON.stringify({ query: '{ stacks(first: 1) { nodes { name } } }' }),
  },
  {
    name: 'GET with a query string, from a browser (CSRF prevention answers)',
    path: '/graphql?query=%7B__typename%7D',
    headers: { accept: BROWSER_ACCEPT },
  },
  {
    name: 'GET with a query string and the preflight header',
    path: '/graphql?query=%7B__typename%7D',
    headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET without a query string from a JSON client',
    path: '/graphql',
    headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
  },
  {
    name: 'GET preferring JSON over HTML',
    path: '/graphql',
    headers: { accept: 'application/json, text/html;q=0.5', 'apollo-require-preflight': 'true' },
  },
];

describe('GraphiQL at GET /graphql', () => {
  const stack = useTestStack({ graphiql: true });
  const off = useTestStack({ graphiql: false });

  async function page(): Promise<{ response: RawResponse; html: string; assets: string[] }> {
    const response = await raw(`${stack.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    const html = response.body.toString('utf8');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    return { response, html, assets };
  }

  it('serves the page to a browser, naming the gateway, loading only its own fingerprinted assets', async () => {
    const { response, html, assets } = await page();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(html).toContain('<title>GraphiQL · AppStream GraphQL gateway</title>');
    expect(html).toContain('AppStream GraphQL gateway</strong>');
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) expect(asset).toMatch(FINGERPRINTED);
  });

  it('serves every asset precompressed (brotli, else gzip) and cached as immutable', async () => {
    const { assets } = await page();
    const script = assets.find((a) => a.endsWith('.js'));
    expect(script).toBeDefined();
    const url = `${stack.url}${script ?? ''}`;
    const plain = await raw(url, { headers: { 'accept-encoding': 'identity' } });
    const br = await raw(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gz = await raw(url, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    for (const response of [plain, br, gz]) {
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers.vary).toBe('accept-encoding');
    }
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    const css = assets.find((a) => a.endsWith('.css')) ?? '';
    const style = await raw(`${stack.url}${css}`, { headers: { 'accept-encoding': 'br' } });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(brotliDecompressSync(style.body).toString('utf8')).not.toMatch(/url\(["']?https?:/);
  });

  it("serves Monaco's editor workers from the gateway too", async () => {
    const { assets } = await page();
    const scripts = await Promise.all(
      assets
        .filter((a) => a.endsWith('.js'))
        .map(async (a) => (await raw(`${stack.url}${a}`)).body.toString('utf8')),
    );
    const workers = new Set(
      scripts.flatMap((s) =>
        [...s.matchAll(/\/graphiql\/assets\/([\w.-]+\.worker-[\w-]{8}\.js)/g)].map((m) => m[1]),
      ),
    );
    expect([...workers].map((w) => w?.replace(/-[\w-]{8}\.js$/, '')).sort()).toEqual([
      'editor.worker',
      'graphql.worker',
      'json.worker',
    ]);
    for (const worker of workers) {
      const response = await raw(`${stack.url}/graphiql/assets/${worker ?? ''}`);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers unknown, compressed-variant and escaping asset paths with a JSON 404', async () => {
    const { assets } = await page();
    for (const path of [
      '/graphiql/assets/nothing-12345678.js',
      `${assets[0] ?? ''}.br`,
      '/graphiql/assets/..%2F..%2Fpackage.json',
    ]) {
      const response = await raw(`${stack.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({
        errors: [{ extensions: { code: 'NOT_FOUND' } }],
      });
    }
  });

  it.each(GRAPHQL_REQUESTS)('leaves GraphQL requests to Apollo: $name', async (req) => {
    const options = {
      method: req.method ?? 'GET',
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
    };
    const withPage = await raw(`${stack.url}${req.path}`, options);
    const without = await raw(`${off.url}${req.path}`, options);
    expect(withPage.headers['content-type']).toMatch(/json/);
    expect(withPage.status).toBe(without.status);
    expect(withPage.body.toString('utf8')).toBe(without.body.toString('utf8'));
  });

  it('with GRAPHIQL=false, tells a browser that GraphiQL is disabled and how to enable it', async () => {
    const response = await raw(`${off.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body.toString('utf8');
    expect(html).toContain('GraphiQL is disabled');
    expect(html).toContain('GRAPHIQL=true');
    expect(html).not.toContain('/graphiql/assets/');
    const { assets } = await page();
    const asset = await raw(`${off.url}${assets[0] ?? ''}`);
    expect(asset.status).toBe(404);
  });
});
