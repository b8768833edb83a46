/**
 * Composition root: the only module that reads the environment, listens, and handles signals.
 */
import { ConfigError, loadConfig } from './config.js';
import type { Config } from './config.js';
import { createAuthenticator } from './policy/auth.js';
import { loadTrustedDocuments } from './policy/trusted-documents.js';
import { createGateway } from './server/gateway.js';
import { createLogger, logProcessWarnings } from './server/logger.js';
import type { Logger } from './server/logger.js';
import { createAppStreamUpstream } from './upstream/appstream.js';
import type { AppStreamUpstreamOptions } from './upstream/appstream.js';
import { DEFAULT_REGION } from './upstream/regions.js';
import { createCircuitBreakerUpstream } from './upstream/circuit-breaker.js';
import type { Upstream } from './upstream/types.js';
import type { RedisLink } from './shared/redis.js';
import { createBudgetLimiter } from './shared/redis-rate-limiter.js';
import { createRateBudgetUpstream, rateBudgetKey } from './upstream/rate-budget.js';

/** The one start-up line listing the effective security settings (no secrets in it). */
function logSecuritySettings(logger: Logger, config: Config, trustedCount: number | null): void {
  const { security, limits, resilience } = config;
  logger.info(
    {
      security: {
        nodeEnv: config.production ? 'production' : 'development',
        introspection: security.introspection,
        fieldSuggestions: security.fieldSuggestions,
        graphiql: config.graphiql,
        stackTraces: false,
        csrfPrevention: security.csrfPrevention,
        maxBodyBytes: security.maxBodyBytes,
        batchedHttpRequests: security.allowBatchedHttpRequests ? security.maxBatchSize : false,
        trustedDocuments: trustedCount,
        limits,
        upstream: resilience,
        rateBudget: config.rateBudget ?? 'off',
        sharedState: config.redis === undefined ? 'per-process' : 'redis',
      },
    },
    'Effective security settings',
  );
}

async function run(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  logProcessWarnings(logger);
  const cleanups: Array<() => Promise<void> | void> = [];
  const clients = await startClients(config, logger, cleanups);
  const authenticator = createAuthenticator({ config: config.auth, logger });
  logSecurityWarnings(config, logger);
  const { security, limits, resilience } = config;
  const trustedDocuments =
    security.trustedDocuments === null
      ? undefined
      : loadTrustedDocuments(security.trustedDocuments);
  logSecuritySettings(logger, config, trustedDocuments?.size ?? null);
  // Loaded only when used (as the emulator below): ioredis alone adds about 10 MB to every process.
  const link =
    config.redis === undefined
      ? undefined
      : (await import('./shared/redis.js')).createRedisLink({
          url: config.redis.url,
          commandTimeoutMs: config.redis.commandTimeoutMs,
          logger,
        });
  if (link !== undefined) cleanups.push(() => link.close());
  const regions = await Promise.all(
    clients.map(async ({ region, options }) => {
      const upstream = createAppStreamUpstream({
        ...options,
        maxConcurrency: config.maxConcurrency,
        requestTimeoutMs: resilience.attemptTimeoutMs,
        connectionTimeoutMs: resilience.connectTimeoutMs,
      });
      cleanups.push(() => upstream.destroy());
      const name = region ?? (await upstream.region());
      if (name === 'unknown') {
        throw new Error(
          'APPSTREAM_UPSTREAM=aws needs an AWS region and the AWS SDK found none: set AWS_REGION ' +
            '(for example AWS_REGION=eu-west-1; the SDK for JavaScript does not read AWS_DEFAULT_REGION), ' +
            "a region in the AWS profile's config file, or list the regions in APPSTREAM_REGIONS",
        );
      }
      const guarded = createCircuitBreakerUpstream(upstream, {
        region: name,
        failureThreshold: resilience.breakerFailureThreshold,
        halfOpenAfterMs: resilience.breakerHalfOpenAfterMs,
        onStateChange: (breaker) => {
          logger[breaker.state === 'closed' ? 'info' : 'warn'](
            { breaker },
            'AppStream circuit breaker',
          );
        },
      });
      // The account is resolved only for a budget (it may mean a credentials lookup at start).
      const budgeted =
        config.rateBudget === undefined
          ? guarded
          : withRateBudget(guarded, config, link, rateBudgetKey(await upstream.account(), name));
      return { region: name, upstream: budgeted, breaker: () => guarded.breaker() };
    }),
  );
  const gateway = createGateway({
    upstream: regions.map(({ region, upstream }) => ({ region, upstream })),
    logger,
    scanBound: config.scanBound,
    corsOrigins: config.corsOrigins,
    pageCache: config.pageCache,
    ...(config.metricsPort === undefined ? {} : { metricsPort: config.metricsPort }),
    authenticator,
    ...(config.signing.secret === null
      ? {}
      : {
          signing: {
            secret: config.signing.secret,
            previous: config.signing.previous ?? undefined,
          },
        }),
    live: config.live,
    maxMessageBytes: config.live.maxMessageBytes,
    graphiql: config.graphiql,
    security,
    limits: { ...limits, defaultPageSize: 20 },
    budgets: {
      maxUpstreamCalls: limits.maxUpstreamCallsPerRequest,
      maxResultItems: limits.maxResultItems,
      upstreamDeadlineMs: resilience.deadlineMs,
    },
    maxBodyBytes: security.maxBodyBytes,
    maxBatchSize: security.maxBatchSize,
    trustedDocuments,
    breakers: () => regions.map(({ breaker }) => breaker()),
    subgraph: {
      enabled: config.subgraphEnabled,
      port: config.subgraphPort,
      secret: config.subgraphSecret,
    },
    ...(link === undefined || config.redis === undefined
      ? {}
      : { redis: { link, keyPrefix: config.redis.keyPrefix } }),
  });
  const url = await gateway.start(config.port, config.host);
  logger.info(
    {
      url: `${url}/graphql`,
      metricsUrl: gateway.metricsUrl,
      pageCacheTtlMs: config.pageCache.ttlMs,
      graphiql: config.graphiql,
    },
    config.graphiql
      ? `Gateway ready at ${url}/graphql (open it in a browser for GraphiQL)`
      : `Gateway ready at ${url}/graphql (GraphiQL off; GRAPHIQL=true enables it)`,
  );
  if (gateway.subgraphUrl === undefined) {
    logger.info(
      { subgraph: false },
      'Federation subgraph off (SUBGRAPH=true enables it; in production it also needs ' +
        'SUBGRAPH_SECRET or SUBGRAPH_PORT unless SUBGRAPH=true is set)',
    );
  } else {
    logger.info(
      { url: gateway.subgraphUrl, secretRequired: config.subgraphSecret !== undefined },
      config.subgraphSecret === undefined
        ? `Federation subgraph at ${gateway.subgraphUrl}, open to any caller (set SUBGRAPH_SECRET to require the router's shared secret)`
        : `Federation subgraph at ${gateway.subgraphUrl}, for routers sending x-subgraph-secret`,
    );
  }

  // On a signal: readiness 503 at once, GraphQL served for the grace period (load balancers need
  // that long to stop routing here), then the listener closes and in-flight requests drain. A
  // second signal skips what is left of the grace period.
  let stopping = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    gateway
      .stop()
      .then(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  const shutdown = (signal: string) => {
    if (stopping) {
      if (graceTimer === undefined) return;
      clearTimeout(graceTimer);
      graceTimer = undefined;
      stop();
      return;
    }
    stopping = true;
    gateway.beginShutdown();
    logger.info(
      { signal, graceMs: config.shutdownGraceMs },
      'Shutting down: /readyz answers 503; GraphQL is served until the grace period ends',
    );
    graceTimer = setTimeout(() => {
      graceTimer = undefined;
      stop();
    }, config.shutdownGraceMs);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // A promise nobody awaited must not take every other request down with it (Node's default is
  // to exit): it is a bug, logged at error level by name only, and the gateway keeps serving.
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error(
      { error: { name: reason instanceof Error ? reason.name : typeof reason } },
      'Unhandled promise rejection (a bug: please report it); the gateway keeps serving',
    );
  });
}

/** How to reach one region's AppStream; `region` undefined: the one the AWS SDK resolves. */
interface RegionClient {
  readonly region: string | undefined;
  readonly options: AppStreamUpstreamOptions;
}

/**
 * The regions' client options, in configured order. With the embedded emulator, one emulator
 * per region (the first region seeded with `EMULATOR_SEED`, the next ones with the following
 * seeds, so each region shows its own data); with `aws`, one client per region of
 * `APPSTREAM_REGIONS` (with its `APPSTREAM_ENDPOINT_<REGION>`), or one client in the region the
 * SDK resolves.
 */
async function startClients(
  config: Config,
  logger: Logger,
  cleanups: Array<() => Promise<void> | void>,
): Promise<RegionClient[]> {
  const names = config.regions?.map(({ name }) => name) ?? [DEFAULT_REGION];
  if (config.upstream.kind === 'aws') {
    logger.info(
      {
        upstream: 'aws',
        regions: config.regions?.map(({ name }) => name) ?? 'sdk-default',
        // Which regions an APPSTREAM_ENDPOINT_<REGION> override sends elsewhere (never the URL).
        endpointOverrides: config.regions?.flatMap(({ name, endpoint }) =>
          endpoint === undefined ? [] : [name],
        ),
      },
      'Using AppStream through the AWS SDK default chains (AWS_REGION, credentials, AWS_ENDPOINT_URL_APPSTREAM)',
    );
    return (
      config.regions?.map(({ name, endpoint }) => ({
        region: name,
        options: { region: name, ...(endpoint === undefined ? {} : { endpoint }) },
      })) ?? [{ region: undefined, options: {} }]
    );
  }
  const { seed, sessions } = config.upstream;
  const { createEmulator } = await import('./emulator/index.js');
  const clients: RegionClient[] = [];
  for (const [index, region] of names.entries()) {
    const regionSeed = (seed + index) % 2 ** 31;
    const emulator = createEmulator({ seed: regionSeed, sessions });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => emulator.close());
    logger.info(
      { upstream: 'emulator', region, emulatorUrl: url, seed: regionSeed, sessions },
      `Using the embedded AppStream emulator with demo data for ${region} (${url}); set APPSTREAM_UPSTREAM=aws to use AppStream`,
    );
    clients.push({
      region,
      options: {
        endpoint: url,
        region,
        credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
      },
    });
  }
  return clients;
}

/**
 * The rate budget (`UPSTREAM_CALLS_PER_SECOND`) over the breaker of one account and region: in
 * Redis when `link` is given (shared by the replicas, per process while Redis is unavailable),
 * else per process. Callers wait for a slot up to their deadline (`UPSTREAM_DEADLINE_MS`) less
 * one attempt's time (`UPSTREAM_ATTEMPT_TIMEOUT_MS`, at most half the deadline).
 */
function withRateBudget(
  upstream: Upstream,
  config: Config,
  link: RedisLink | undefined,
  key: string,
): Upstream {
  const settings = config.rateBudget;
  if (settings === undefined) return upstream;
  const redis = config.redis;
  const limiter = createBudgetLimiter(
    settings,
    link === undefined || redis === undefined ? undefined : { link, prefix: redis.keyPrefix },
  );
  return createRateBudgetUpstream(upstream, {
    limiter,
    key,
    maxWaitMs: config.resilience.deadlineMs,
    callAllowanceMs: Math.min(config.resilience.attemptTimeoutMs, config.resilience.deadlineMs / 2),
  });
}

/** Says at start what is weaker than it should be in production: no auth, a throwaway key. */
function logSecurityWarnings(config: Config, logger: ReturnType<typeof createLogger>): void {
  if (config.auth.mode === 'none') {
    logger.warn(
      { auth: 'none' },
      'Authentication is off (AUTH_MODE=none): anyone who reaches the port reads every stack; ' +
        'set AUTH_MODE=jwt to require tokens',
    );
  } else {
    logger.info(
      {
        auth: 'jwt',
        issuer: config.auth.issuer,
        audience: config.auth.audience,
        keys: config.auth.keys.kind,
        stacksClaim: config.auth.stacksClaim,
      },
      'Authentication: JWT bearer tokens required on /graphql',
    );
  }
  if (config.signing.secret === null) {
    logger.warn(
      { cursorSecret: 'random' },
      'CURSOR_SECRET is not set: cursors and ids are sealed with a random per-process key and ' +
        'will not survive a restart or work across replicas',
    );
  }
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error: unknown) {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  throw error;
}
/** Which variable set the port a listener could not bind (the error carries the port). */
function portVariable(error: object): { port: number; variable: string } {
  const port = 'port' in error && typeof error.port === 'number' ? error.port : config.port;
  if (port === config.metricsPort) return { port, variable: 'METRICS_PORT' };
  if (port === config.subgraphPort) return { port, variable: 'SUBGRAPH_PORT' };
  return { port, variable: 'PORT' };
}

run(config).catch((error: unknown) => {
  const inUse =
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE'
      ? portVariable(error)
      : undefined;
  const reason =
    inUse !== undefined
      ? `port ${inUse.port} is already in use; set ${inUse.variable} to a free port`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`The gateway could not start: ${reason}\n`);
  process.exit(1);
});
