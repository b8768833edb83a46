import type { Server } from 'node:http';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { ApolloServer } from '@apollo/server';
import { createGlobalIdCodec } from '../ids/global-id.js';
import { createLiveHub } from '../live/index.js';
import type { LiveHub, LiveSettings } from '../live/index.js';
import { createCursorCodec } from '../pagination/index.js';
import type { Authenticator } from '../policy/auth.js';
import { createSealer } from '../policy/sealing.js';
import { createHmacSigner, randomSecret, TAG_LENGTH } from '../policy/signing.js';
import { applyItemCap } from '../policy/item-cap.js';
import { DEFAULT_QUERY_LIMITS } from '../policy/limits.js';
import type { QueryLimits } from '../policy/limits.js';
import type { TrustedDocuments } from '../policy/trusted-documents.js';
import type { BreakerSnapshot } from '../upstream/circuit-breaker.js';
import type { RedisLink } from '../shared/redis.js';
import { createRedisPageStore } from '../shared/redis-page-store.js';
import { observeUpstream, teeObservers } from '../upstream/observe.js';
import { createPageCache } from '../upstream/page-cache.js';
import type { CachedUpstream, PageCacheOptions, SharedPageStore } from '../upstream/page-cache.js';
import { createSingleFlight } from '../upstream/single-flight.js';
import { createRegionRouter, DEFAULT_REGION } from '../upstream/regions.js';
import type { RegionUpstream } from '../upstream/regions.js';
import type { Upstream } from '../upstream/types.js';
import { DEVELOPMENT_SECURITY, createApolloServer } from './apollo.js';
import type { ApolloSecurity } from './apollo.js';
import { createContextFactory } from './context.js';
import type { ContextRequest, GatewayContext } from './context.js';
import { createGraphiQL } from './graphiql.js';
import { MAX_BODY_BYTES, createHttpServer, listen } from './http.js';
import type { Logger } from './logger.js';
import { registerLiveMetrics } from './live-metrics.js';
import { registerSharedMetrics } from './shared-metrics.js';
import { createMetrics, createMetricsServer } from './metrics.js';
import type { GatewayMetrics } from './metrics.js';
import { createOperationRecorder, operationLogPlugin } from './operation-log.js';
import { createSchema } from './schema.js';
import { SUBGRAPH_PATH } from './subgraph.js';
import { createSubgraphEndpoint } from './subgraph-endpoint.js';
import type { SubgraphOptions } from './subgraph-endpoint.js';
import { attachWebSocket } from './websocket.js';
import type { WebSocketEndpoint } from './websocket.js';
import { createOperationPolicy } from './websocket-policy.js';

export type { SubgraphOptions } from './subgraph-endpoint.js';

/** Largest WebSocket message a client may send when nothing is configured. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

/** Per-request budgets (see `src/policy/` and `src/upstream/budget.ts`). */
export interface RequestBudgets {
  /** Most AppStream calls one request may make (`MAX_UPSTREAM_CALLS_PER_REQUEST`). */
  readonly maxUpstreamCalls: number;
  /** Most list items one request may return (`MAX_RESULT_ITEMS`). */
  readonly maxResultItems: number;
  /** Time one request's upstream calls may take, retries included (`UPSTREAM_DEADLINE_MS`). */
  readonly upstreamDeadlineMs: number;
}

export const DEFAULT_REQUEST_BUDGETS: RequestBudgets = {
  maxUpstreamCalls: 120,
  maxResultItems: 10_000,
  upstreamDeadlineMs: 5000,
};

export interface GatewayOptions {
  /**
   * AppStream: one upstream per configured region, in order (the first is the default region),
   * or one plain upstream, the single region {@link DEFAULT_REGION}.
   */
  readonly upstream: Upstream | readonly RegionUpstream[];
  readonly logger: Logger;
  /** Most upstream items one connection field may scan (default 5000). */
  readonly scanBound?: number;
  /** Browser origins allowed by CORS (default `'*'`). */
  readonly corsOrigins?: '*' | readonly string[];
  /**
   * The cross-request page cache; off when omitted or when `ttlMs` is 0 (`main.ts` turns it on
   * from `PAGE_CACHE_TTL_MS`, whose default is on).
   */
  readonly pageCache?: Omit<PageCacheOptions, 'ttlMs'> & { readonly ttlMs: number };
  /** Serve `/metrics` on this port of its own instead of beside `/graphql` (`METRICS_PORT`). */
  readonly metricsPort?: number;
  /** Authenticates `/graphql` requests (default: none, every caller sees every stack). */
  readonly authenticator?: Authenticator;
  /**
   * The secret that cursors' and global ids' keys derive from, and the previous one during a
   * rotation (at least 32 bytes each). Without `secret`, a random one per gateway: its cursors
   * and ids die with it.
   */
  readonly signing?: {
    readonly secret: string | Uint8Array;
    readonly previous?: string | Uint8Array | undefined;
  };
  /** Live updates (subscriptions): poll interval, outage bound and limits. */
  readonly live?: Partial<LiveSettings>;
  /** Largest WebSocket message a client may send, in bytes (default 64 KiB). */
  readonly maxMessageBytes?: number;
  /**
   * How long after its token's `exp` a WebSocket connection is closed (default: the JWT clock
   * tolerance, 30 s, the leeway HTTP requests get too).
   */
  readonly expiryGraceMs?: number;
  /** Whether `GET /graphql` serves GraphiQL to browsers (default false: the caller decides). */
  readonly graphiql?: boolean;
  /** Introspection, suggestions, CSRF prevention, batching (default: development settings). */
  readonly security?: ApolloSecurity;
  /** Static query limits (default: the documented defaults). */
  readonly limits?: QueryLimits;
  readonly budgets?: RequestBudgets;
  /** Largest request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Most operations in one batched request (default 10). */
  readonly maxBatchSize?: number;
  /** When set, only these documents run. */
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /**
   * The circuit breakers guarding `upstream` (one per region), read by `/readyz` and `/metrics`
   * without spending any AppStream call.
   */
  readonly breakers?: () => readonly BreakerSnapshot[];
  /** The Federation 2 subgraph endpoint (default: `/subgraph` on the main port, no secret). */
  readonly subgraph?: SubgraphOptions;
  /**
   * The shared layer (`REDIS_URL`): the page cache gets a tier in Redis under `keyPrefix`, and
   * the link's state is reported in `/readyz` and `/metrics`. The shared rate budget is a layer of
   * `upstream` (see `src/upstream/rate-budget.ts`), wrapped by the composition root.
   */
  readonly redis?: { readonly link: RedisLink; readonly keyPrefix: string };
}

/** A gateway that can be started once and stopped once. */
export interface Gateway {
  readonly apollo: ApolloServer<GatewayContext>;
  /** The Apollo Server of the subgraph endpoint (same context factory, subgraph schema). */
  readonly subgraphApollo: ApolloServer<GatewayContext>;
  readonly httpServer: Server;
  /** The server of `SUBGRAPH_PORT`, when the subgraph has a port of its own. */
  readonly subgraphHttpServer: Server | undefined;
  /**
   * The subgraph endpoint's URL once started (for example `http://127.0.0.1:4000/subgraph`);
   * undefined when it is off.
   */
  readonly subgraphUrl: string | undefined;
  readonly metrics: GatewayMetrics;
  /** The page cache, when it is on. */
  readonly pageCache: CachedUpstream | undefined;
  /** A fresh per-request context, for in-process `executeOperation` calls in tests. */
  readonly createContext: (request?: ContextRequest) => Promise<GatewayContext>;
  /** The pollers behind subscriptions (for statistics). */
  readonly live: LiveHub;
  /** Starts Apollo, then listens; resolves with the bound URL (for example `http://127.0.0.1:4000`). */
  start(port: number, host: string): Promise<string>;
  /** The URL `/metrics` is served at, once started. */
  readonly metricsUrl: string | undefined;
  /**
   * Readiness goes 503 (load balancers stop routing here) while everything else keeps serving;
   * `stop` follows after the shutdown grace period.
   */
  beginShutdown(): void;
  /**
   * Stops taking requests (readiness goes 503 first), closes WebSocket connections and stops the
   * pollers, drains in-flight HTTP requests, then stops Apollo.
   */
  stop(): Promise<void>;
}

/**
 * Assembles schema, Apollo Server and the HTTP server around an upstream. The process-wide
 * upstream layers are wrapped here, once, outermost first: metrics, page cache, single-flight,
 * and the region router (each region's circuit breaker and rate budget are below it, around its
 * SDK layer, so cached pages are still served while a breaker is open). Nothing listens yet.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const secrets = options.signing ?? { secret: randomSecret() };
  const scanBound = options.scanBound ?? 5000;
  const paging = {
    codec: createCursorCodec({ sealer: createSealer({ ...secrets, purpose: 'cursor' }) }),
    scanBound,
  };
  const regional: readonly RegionUpstream[] =
    'describeSessions' in options.upstream
      ? [{ region: DEFAULT_REGION, upstream: options.upstream }]
      : options.upstream;
  const regions = regional.map(({ region }) => region);
  const flights = createSingleFlight(createRegionRouter(regional));
  const { redis } = options;
  const ttlMs = options.pageCache?.ttlMs ?? 0;
  const shared =
    redis === undefined || ttlMs <= 0
      ? undefined
      : createRedisPageStore({ link: redis.link, prefix: redis.keyPrefix, ttlMs });
  const pageCache =
    options.pageCache !== undefined && ttlMs > 0
      ? createPageCache(flights, {
          ...options.pageCache,
          ...(shared === undefined ? {} : { shared }),
        })
      : undefined;
  const metrics = createMetrics({
    ...(pageCache === undefined ? {} : { cacheStats: pageCache.stats }),
    ...(options.breakers === undefined ? {} : { breakers: options.breakers }),
    defaultRegion: regional[0]?.region ?? DEFAULT_REGION,
    operationNames: options.trustedDocuments?.operationNames,
  });
  const sharedObserver = registerSharedMetrics(
    metrics.registry,
    redis === undefined ? undefined : () => redis.link.status(),
    regional[0]?.region ?? DEFAULT_REGION,
  );
  const upstream = observeUpstream(
    pageCache ?? flights,
    teeObservers(metrics.upstreamObserver, sharedObserver) ?? sharedObserver,
  );
  const budgets = options.budgets ?? DEFAULT_REQUEST_BUDGETS;
  const security = options.security ?? DEVELOPMENT_SECURITY;
  const createContext = createContextFactory({
    upstream,
    regions,
    paging,
    ids: createGlobalIdCodec({
      sealer: createSealer({ ...secrets, purpose: 'global-id' }),
      readable: { signer: createHmacSigner(secrets), tagLength: TAG_LENGTH },
    }),
    logger: options.logger,
    limits: budgets,
  });
  let ready = false;
  const isReady = () => ready;
  const schema = applyItemCap(createSchema(), budgets.maxResultItems);
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const recordOperation = createOperationRecorder({ logger: options.logger, metrics });
  const operationLog = operationLogPlugin(recordOperation);
  const apollo = createApolloServer({
    schema,
    logger: options.logger,
    plugins: [operationLog, ApolloServerPluginInlineTraceDisabled()],
    security,
    limits,
  });
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const subgraph = createSubgraphEndpoint({
    subgraph: options.subgraph,
    context: createContext,
    authenticator: options.authenticator,
    logger: options.logger,
    plugins: [operationLog],
    recordOperation,
    security,
    limits,
    maxBodyBytes,
    maxResultItems: budgets.maxResultItems,
  });
  const subgraphApollo = subgraph.apollo;
  const onMainPort = subgraph.placement === 'main';
  const { breakers } = options;
  const health =
    breakers === undefined && redis === undefined
      ? {}
      : {
          health: () => ({
            upstream: {
              ...(breakers === undefined ? {} : { breakers: breakers() }),
              ...(redis === undefined ? {} : { redis: redisHealth(redis.link, shared) }),
            },
          }),
        };
  const common = {
    context: createContext,
    logger: options.logger,
    isReady,
    recordOperation,
    ...health,
  };
  const separateMetrics = options.metricsPort !== undefined;
  const httpServer = createHttpServer({
    ...common,
    apollo,
    authenticator: options.authenticator,
    subgraph: onMainPort ? subgraph.handler : undefined,
    ...(separateMetrics ? {} : { metrics: metrics.registry }),
    graphiql: createGraphiQL({ enabled: options.graphiql ?? false, logger: options.logger }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    maxBodyBytes,
    allowBatchedHttpRequests: security.allowBatchedHttpRequests,
    maxBatchSize: options.maxBatchSize ?? 10,
    trustedDocuments: options.trustedDocuments,
  });
  const metricsServer = separateMetrics
    ? createMetricsServer(metrics.registry, options.logger)
    : undefined;
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  const subgraphHttpServer =
    subgraph.placement !== 'own'
      ? undefined
      : createHttpServer({
          ...common,
          subgraph: subgraph.handler,
          // No /graphql there: GraphiQL stays off on the router-facing port.
          graphiql: createGraphiQL({ enabled: false, logger: options.logger }),
        });
  if (subgraphHttpServer !== undefined) {
    subgraphApollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer: subgraphHttpServer }));
  }
  // Polls go through the same layers as queries (metrics, page cache, single-flight): they
  // refresh the page cache for the scope they poll for, and never read a cached page.
  const live = createLiveHub({
    upstream,
    scanBound,
    ...(options.live === undefined ? {} : { settings: options.live }),
  });
  registerLiveMetrics(metrics.registry, () => live.stats());
  const graphqlSocket: WebSocketEndpoint = {
    path: '/graphql',
    schema,
    context: createContext,
    check: createOperationPolicy(schema, {
      limits,
      security,
      trustedDocuments: options.trustedDocuments,
    }),
  };
  const subgraphSocket = subgraph.socket;
  const socketOptions = {
    authenticator: options.authenticator,
    ...(options.expiryGraceMs === undefined ? {} : { expiryGraceMs: options.expiryGraceMs }),
    live,
    logger: options.logger,
    maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    corsOrigins: options.corsOrigins ?? '*',
    recordOperation,
  };
  const webSockets = [
    attachWebSocket({
      ...socketOptions,
      httpServer,
      endpoints: onMainPort ? [graphqlSocket, subgraphSocket] : [graphqlSocket],
    }),
    ...(subgraphHttpServer === undefined
      ? []
      : [
          attachWebSocket({
            ...socketOptions,
            httpServer: subgraphHttpServer,
            endpoints: [subgraphSocket],
          }),
        ]),
  ];
  let metricsUrl: string | undefined;
  let subgraphUrl: string | undefined;

  return {
    apollo,
    subgraphApollo,
    httpServer,
    subgraphHttpServer,
    get subgraphUrl() {
      return subgraphUrl;
    },
    metrics,
    pageCache,
    createContext,
    live,
    get metricsUrl() {
      return metricsUrl;
    },
    async start(port, host) {
      await Promise.all([apollo.start(), subgraphApollo.start()]);
      const url = await listen(httpServer, port, host);
      const subgraphBase =
        subgraphHttpServer === undefined || subgraph.port === undefined
          ? url
          : await listen(subgraphHttpServer, subgraph.port, host);
      subgraphUrl = subgraph.placement === 'off' ? undefined : `${subgraphBase}${SUBGRAPH_PATH}`;
      metricsUrl =
        metricsServer === undefined || options.metricsPort === undefined
          ? `${url}/metrics`
          : `${await listen(metricsServer, options.metricsPort, host)}/metrics`;
      ready = true;
      return url;
    },
    beginShutdown() {
      ready = false;
    },
    async stop() {
      ready = false;
      // Subscribers first hear why their subscriptions end (LIVE_UPDATES_INTERRUPTED), then
      // their connections close (1001); the wait for the hub to empty is bounded.
      live.close();
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      for (let waited = 0; live.stats().subscriptions > 0 && waited < 1000; waited += 10) {
        await pause(10);
      }
      // graphql-ws formats and sends each error message after its subscription has ended.
      if (webSockets.some((socket) => socket.connections() > 0)) await pause(50);
      await Promise.all(webSockets.map(async (socket) => socket.close()));
      // The main server drains first: on a shared port it also carries subgraph requests.
      await apollo.stop();
      await subgraphApollo.stop();
      if (metricsServer?.listening === true) {
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      }
    },
  };
}

/** The Redis link's status for `/readyz`, with `pageCache: 'off'` when the page cache is off. */
function redisHealth(link: RedisLink, shared: SharedPageStore | undefined): object {
  const status = link.status();
  return shared === undefined ? { ...status, pageCache: 'off' } : status;
}
