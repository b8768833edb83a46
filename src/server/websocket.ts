import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST } from 'graphql';
import type { ExecutionArgs, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { AccessScope } from '../context.js';
import { ErrorCode } from '../errors.js';
import type { LiveHub, LiveSessions } from '../live/index.js';
import { CLOCK_TOLERANCE_SECONDS } from '../policy/auth.js';
import type { Authenticator } from '../policy/auth.js';
import type { ContextRequest, GatewayContext } from './context.js';
import { formatError } from './errors.js';
import { logGraphQLErrors } from './apollo.js';
import type { Logger } from './logger.js';
import { collectCodes } from './operation-log.js';
import type { RunningOperation } from './operation-log.js';
import type { CheckedOperation, OperationPayload } from './websocket-policy.js';
import {
  authenticateConnection,
  CLOSE_FORBIDDEN,
  CLOSE_TRY_AGAIN_LATER,
  closeReason,
  whenExpired,
} from './websocket-auth.js';

/** How long closing waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * One GraphQL-over-WebSocket endpoint: a path, the schema served there, its context factory, and
 * the checks an operation passes before it runs (see `createOperationPolicy`).
 */
export interface WebSocketEndpoint {
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly context: (request?: ContextRequest) => Promise<GatewayContext>;
  readonly check: (payload: OperationPayload, usage: GatewayContext['usage']) => CheckedOperation;
  /**
   * Checks the upgrade request before the handshake (the subgraph's shared secret): a message
   * refuses the upgrade with HTTP 401 and code `UNAUTHENTICATED`, saying what to send.
   */
  readonly admit?: ((request: IncomingMessage) => string | undefined) | undefined;
}

export interface WebSocketOptions {
  readonly httpServer: Server;
  readonly endpoints: readonly WebSocketEndpoint[];
  readonly live: LiveHub;
  readonly logger: Logger;
  /** Largest message a client may send, in bytes (`LIVE_MAX_MESSAGE_BYTES`). */
  readonly maxMessageBytes: number;
  /** Browser origins allowed (the same policy as CORS for HTTP). */
  readonly corsOrigins: '*' | readonly string[];
  /** Authenticates each connection at `connection_init` (absent: everyone sees every stack). */
  readonly authenticator?: Authenticator | undefined;
  /** How long after a token's `exp` its connection is closed (default: the JWT clock tolerance). */
  readonly expiryGraceMs?: number;
  /** Records each operation (its log line, metrics and span), as over HTTP. */
  readonly recordOperation: (requestId: string) => RunningOperation;
}

/** The WebSocket side of the gateway. */
export interface WebSocketTransport {
  /** Open WebSocket connections. */
  readonly connections: () => number;
  /** Closes every connection (1001 Going away) and stops accepting new ones. */
  close(): Promise<void>;
}

/** What one connection holds: its live-updates handle, its caller's scope, its expiry timer. */
interface Connection {
  readonly live: LiveSessions;
  readonly scope: AccessScope | undefined;
  readonly cancelExpiry: () => void;
  /** Prefix of its operations' request ids (`<connection>/<n>`), so their lines group. */
  readonly id: string;
  /** Operations started on it so far. */
  started: number;
}

/** One operation of a connection while it runs, for its log line. */
interface Tracked {
  readonly running: RunningOperation;
  readonly context: GatewayContext;
  operationName: string | null;
  operationType: string | null;
  readonly codes: Set<string>;
}

/**
 * The graphql-ws hooks of one endpoint. Authentication happens once per connection, at
 * `connection_init`, with the same verifier as HTTP; a refused token closes the socket with 4403
 * (1013 when the key set cannot be read) and a reason saying what was wrong, never the token. An
 * accepted token's connection is closed with 4403 when it expires.
 */
function serverOptions(
  endpoint: WebSocketEndpoint,
  options: WebSocketOptions,
): ServerOptions<Record<string, unknown> | undefined, Extra> {
  const { live, logger, authenticator } = options;
  const graceMs = options.expiryGraceMs ?? CLOCK_TOLERANCE_SECONDS * 1000;
  const connections = new WeakMap<object, Connection>();
  const none = (): void => undefined;
  // Operations in flight, per connection context, by their `subscribe` message's payload (the
  // object every hook of that operation gets): a client may reuse an id, and graphql-ws then
  // runs two operations under one id when the first was completed while it started.
  const operations = new WeakMap<object, Map<object, Tracked>>();
  const finish = (ctx: object, payload: object): void => {
    const running = operations.get(ctx);
    const tracked = running?.get(payload);
    if (running === undefined || tracked === undefined) return;
    running.delete(payload);
    tracked.running.end({
      operationName: tracked.operationName,
      operationType: tracked.operationType,
      stats: tracked.context.upstreamStats,
      errorCodes: [...tracked.codes],
      transport: 'websocket',
    });
  };
  return {
    onConnect: async (ctx) => {
      const { socket, request } = ctx.extra;
      if (authenticator === undefined || authenticator.mode === 'none') {
        connections.set(ctx, {
          live: live.connection(),
          scope: undefined,
          cancelExpiry: none,
          id: randomUUID(),
          started: 0,
        });
        return true;
      }
      const outcome = await authenticateConnection(authenticator, ctx.connectionParams, request);
      if (!outcome.ok) {
        const code = outcome.status === 401 ? CLOSE_FORBIDDEN : CLOSE_TRY_AGAIN_LATER;
        socket.close(code, closeReason(outcome.message));
        return false;
      }
      const cancelExpiry =
        outcome.expiresAt === undefined
          ? none
          : whenExpired(outcome.expiresAt, graceMs, () => {
              socket.close(CLOSE_FORBIDDEN, 'The token expired; reconnect with a fresh token.');
            });
      connections.set(ctx, {
        live: live.connection(),
        scope: outcome.scope,
        cancelExpiry,
        id: randomUUID(),
        started: 0,
      });
      return true;
    },
    onClose: (ctx) => {
      connections.get(ctx)?.cancelExpiry();
      // An operation the client abandoned mid-start gets neither onComplete nor onError.
      for (const payload of [...(operations.get(ctx)?.keys() ?? [])]) finish(ctx, payload);
    },
    onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
      const connection = connections.get(ctx);
      if (connection !== undefined) connection.started += 1;
      const base = await endpoint.context({
        ...(connection?.scope === undefined ? {} : { scope: connection.scope }),
        ...(connection === undefined
          ? {}
          : { requestId: `${connection.id}/${String(connection.started)}` }),
      });
      const context: GatewayContext = { ...base, live: connection?.live };
      const tracked: Tracked = {
        running: options.recordOperation(base.requestId),
        context,
        operationName: null,
        operationType: null,
        codes: new Set(),
      };
      operations.set(
        ctx,
        (operations.get(ctx) ?? new Map<object, Tracked>()).set(payload, tracked),
      );
      const checked = endpoint.check(payload, base.usage);
      if (!checked.ok) {
        // Ended here: graphql-ws sends these errors (and calls onError) only if the client has
        // not completed the operation meanwhile, and calls no other hook for it.
        logGraphQLErrors(logger, checked.errors, null);
        collectCodes(tracked.codes, format(checked.errors));
        finish(ctx, payload);
        return checked.errors;
      }
      // As over HTTP: the name of the operation that runs, known once the document is
      // accepted (a refused document is logged and counted without the name its client sent).
      const operation = getOperationAST(checked.document, payload.operationName);
      tracked.operationName = operation?.name?.value ?? null;
      tracked.operationType = operation?.operation ?? null;
      return {
        schema: endpoint.schema,
        document: checked.document,
        contextValue: context,
        ...(payload.operationName == null ? {} : { operationName: payload.operationName }),
        ...(payload.variables == null ? {} : { variableValues: payload.variables }),
      };
    },
    onNext: (ctx, _id, payload, _args, result) => {
      if (result.errors === undefined) return undefined;
      const tracked = operations.get(ctx)?.get(payload);
      // At the levels HTTP logs them (an internal error at error level), by name and code.
      logGraphQLErrors(logger, result.errors, tracked?.operationName);
      const errors = format(result.errors);
      if (tracked !== undefined) collectCodes(tracked.codes, errors);
      return { ...(result.data === undefined ? {} : { data: result.data }), errors };
    },
    onError: (ctx, _id, payload, errors) => {
      const formatted = format(errors);
      const tracked = operations.get(ctx)?.get(payload);
      if (tracked !== undefined) {
        // (A document refused in onSubscribe has had its errors logged there.)
        logGraphQLErrors(logger, errors, tracked.operationName);
        collectCodes(tracked.codes, formatted);
      }
      // graphql-ws sends the error and no completion: the operation ends here.
      finish(ctx, payload);
      return formatted;
    },
    onComplete: (ctx, _id, payload) => {
      finish(ctx, payload);
    },
  };
}

/** Errors as the client gets them (masked and coded as over HTTP). */
const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
  errors.map((error) => formatError(error.toJSON(), error));

/** Whether the upgrade request's `Origin` (browsers always send one) is allowed. */
function originAllowed(request: IncomingMessage, origins: '*' | readonly string[]): boolean {
  const origin = request.headers.origin;
  return origins === '*' || origin === undefined || origins.includes(origin);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

/** Answers an upgrade request with an HTTP error and a GraphQL-style JSON body, then hangs up. */
function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const code = status === 401 ? ErrorCode.UNAUTHENTICATED : 'BAD_REQUEST';
  const body = JSON.stringify({ errors: [{ message: reason, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * Serves GraphQL over WebSocket (the `graphql-transport-ws` protocol of `graphql-ws`, which
 * Apollo Client, Relay, urql and GraphiQL speak) on the HTTP server's upgrade requests, at each
 * endpoint's path. Every operation passes the endpoint's checks (the limits and trusted documents
 * of HTTP), then gets a fresh context from the endpoint's factory plus the
 * connection's live-updates handle; errors are masked exactly as over HTTP. Upgrades elsewhere
 * get 404, upgrades from a browser origin outside `corsOrigins` get 403, upgrades the endpoint's
 * `admit` refuses get 401.
 */
export function attachWebSocket(options: WebSocketOptions): WebSocketTransport {
  const servers = new Map<string, { wss: WebSocketServer; endpoint: WebSocketEndpoint }>();
  const disposers: Array<() => Promise<void> | void> = [];
  for (const endpoint of options.endpoints) {
    const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
    // isProd: close reasons never carry internal error messages, whatever NODE_ENV says.
    const { dispose } = useServer({ ...serverOptions(endpoint, options), isProd: true }, wss);
    servers.set(endpoint.path, { wss, endpoint });
    disposers.push(dispose);
  }
  const paths = [...servers.keys()].join(' and ');
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const served = servers.get(path);
    if (served === undefined) {
      refuse(socket, 404, `No WebSocket endpoint at ${path}; this port serves one at ${paths}.`);
      return;
    }
    if (!originAllowed(request, options.corsOrigins)) {
      refuse(socket, 403, 'This origin may not open WebSocket connections (CORS_ORIGINS).');
      return;
    }
    const refusal = served.endpoint.admit?.(request);
    if (refusal !== undefined) {
      refuse(socket, 401, refusal);
      return;
    }
    const { wss } = served;
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);
  return {
    connections: () => [...servers.values()].reduce((sum, { wss }) => sum + wss.clients.size, 0),
    async close() {
      options.httpServer.off('upgrade', onUpgrade);
      const cutoff = setTimeout(() => {
        for (const { wss } of servers.values())
          for (const client of wss.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      try {
        await Promise.all(disposers.map(async (dispose) => dispose()));
      } finally {
        clearTimeout(cutoff);
      }
    },
  };
}
