import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { Authenticator } from '../policy/auth.js';
import { applyItemCap } from '../policy/item-cap.js';
import type { QueryLimits } from '../policy/limits.js';
import type { ApolloSecurity } from './apollo.js';
import type { ContextRequest, GatewayContext } from './context.js';
import type { RouteHandler } from './http.js';
import type { Logger } from './logger.js';
import {
  createSubgraphAdmission,
  createSubgraphApollo,
  createSubgraphHandler,
  SUBGRAPH_PATH,
} from './subgraph.js';
import { createSubgraphSchema } from './subgraph-schema.js';
import type { WebSocketEndpoint } from './websocket.js';
import type { RunningOperation } from './operation-log.js';
import { createOperationPolicy } from './websocket-policy.js';

/** Where and how the Federation subgraph endpoint is served. */
export interface SubgraphOptions {
  /** Whether `/subgraph` is served at all (default true). */
  readonly enabled?: boolean;
  /** Serve `/subgraph` on this port only (`0`: any free port); default: on the main port. */
  readonly port?: number | undefined;
  /** The shared secret routers send in `x-subgraph-secret`; default: none required. */
  readonly secret?: string | undefined;
}

/** The Federation 2 subgraph endpoint, over HTTP and WebSocket, and where it is served. */
export interface SubgraphEndpoint {
  readonly apollo: ApolloServer<GatewayContext>;
  /** The HTTP handler of `/subgraph` (main port or `SUBGRAPH_PORT`). */
  readonly handler: RouteHandler;
  /** `/subgraph` over WebSocket, for routers passing subscriptions through. */
  readonly socket: WebSocketEndpoint;
  /** `main`: beside `/graphql`; `own`: on {@link SubgraphEndpoint.port} only; `off`: nowhere. */
  readonly placement: 'main' | 'own' | 'off';
  /** The port of its own (`SUBGRAPH_PORT`), with placement `own`. */
  readonly port: number | undefined;
}

/**
 * The subgraph endpoint with the same security settings, query limits and item cap as
 * `/graphql` (it may be reachable without a router in front when `SUBGRAPH_SECRET` is unset), the
 * same authentication (the router forwards the caller's `Authorization` header) and the shared
 * secret checked on every request and WebSocket upgrade. No trusted documents there: a router
 * sends the query plans it generates, not clients' documents.
 */
export function createSubgraphEndpoint(options: {
  readonly subgraph?: SubgraphOptions | undefined;
  readonly context: (request?: ContextRequest) => Promise<GatewayContext>;
  readonly authenticator?: Authenticator | undefined;
  readonly logger: Logger;
  /** Plugins shared with the public server (the operation log line and metrics). */
  readonly plugins: readonly ApolloServerPlugin<GatewayContext>[];
  /** Records a request refused before Apollo runs, as on the public server. */
  readonly recordOperation?: ((requestId: string) => RunningOperation) | undefined;
  readonly security: ApolloSecurity;
  readonly limits: QueryLimits;
  readonly maxBodyBytes: number;
  readonly maxResultItems: number;
}): SubgraphEndpoint {
  const { subgraph, security, limits } = options;
  const schema = applyItemCap(createSubgraphSchema(), options.maxResultItems);
  const apollo = createSubgraphApollo({
    schema,
    logger: options.logger,
    plugins: options.plugins,
    security,
    limits,
  });
  const handler = createSubgraphHandler({
    apollo,
    context: options.context,
    authenticator: options.authenticator,
    secret: subgraph?.secret,
    maxBodyBytes: options.maxBodyBytes,
    recordOperation: options.recordOperation,
  });
  const socket: WebSocketEndpoint = {
    path: SUBGRAPH_PATH,
    schema,
    context: options.context,
    check: createOperationPolicy(schema, { limits, security }),
    admit: createSubgraphAdmission(subgraph?.secret),
  };
  const enabled = subgraph?.enabled ?? true;
  const port = enabled ? subgraph?.port : undefined;
  const placement = !enabled ? 'off' : port === undefined ? 'main' : 'own';
  return { apollo, handler, socket, placement, port };
}
