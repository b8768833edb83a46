import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors.js';
import { createSharedSecretCheck, SUBGRAPH_SECRET_HEADER } from '../policy/subgraph-secret.js';
import type { QueryLimits } from '../policy/limits.js';
import { createApolloServer } from './apollo.js';
import type { ApolloSecurity } from './apollo.js';
import type { GatewayContext } from './context.js';
import { formatError } from './errors.js';
import { handleGraphQL, sendError } from './http.js';
import type { GraphQLRouteOptions, RouteHandler } from './http.js';
import type { Logger } from './logger.js';
import { createSubgraphSchema } from './subgraph-schema.js';

/** The path of the subgraph endpoint, on the main port or on `SUBGRAPH_PORT`. */
export const SUBGRAPH_PATH = '/subgraph';

/** The codes of the gateway's own errors, whose messages are written to be shown to clients. */
const SAFE_CODES: ReadonlySet<unknown> = new Set(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);

/**
 * Errors as they go into a federated trace (`ftv1`): the same safe message and code a client
 * gets, never the raw error (which may quote AppStream). Apollo's trace builder hands over a copy
 * that has lost `originalError`; a gateway error's code survives in its `extensions` (see
 * `GatewayError`), and with it the message written for clients.
 */
function traceSafeError(error: GraphQLError): GraphQLError {
  const safe = SAFE_CODES.has(error.extensions.code)
    ? { message: error.message, extensions: error.extensions }
    : formatError(error.toJSON(), error);
  return new GraphQLError(safe.message, {
    ...(error.nodes === undefined ? {} : { nodes: error.nodes }),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(safe.extensions === undefined ? {} : { extensions: safe.extensions }),
  });
}

/**
 * The Apollo Server of the Federation 2 subgraph: the subgraph schema (same SDL and resolvers as
 * the public one, plus `_service`, `_entities` and the federation directives), the same error
 * masking and logging, and inline tracing for routers that ask for it with
 * `apollo-federation-include-trace: ftv1` (the public server has it disabled). The security
 * settings and query limits are those of the public server when given; the runtime item cap
 * (`MAX_RESULT_ITEMS`, `_entities` included) comes with `schema` (the gateway applies it once, for
 * HTTP and WebSocket alike).
 */
export function createSubgraphApollo(options: {
  readonly logger: Logger;
  readonly schema?: GraphQLSchema;
  /** Plugins shared with the public server (the operation log line and metrics). */
  readonly plugins?: readonly ApolloServerPlugin<GatewayContext>[];
  readonly security?: ApolloSecurity;
  readonly limits?: QueryLimits;
}): ApolloServer<GatewayContext> {
  return createApolloServer({
    schema: options.schema ?? createSubgraphSchema(),
    logger: options.logger,
    ...(options.security === undefined ? {} : { security: options.security }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    plugins: [
      ...(options.plugins ?? []),
      ApolloServerPluginInlineTrace({ includeErrors: { transform: traceSafeError } }),
    ],
  });
}

/**
 * The check of the router's shared secret on a request to `/subgraph` (HTTP or a WebSocket
 * upgrade): `undefined` when the request may go on, else the message of the 401 refusal. Without
 * a `secret`, every request passes (protect the endpoint with `SUBGRAPH_PORT` and the network
 * instead). The comparison takes constant time.
 */
export function createSubgraphAdmission(
  secret: string | undefined,
): (req: IncomingMessage) => string | undefined {
  if (secret === undefined) return () => undefined;
  const check = createSharedSecretCheck(secret);
  return (req) => {
    const presented = req.headers[SUBGRAPH_SECRET_HEADER];
    return check(typeof presented === 'string' ? presented : undefined)
      ? undefined
      : `The subgraph endpoint requires the \`${SUBGRAPH_SECRET_HEADER}\` header with the router's shared secret.`;
  };
}

/**
 * The HTTP handler of `/subgraph`. With a `secret`, a request whose `x-subgraph-secret` header
 * does not carry it gets HTTP 401 with an `UNAUTHENTICATED` error body, before anything else is
 * read (see `createSubgraphAdmission`). Past the secret, the request is authenticated like one
 * to `/graphql` (`AUTH_MODE`), from the caller's `Authorization` header that the router
 * forwards, so `_entities` and every field answer within the caller's stack allow-list.
 */
export function createSubgraphHandler(
  options: GraphQLRouteOptions & { readonly secret?: string | undefined },
): RouteHandler {
  const admit = createSubgraphAdmission(options.secret);
  return async (req: IncomingMessage, res: ServerResponse) => {
    const refusal = admit(req);
    if (refusal !== undefined) {
      sendError(res, 401, ErrorCode.UNAUTHENTICATED, refusal);
      return;
    }
    await handleGraphQL(req, res, options);
  };
}
