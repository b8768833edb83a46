import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer } from '@apollo/server';
import type { Registry } from 'prom-client';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Authenticator } from '../policy/auth.js';
import { NO_UPSTREAM_WORK } from '../upstream/observe.js';
import { authenticateRequest } from './auth.js';
import type { ContextRequest, GatewayContext } from './context.js';
import { GRAPHIQL_ASSET_PREFIX, isGraphiQLPageRequest } from './graphiql.js';
import type { GraphiQL } from './graphiql.js';
import type { Logger } from './logger.js';
import { handleMetrics } from './metrics.js';
import type { RunningOperation } from './operation-log.js';
import { prepareBody, prepareSearch, refusalStatus } from './request-policy.js';
import type { RequestPolicyOptions } from './request-policy.js';

/** Largest request body accepted on /graphql by default (`MAX_BODY_BYTES`). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An error answered at the HTTP level, before GraphQL: a status, a code and a safe message. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

/**
 * Every HTTP-level error body: `{"errors":[{"message": ..., "extensions": {"code": ...}}]}`, with
 * any extra safe `extensions` (such as `limit` and `maximum` for a query limit).
 */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  extensions: Readonly<Record<string, string | number>> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) {
      throw new HttpError(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The request body exceeds ${maxBytes} bytes; send a smaller query.`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parseBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new HttpError(
      415,
      ErrorCode.BAD_REQUEST,
      `Compressed request bodies are not accepted (content-encoding: ${encoding.slice(0, 40)}); ` +
        'send the JSON body uncompressed, without a content-encoding header.',
    );
  }
  const text = await readBody(req, maxBytes);
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json\b/i.test(type) || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      400,
      ErrorCode.BAD_REQUEST,
      'The request body is not valid JSON; send {"query": "..."}.',
    );
  }
}

/** A caller's `x-request-id` is kept when it is short and printable; else one is generated. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The request's id (the caller's `x-request-id`, or a new UUID), echoed in the response. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** The methods a GraphQL endpoint answers (`OPTIONS`: CORS preflights); any other gets 405. */
const GRAPHQL_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'OPTIONS']);

/** What one GraphQL endpoint (`/graphql`, `/subgraph`) needs to serve a request. */
export interface GraphQLRouteOptions extends RequestPolicyOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly context: (request: ContextRequest) => Promise<GatewayContext>;
  /** Checks every request before Apollo runs; absent: everyone sees everything. */
  readonly authenticator?: Authenticator | undefined;
  /** Largest request body in bytes (default {@link MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number | undefined;
  /** Records a request refused before Apollo runs (Apollo's own hook records the others). */
  readonly recordOperation?: ((requestId: string) => RunningOperation) | undefined;
}

/** A request ready for Apollo, or the code it was refused with (the answer already sent). */
type PreparedRequest =
  | {
      readonly method: string;
      readonly headers: HeaderMap;
      readonly search: string;
      readonly body: unknown;
      readonly request: ContextRequest;
    }
  | { readonly refused: string };

/**
 * The checks before Apollo: method, authentication (answered here), body parsing and the request
 * policies (batch size, trusted documents). Throws an {@link HttpError} for a refusal to answer.
 */
async function prepareRequest(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  options: GraphQLRouteOptions,
): Promise<PreparedRequest> {
  const { authenticator } = options;
  const method = (req.method ?? 'GET').toUpperCase();
  if (!GRAPHQL_METHODS.has(method)) {
    res.setHeader('allow', [...GRAPHQL_METHODS].join(', '));
    throw new HttpError(
      405,
      ErrorCode.BAD_REQUEST,
      `Method ${method.slice(0, 20)} is not allowed here: send GraphQL with POST (or GET for queries).`,
    );
  }
  let request: ContextRequest = { requestId };
  if (authenticator !== undefined) {
    const auth = await authenticateRequest(req, res, authenticator);
    if ('refused' in auth) return auth;
    request = { requestId, scope: auth.scope };
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let search = url.search;
  let body: unknown;
  try {
    if (method === 'POST') {
      body = prepareBody(await parseBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES), options);
    } else if (method === 'GET') {
      search = prepareSearch(url, options.trustedDocuments);
    }
  } catch (error: unknown) {
    if (!(error instanceof GatewayError)) throw error;
    throw new HttpError(refusalStatus(error), error.code, error.message, error.extensions);
  }
  return { method, headers, search, body, request };
}

/**
 * Serves one GraphQL request over HTTP with `options.apollo`: request id, authentication (the
 * caller's `Authorization`, which a router forwards), body parsing, the request policies (batch
 * size, trusted documents), headers, streaming.
 */
export async function handleGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  options: GraphQLRouteOptions,
): Promise<void> {
  const requestId = requestIdOf(req, res);
  // A request refused before Apollo runs still gets its operation log line and metrics.
  const refused = (code: string): void => {
    options.recordOperation?.(requestId).end({
      operationName: null,
      operationType: null,
      stats: NO_UPSTREAM_WORK,
      errorCodes: [code],
      transport: 'http',
    });
  };
  let prepared: PreparedRequest;
  try {
    prepared = await prepareRequest(req, res, requestId, options);
  } catch (error: unknown) {
    if (error instanceof HttpError) refused(error.code);
    throw error;
  }
  if ('refused' in prepared) {
    refused(prepared.refused);
    return;
  }
  const { method, headers, search, body, request } = prepared;
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: () => options.context(request),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Headers browsers may send with GraphQL requests (Apollo Client, Relay, GraphiQL). */
const CORS_ALLOWED_HEADERS =
  'content-type, authorization, apollo-require-preflight, x-apollo-operation-name';

/**
 * Applies the CORS policy: an allowed `Origin` gets `access-control-allow-origin`; a preflight
 * (`OPTIONS`) is answered here with 204. Returns true when the request is fully answered.
 */
function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  origins: '*' | readonly string[],
): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && (origins === '*' || origins.includes(origin));
  if (origins !== '*') res.setHeader('vary', 'Origin');
  if (allowed) res.setHeader('access-control-allow-origin', origins === '*' ? '*' : origin);
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', '600');
  }
  res.statusCode = 204;
  res.end();
  return true;
}

/** A route of its own module (for example `/subgraph`); errors are answered by the dispatcher. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the HTTP layer asks of the rest of the gateway. */
export interface HttpHandlerOptions extends RequestPolicyOptions {
  /** The public API at `/graphql`; absent on a server that serves only the subgraph. */
  readonly apollo?: ApolloServer<GatewayContext> | undefined;
  /** The Federation subgraph at `/subgraph`, when this server serves it (no CORS there). */
  readonly subgraph?: RouteHandler | undefined;
  readonly context: (request: ContextRequest) => Promise<GatewayContext>;
  /** Checks every `/graphql` request before Apollo runs; absent: everyone sees everything. */
  readonly authenticator?: Authenticator | undefined;
  readonly logger: Logger;
  /** Serves `GET /metrics` from this registry (omitted: metrics are served elsewhere or not at all). */
  readonly metrics?: Registry;
  /** Readiness: false while starting or draining, so load balancers stop sending traffic. */
  readonly isReady: () => boolean;
  /** Browser origins allowed by CORS (default any: the gateway uses no cookies). */
  readonly corsOrigins?: '*' | readonly string[];
  /** GraphiQL: the page at `GET /graphql` for browsers, and its assets under `/graphiql/assets/`. */
  readonly graphiql: GraphiQL;
  /** Largest request body in bytes (default {@link MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number | undefined;
  /** What `/readyz` reports beside its status (the circuit breakers); spends no upstream call. */
  readonly health?: () => Record<string, unknown>;
  /** Records a `/graphql` request refused before Apollo runs. */
  readonly recordOperation?: ((requestId: string) => RunningOperation) | undefined;
}

/**
 * The gateway's HTTP server: `/graphql` (POST and GET) and `/subgraph` when given, `GET /healthz`
 * (liveness: the process serves HTTP), `GET /readyz` (readiness: 503 until started and while shutting down; its body
 * reports the circuit breakers, and it stays 200 while one is open) and, unless served on a port
 * of their own, `GET /metrics` (Prometheus). A browser opening `/graphql` (GET, no query string,
 * `Accept: text/html`) gets GraphiQL.
 * Anything else is a JSON 404. A failing request never takes the process down.
 */
export function createHttpServer(options: HttpHandlerOptions): Server {
  const { apollo, subgraph, logger, isReady, graphiql } = options;
  const corsOrigins = options.corsOrigins ?? '*';
  const served = apollo === undefined ? '/subgraph' : '/graphql';
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Routers are not browsers: the subgraph grants no cross-origin access.
    if (path !== '/subgraph' && applyCors(req, res, corsOrigins)) return;
    const handle = async (): Promise<void> => {
      if (path === '/graphql' && apollo !== undefined && isGraphiQLPageRequest(req)) {
        await graphiql.servePage(req, res);
      } else if (path === '/graphql' && apollo !== undefined) {
        await handleGraphQL(req, res, { ...options, apollo });
      } else if (path === '/subgraph' && subgraph !== undefined) {
        await subgraph(req, res);
      } else if (path === '/metrics' && options.metrics !== undefined) {
        await handleMetrics(req, res, options.metrics);
      } else if (path.startsWith(GRAPHIQL_ASSET_PREFIX)) {
        await graphiql.serveAsset(req, res, path);
      } else if (path === '/healthz' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok' });
      } else if (path === '/readyz' && req.method === 'GET') {
        const health = options.health?.() ?? {};
        if (isReady()) sendJson(res, 200, { status: 'ready', ...health });
        else sendJson(res, 503, { status: 'not ready', ...health });
      } else {
        sendError(
          res,
          404,
          ErrorCode.NOT_FOUND,
          `Nothing at ${path}; GraphQL is served at ${served}.`,
        );
      }
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpError) {
        if (!res.headersSent) {
          sendError(res, error.status, error.code, error.message, error.extensions);
        } else res.end();
        return;
      }
      logger.error(
        { error: { name: error instanceof Error ? error.name : typeof error } },
        'HTTP handler failed',
      );
      if (!res.headersSent) {
        sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.');
      } else res.destroy();
    });
  });
}

/** Listens and resolves with the URL actually bound (useful with port 0). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
