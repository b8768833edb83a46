import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from './logger.js';

/** URL prefix of GraphiQL's fingerprinted assets (Vite's `base` in graphiql/vite.config.ts). */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

/** Where `npm run build:graphiql` (run by `npm ci`) writes the page. */
const DEFAULT_DIR = fileURLToPath(new URL('../../dist/graphiql/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/**
 * What the page may load: only the gateway itself (`'self'`). Monaco sets inline styles, and
 * GraphiQL inlines its fonts and icons as data URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface GraphiQLOptions {
  /** Whether the page is served (config `GRAPHIQL`: on by default outside production). */
  readonly enabled: boolean;
  readonly logger: Logger;
  /** The built page (default `dist/graphiql/` of this checkout). */
  readonly dir?: string;
}

/** GraphiQL as the HTTP layer sees it. */
export interface GraphiQL {
  /** `GET /graphql` from a browser: the page, or a short page saying why there is none. */
  servePage(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** `GET /graphiql/assets/<name>`: a fingerprinted asset, or a JSON 404. */
  serveAsset(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

/**
 * Whether a request to `/graphql` is a browser opening the page: `GET` (or `HEAD`) without a
 * query string, accepting `text/html` at least as much as any JSON type. Everything else (POST,
 * GET with `?query=`, JSON clients) is a GraphQL request and goes to Apollo unchanged.
 */
export function isGraphiQLPageRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if ((req.url ?? '').includes('?')) return false;
  const accepted = parseAccept(req.headers.accept ?? '');
  const html = accepted.get('text/html') ?? 0;
  const json = Math.max(
    accepted.get('application/json') ?? 0,
    accepted.get('application/graphql-response+json') ?? 0,
  );
  return html > 0 && html >= json;
}

/** Media types of an `Accept` header with their quality (`q`, default 1). */
function parseAccept(header: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const part of header.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (type !== '' && Number.isFinite(quality)) result.set(type, quality);
  }
  return result;
}

/** The compressed variant to send: brotli, then gzip, as the client accepts (`q=0` refuses). */
function pickEncoding(req: IncomingMessage): 'br' | 'gzip' | null {
  const accepted = parseAccept(req.headers['accept-encoding'] ?? '');
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}

function sendError(res: ServerResponse, status: number, message: string, code: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function sendNotice(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
    vary: 'accept',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><h1>${title}</h1>${body}<p>GraphQL requests go to <code>POST /graphql</code> ` +
      `with a JSON body such as <code>{"query": "{ stacks { nodes { name } } }"}</code>.</p></body></html>`,
  );
}

/**
 * Serves GraphiQL from the files built at install time. Every file is sent precompressed
 * (brotli or gzip, as the browser accepts); assets carry a content hash in their name and are
 * cached for a year (`immutable`), the page itself is revalidated (`no-cache`). The page's
 * Content-Security-Policy allows loading from the gateway only. Unknown asset names are a 404:
 * only names listed in the build folder are ever opened.
 */
export function createGraphiQL(options: GraphiQLOptions): GraphiQL {
  const dir = options.dir ?? DEFAULT_DIR;
  const assetsDir = join(dir, 'assets');
  let assetNames: Promise<ReadonlySet<string>> | undefined;
  let warned = false;

  /** The asset folder's file names, read once (a failed read is retried on the next request). */
  function listAssets(): Promise<ReadonlySet<string>> {
    assetNames ??= readdir(assetsDir).then(
      (names) => new Set(names),
      (error: unknown) => {
        assetNames = undefined;
        throw error;
      },
    );
    return assetNames;
  }

  async function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    headers: Record<string, string>,
    names: ReadonlySet<string> | null,
  ): Promise<void> {
    const encoding = pickEncoding(req);
    const suffix = encoding === 'br' ? '.br' : encoding === 'gzip' ? '.gz' : '';
    const base = path.slice(path.lastIndexOf('/') + 1);
    const compressed = suffix !== '' && (names === null || names.has(`${base}${suffix}`));
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      ...(compressed && encoding !== null ? { 'content-encoding': encoding } : {}),
      ...headers,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(compressed ? `${path}${suffix}` : path), res);
  }

  return {
    async servePage(req, res) {
      if (!options.enabled) {
        sendNotice(
          res,
          404,
          'GraphiQL is disabled',
          '<p>GraphiQL is off on this gateway: <code>GRAPHIQL=false</code> turns it off, and so ' +
            'does <code>NODE_ENV=production</code> when <code>GRAPHIQL</code> is unset. ' +
            'Set <code>GRAPHIQL=true</code> and restart the gateway to enable it.</p>',
        );
        return;
      }
      try {
        await listAssets();
      } catch {
        if (!warned) {
          warned = true;
          options.logger.warn(
            { dir },
            'GraphiQL is enabled but not built; run "npm run build:graphiql" (npm ci runs it)',
          );
        }
        sendNotice(
          res,
          503,
          'GraphiQL is not built',
          '<p>GraphiQL is enabled, but its files are missing. <code>npm ci</code> builds them; ' +
            'after an install without scripts or dev dependencies, run <code>npm run build:graphiql</code>.</p>',
        );
        return;
      }
      await sendFile(
        req,
        res,
        join(dir, 'index.html'),
        {
          'cache-control': 'no-cache',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'referrer-policy': 'no-referrer',
          vary: 'accept, accept-encoding',
        },
        null,
      );
    },

    async serveAsset(req, res, path) {
      const name = path.slice(GRAPHIQL_ASSET_PREFIX.length);
      const names = options.enabled ? await listAssets().catch(() => null) : null;
      if (
        (req.method !== 'GET' && req.method !== 'HEAD') ||
        names === null ||
        !names.has(name) ||
        name.endsWith('.br') ||
        name.endsWith('.gz')
      ) {
        sendError(res, 404, `Nothing at ${path}.`, 'NOT_FOUND');
        return;
      }
      await sendFile(
        req,
        res,
        join(assetsDir, name),
        { 'cache-control': IMMUTABLE, vary: 'accept-encoding' },
        names,
      );
    },
  };
}
