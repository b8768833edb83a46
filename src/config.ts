/**
 * Configuration, read once from the environment by `main.ts` and validated as a whole: every
 * problem is reported at once, one line each, so an operator fixes them in one go.
 */

import { readRegions } from './config-regions.js';
import type { RegionConfig } from './config-regions.js';

export type { RegionConfig } from './config-regions.js';

export type UpstreamConfig =
  | {
      /** The embedded AppStream emulator with deterministic demo data. Never for production. */
      readonly kind: 'emulator';
      readonly seed: number;
      readonly sessions: number;
    }
  | {
      /** Real AppStream through the SDK's default credential, region and endpoint chains. */
      readonly kind: 'aws';
    };

/** Where the public keys that verify tokens come from. */
export type AuthKeySource =
  /** A JSON Web Key Set URL (the identity provider's `jwks_uri`), fetched and cached by `jose`. */
  | { readonly kind: 'jwks'; readonly url: string }
  /** One PEM-encoded public key (SPKI): RSA (RS256, PS256, ...), EC (ES256, ...) or Ed25519. */
  | { readonly kind: 'pem'; readonly pem: string };

/** How callers are authenticated (see `src/policy/auth.ts`). */
export type AuthConfig =
  | {
      /** No authentication: every caller sees every stack. Logged as a warning at start. */
      readonly mode: 'none';
    }
  | {
      /** Every `/graphql` request carries `Authorization: Bearer <JWT>`, verified with `jose`. */
      readonly mode: 'jwt';
      readonly keys: AuthKeySource;
      /** The `iss` every token must carry. */
      readonly issuer: string;
      /** Accepted `aud` values (a token must name at least one). */
      readonly audience: readonly string[];
      /** The claim listing the stacks the caller may see (`*`: every stack). */
      readonly stacksClaim: string;
    };

/** The secrets that the keys sealing cursors and global ids derive from. Never log these. */
export interface SigningConfig {
  /** `CURSOR_SECRET`; null means a random key per process (cursors die with it). */
  readonly secret: string | null;
  /** `CURSOR_SECRET_PREVIOUS`: still opens cursors and ids, never seals new ones. */
  readonly previous: string | null;
}

/**
 * Security settings with production defaults: each is set explicitly from `NODE_ENV=production`
 * (never inherited from `NODE_ENV` being unset) and overridable by its own variable.
 */
export interface SecurityConfig {
  /** `INTROSPECTION`: whether `__schema`/`__type` are answered (default: off in production). */
  readonly introspection: boolean;
  /** `FIELD_SUGGESTIONS`: whether validation errors suggest names (default: off in production). */
  readonly fieldSuggestions: boolean;
  /** `CSRF_PREVENTION`: Apollo's CSRF prevention (default: on). */
  readonly csrfPrevention: boolean;
  /** `MAX_BODY_BYTES`: largest request body (default 1 MiB; 256 KiB in production). */
  readonly maxBodyBytes: number;
  /** `ALLOW_BATCHED_HTTP_REQUESTS`: whether a JSON array of operations is accepted (default off). */
  readonly allowBatchedHttpRequests: boolean;
  /** `MAX_BATCH_SIZE`: most operations in one batched request (default 10). */
  readonly maxBatchSize: number;
  /** `TRUSTED_DOCUMENTS`: path of a persisted-query manifest; only its operations run. */
  readonly trustedDocuments: string | null;
}

/** Query limits and per-request budgets (see `src/policy/`). */
export interface LimitsConfig {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxCost: number;
  /** Items a plain list is assumed to hold when pricing a query. */
  readonly assumedListSize: number;
  readonly maxUpstreamCallsPerRequest: number;
  readonly maxResultItems: number;
}

/** The optional shared layer of scaled-out replicas (`REDIS_URL`). Never log `url`. */
export interface RedisConfig {
  /** `REDIS_URL`: `redis://[user:password@]host:port[/db]` or `rediss://` (TLS). */
  readonly url: string;
  /** `REDIS_COMMAND_TIMEOUT_MS`: slower commands count as failures (fallback to per-process). */
  readonly commandTimeoutMs: number;
  /** `REDIS_KEY_PREFIX`: namespace of the gateway's keys (one per deployment sharing a Redis). */
  readonly keyPrefix: string;
}

/** The AppStream rate budget per account and region (`UPSTREAM_CALLS_PER_SECOND`). */
export interface RateBudgetConfig {
  readonly ratePerSecond: number;
  /** `UPSTREAM_CALLS_BURST` (default: one second's worth, `ratePerSecond`). */
  readonly burst: number;
}

/** Timeouts, deadline and circuit breaker of the AppStream client. */
export interface ResilienceConfig {
  readonly deadlineMs: number;
  readonly attemptTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly breakerFailureThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
}

export interface Config {
  /** `NODE_ENV=production`: production defaults for {@link SecurityConfig}. */
  readonly production: boolean;
  readonly security: SecurityConfig;
  readonly limits: LimitsConfig;
  readonly resilience: ResilienceConfig;
  readonly port: number;
  readonly host: string;
  readonly upstream: UpstreamConfig;
  /**
   * `APPSTREAM_REGIONS`, in order (the first is the default region of every query); undefined:
   * one region, as before regions existed (the emulator's `us-east-1`, or the region the AWS SDK
   * resolves).
   */
  readonly regions: readonly RegionConfig[] | undefined;
  /** Whether `APPSTREAM_UPSTREAM` was set explicitly (false means the emulator was chosen by default). */
  readonly upstreamExplicit: boolean;
  readonly logLevel: LogLevel;
  /** Most upstream items one connection field may scan (for `last`/`before`, `totalCount`, filters). */
  readonly scanBound: number;
  /** Most AppStream calls in flight at once, across all requests. */
  readonly maxConcurrency: number;
  /** After SIGTERM/SIGINT, how long readiness answers 503 while requests are still served. */
  readonly shutdownGraceMs: number;
  /** Browser origins allowed to call the gateway (CORS): any (`'*'`) or an explicit list. */
  readonly corsOrigins: '*' | readonly string[];
  /** The cross-request page cache: time to live (0: off), most entries, most bytes. */
  readonly pageCache: {
    readonly ttlMs: number;
    readonly maxEntries: number;
    readonly maxBytes: number;
  };
  /** A port of its own for `/metrics`; undefined serves it beside `/graphql`. */
  readonly metricsPort: number | undefined;
  readonly auth: AuthConfig;
  readonly signing: SigningConfig;
  /** Live updates (subscriptions): poll interval, outage bound and limits. */
  readonly live: LiveConfig;
  /** Whether browsers get GraphiQL at `GET /graphql`: on by default, off under `NODE_ENV=production`. */
  readonly graphiql: boolean;
  /**
   * `SUBGRAPH`: whether the Federation subgraph endpoint is served. Default: on, except in
   * production without `SUBGRAPH_SECRET` or `SUBGRAPH_PORT` (it would be open to anyone who
   * reaches the public port, introspection-like `_service` included).
   */
  readonly subgraphEnabled: boolean;
  /** The port of the Federation subgraph endpoint; undefined: `/subgraph` on `port`. */
  readonly subgraphPort: number | undefined;
  /** The secret routers must send in `x-subgraph-secret`; undefined: none required. */
  readonly subgraphSecret: string | undefined;
  /** Redis for shared state between replicas; undefined: every process on its own. */
  readonly redis: RedisConfig | undefined;
  /** The AppStream rate budget; undefined (the default): no budget beyond AppStream's own. */
  readonly rateBudget: RateBudgetConfig | undefined;
}

/** Shortest `SUBGRAPH_SECRET` accepted: a secret a router shares should not be guessable. */
export const MIN_SUBGRAPH_SECRET_LENGTH = 16;

/** Live updates: see the README's configuration table and its subscriptions section. */
export interface LiveConfig {
  /** Time between two polls of a watched listing. */
  readonly intervalMs: number;
  /** Failed polls for this long end the listing's subscriptions with LIVE_UPDATES_INTERRUPTED. */
  readonly outageMs: number;
  readonly maxSubscriptions: number;
  readonly maxSubscriptionsPerConnection: number;
  readonly maxPollers: number;
  readonly maxListingsPerConnection: number;
  /** Largest WebSocket message a client may send, in bytes. */
  readonly maxMessageBytes: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown by {@link loadConfig}; `problems` has one human-readable line per bad variable. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A numeric variable: plain decimal digits only (surrounding whitespace ignored), from `min` to
 * `max`; unset or blank means `fallback`. `0x10`, `1e3`, `1.0`, `+5`, `-0` and `1_000` are
 * rejected, naming the variable, rather than read the way `Number()` would read them.
 */
export function readInt(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const digits = raw.trim();
  const value = /^[0-9]{1,15}$/.test(digits) ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(
      `${name} must be a plain decimal integer from ${min} to ${max}; got ${JSON.stringify(raw)}.`,
    );
    return fallback;
  }
  return value;
}

function readSecurity(env: Env, production: boolean, problems: string[]): SecurityConfig {
  const path = env.TRUSTED_DOCUMENTS?.trim() ?? '';
  return {
    introspection: readBoolean(env, 'INTROSPECTION', !production, problems),
    fieldSuggestions: readBoolean(env, 'FIELD_SUGGESTIONS', !production, problems),
    csrfPrevention: readBoolean(env, 'CSRF_PREVENTION', true, problems),
    maxBodyBytes: readInt(
      env,
      'MAX_BODY_BYTES',
      production ? 262_144 : 1_048_576,
      1024,
      16_777_216,
      problems,
    ),
    allowBatchedHttpRequests: readBoolean(env, 'ALLOW_BATCHED_HTTP_REQUESTS', false, problems),
    maxBatchSize: readInt(env, 'MAX_BATCH_SIZE', 10, 1, 100, problems),
    trustedDocuments: path === '' ? null : path,
  };
}

function readLimits(env: Env, problems: string[]): LimitsConfig {
  const int = (name: string, fallback: number, min: number, max: number) =>
    readInt(env, name, fallback, min, max, problems);
  return {
    maxDepth: int('MAX_QUERY_DEPTH', 12, 1, 100),
    maxAliases: int('MAX_QUERY_ALIASES', 30, 0, 10_000),
    maxDirectives: int('MAX_QUERY_DIRECTIVES', 50, 0, 10_000),
    maxTokens: int('MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
    maxCost: int('MAX_QUERY_COST', 10_000, 1, 100_000_000),
    assumedListSize: int('QUERY_COST_LIST_SIZE', 10, 1, 10_000),
    maxUpstreamCallsPerRequest: int('MAX_UPSTREAM_CALLS_PER_REQUEST', 120, 1, 100_000),
    maxResultItems: int('MAX_RESULT_ITEMS', 10_000, 1, 10_000_000),
  };
}

function readResilience(env: Env, problems: string[]): ResilienceConfig {
  const int = (name: string, fallback: number, min: number, max: number) =>
    readInt(env, name, fallback, min, max, problems);
  return {
    deadlineMs: int('UPSTREAM_DEADLINE_MS', 5000, 10, 600_000),
    attemptTimeoutMs: int('UPSTREAM_ATTEMPT_TIMEOUT_MS', 2000, 10, 600_000),
    connectTimeoutMs: int('UPSTREAM_CONNECT_TIMEOUT_MS', 1000, 10, 600_000),
    breakerFailureThreshold: int('BREAKER_FAILURE_THRESHOLD', 5, 1, 1000),
    breakerHalfOpenAfterMs: int('BREAKER_HALF_OPEN_AFTER_MS', 10_000, 10, 3_600_000),
  };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Parses and validates the environment. Throws a {@link ConfigError} listing every problem.
 *
 * With no `APPSTREAM_UPSTREAM`, the embedded emulator is used, except under
 * `NODE_ENV=production`, where an explicit choice is required so that demo data is never served
 * in production by accident.
 */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const port = readInt(env, 'PORT', 4000, 0, 65_535, problems);
  const host = env.HOST?.trim() ?? '';
  const scanBound = readInt(env, 'SCAN_BOUND', 5000, 50, 1_000_000, problems);
  const seed = readInt(env, 'EMULATOR_SEED', 1, 0, 2 ** 31 - 1, problems);
  const sessions = readInt(env, 'EMULATOR_SESSIONS', 600, 0, 1_000_000, problems);
  const maxConcurrency = readInt(env, 'APPSTREAM_MAX_CONCURRENCY', 16, 1, 256, problems);
  const shutdownGraceMs = readInt(env, 'SHUTDOWN_GRACE_MS', 5000, 0, 300_000, problems);
  const corsOrigins = readOrigins(env, problems);
  const pageCache = {
    ttlMs: readInt(env, 'PAGE_CACHE_TTL_MS', 5000, 0, 600_000, problems),
    maxEntries: readInt(env, 'PAGE_CACHE_MAX_ENTRIES', 10_000, 1, 1_000_000, problems),
    maxBytes: readInt(env, 'PAGE_CACHE_MAX_MB', 32, 1, 4096, problems) * 1024 * 1024,
  };
  const metricsPort =
    (env.METRICS_PORT ?? '').trim() === ''
      ? undefined
      : readInt(env, 'METRICS_PORT', 0, 0, 65_535, problems);
  const auth = readAuth(env, problems);
  const signing = readSigning(env, problems);
  const subgraph = readSubgraph(env, port, problems);
  if (metricsPort !== undefined && metricsPort !== 0) {
    if (metricsPort === port) {
      problems.push(
        `METRICS_PORT must differ from PORT (${port}); unset it to serve /metrics on PORT.`,
      );
    } else if (metricsPort === subgraph.subgraphPort) {
      problems.push(`METRICS_PORT must differ from SUBGRAPH_PORT (${metricsPort}).`);
    }
  }
  const live: LiveConfig = {
    intervalMs: readInt(env, 'LIVE_POLL_INTERVAL_MS', 5000, 1000, 3_600_000, problems),
    outageMs: readInt(env, 'LIVE_OUTAGE_MS', 60_000, 1000, 86_400_000, problems),
    maxSubscriptions: readInt(env, 'LIVE_MAX_SUBSCRIPTIONS', 10_000, 0, 1_000_000, problems),
    maxSubscriptionsPerConnection: readInt(
      env,
      'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION',
      100,
      0,
      100_000,
      problems,
    ),
    maxPollers: readInt(env, 'LIVE_MAX_POLLERS', 50, 0, 100_000, problems),
    maxListingsPerConnection: readInt(
      env,
      'LIVE_MAX_LISTINGS_PER_CONNECTION',
      10,
      1,
      100_000,
      problems,
    ),
    maxMessageBytes: readInt(env, 'LIVE_MAX_MESSAGE_BYTES', 65_536, 1024, 16_777_216, problems),
  };
  const graphiql = readBoolean(env, 'GRAPHIQL', env.NODE_ENV !== 'production', problems);
  const production = env.NODE_ENV === 'production';
  const security = readSecurity(env, production, problems);
  const limits = readLimits(env, problems);
  const resilience = readResilience(env, problems);
  const shared = readShared(env, signing, problems);

  const rawLevel = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  let logLevel: LogLevel = 'info';
  if (isLogLevel(rawLevel)) logLevel = rawLevel;
  else
    problems.push(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${env.LOG_LEVEL ?? ''}".`,
    );

  const rawUpstream = env.APPSTREAM_UPSTREAM?.trim() ?? '';
  let upstream: UpstreamConfig = { kind: 'emulator', seed, sessions };
  if (rawUpstream === 'aws') {
    upstream = { kind: 'aws' };
    problems.push(...awsProblems(env));
  } else if (rawUpstream === '' && env.NODE_ENV === 'production') {
    problems.push(
      'APPSTREAM_UPSTREAM must be set when NODE_ENV=production: use "aws" for AppStream ' +
        '(the embedded emulator serves demo data and is never chosen by default in production).',
    );
  } else if (rawUpstream !== '' && rawUpstream !== 'emulator') {
    problems.push(`APPSTREAM_UPSTREAM must be "emulator" or "aws"; got "${rawUpstream}".`);
  }

  const regions = readRegions(env, rawUpstream === 'aws' ? 'aws' : 'emulator', problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    regions,
    production,
    security,
    limits,
    resilience,
    port,
    host: host === '' ? '0.0.0.0' : host,
    upstream,
    upstreamExplicit: rawUpstream !== '',
    logLevel,
    scanBound,
    maxConcurrency,
    shutdownGraceMs,
    corsOrigins,
    pageCache,
    metricsPort,
    auth,
    signing,
    live,
    graphiql,
    ...subgraph,
    ...shared,
  };
}

/**
 * What is wrong with the AWS SDK's own variables for `APPSTREAM_UPSTREAM=aws`: a malformed
 * `AWS_REGION`, an `AWS_ENDPOINT_URL_APPSTREAM` that is not an http(s) URL. A region that is not
 * set at all may still come from the SDK's other sources (the profile's config file, EC2 instance
 * metadata): `main.ts` asks the SDK and refuses to start when it finds none.
 */
function awsProblems(env: Env): string[] {
  const problems: string[] = [];
  const region = env.AWS_REGION?.trim() ?? '';
  if (region !== '' && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    problems.push(`AWS_REGION must be an AWS region name such as "eu-west-1"; got "${region}".`);
  }
  const endpoint = env.AWS_ENDPOINT_URL_APPSTREAM?.trim() ?? '';
  if (endpoint !== '' && !/^https?:$/.test(URL.parse(endpoint)?.protocol ?? '')) {
    problems.push(
      `AWS_ENDPOINT_URL_APPSTREAM must be an http:// or https:// URL; got "${endpoint}".`,
    );
  }
  return problems;
}

/**
 * `REDIS_URL` (with its timeout and key prefix) and the rate budget. Replicas sharing Redis serve
 * each other's clients, so they must verify each other's cursors and ids: `CURSOR_SECRET` is
 * required with `REDIS_URL`.
 */
function readShared(
  env: Env,
  signing: SigningConfig,
  problems: string[],
): Pick<Config, 'redis' | 'rateBudget'> {
  const rate = readInt(env, 'UPSTREAM_CALLS_PER_SECOND', 0, 0, 100_000, problems);
  const burst = readInt(env, 'UPSTREAM_CALLS_BURST', rate, 1, 100_000, problems);
  if (rate === 0 && (env.UPSTREAM_CALLS_BURST ?? '').trim() !== '') {
    problems.push('UPSTREAM_CALLS_BURST needs UPSTREAM_CALLS_PER_SECOND (the budget it bursts).');
  }
  const commandTimeoutMs = readInt(env, 'REDIS_COMMAND_TIMEOUT_MS', 250, 10, 60_000, problems);
  const keyPrefix = env.REDIS_KEY_PREFIX ?? 'appstream-gateway:';
  const url = env.REDIS_URL?.trim() ?? '';
  const rateBudget = rate === 0 ? undefined : { ratePerSecond: rate, burst };
  if (url === '') return { redis: undefined, rateBudget };
  if (!/^rediss?:\/\/[^\s]+$/.test(url)) {
    problems.push(
      'REDIS_URL must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379).',
    );
  } else if (!/^\/?\d*$/.test(URL.parse(url)?.pathname ?? '')) {
    // The client would otherwise use database 0, or fail SELECT at every connection. The URL
    // itself is never echoed (it may hold a password).
    problems.push(
      'REDIS_URL may end in a database number only (redis://127.0.0.1:6379/0); its path is not one.',
    );
  }
  if (signing.secret === null) {
    problems.push(
      "REDIS_URL needs CURSOR_SECRET: replicas sharing Redis serve each other's clients, so set " +
        'the same CURSOR_SECRET on every replica.',
    );
  }
  return { redis: { url, commandTimeoutMs, keyPrefix }, rateBudget };
}

/**
 * A switch: `true` or `false` (case-insensitive; `1` and `0` are read the same way, as some
 * deployment tools write them); unset or empty means `fallback`. Every boolean variable reads
 * through here, so they all accept the same values.
 */
function readBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be "true" or "false"; got "${env[name] ?? ''}".`);
  return fallback;
}

/** `SUBGRAPH`, `SUBGRAPH_PORT` (a port other than `PORT`) and `SUBGRAPH_SECRET`. */
function readSubgraph(
  env: Env,
  port: number,
  problems: string[],
): Pick<Config, 'subgraphEnabled' | 'subgraphPort' | 'subgraphSecret'> {
  const rawPort = env.SUBGRAPH_PORT?.trim() ?? '';
  let subgraphPort: number | undefined;
  if (rawPort !== '') {
    subgraphPort = readInt(env, 'SUBGRAPH_PORT', 0, 0, 65_535, problems);
    if (subgraphPort !== 0 && subgraphPort === port) {
      problems.push(
        `SUBGRAPH_PORT must differ from PORT (${port}); unset it to serve /subgraph on PORT.`,
      );
    }
  }
  const secret = env.SUBGRAPH_SECRET;
  if (secret !== undefined && secret !== '' && secret.length < MIN_SUBGRAPH_SECRET_LENGTH) {
    problems.push(
      `SUBGRAPH_SECRET must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters long; got ${secret.length}.`,
    );
  }
  const subgraphSecret = secret === '' ? undefined : secret;
  const guarded = subgraphSecret !== undefined || subgraphPort !== undefined;
  const subgraphEnabled = readBoolean(
    env,
    'SUBGRAPH',
    env.NODE_ENV !== 'production' || guarded,
    problems,
  );
  return { subgraphEnabled, subgraphPort, subgraphSecret };
}

/** `CORS_ORIGINS`: unset or `*` for any origin, else a comma-separated list of origins. */
function readOrigins(env: Env, problems: string[]): '*' | readonly string[] {
  const raw = env.CORS_ORIGINS?.trim() ?? '';
  if (raw === '' || raw === '*') return '*';
  const origins = raw.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      problems.push(
        `CORS_ORIGINS must be "*" or a comma-separated list of origins like "https://app.example.com"; got "${origin}".`,
      );
    }
  }
  return origins;
}

/** Least length of `CURSOR_SECRET` and `CURSOR_SECRET_PREVIOUS`, in bytes (UTF-8). */
export const MIN_CURSOR_SECRET_BYTES = 32;

function readSigning(env: Env, problems: string[]): SigningConfig {
  const read = (name: string): string | null => {
    const raw = env[name] ?? '';
    if (raw === '') return null;
    if (Buffer.byteLength(raw, 'utf8') < MIN_CURSOR_SECRET_BYTES) {
      problems.push(
        `${name} must be at least ${MIN_CURSOR_SECRET_BYTES} bytes long (for example the output ` +
          'of `openssl rand -base64 48`).',
      );
    }
    return raw;
  };
  const secret = read('CURSOR_SECRET');
  const previous = read('CURSOR_SECRET_PREVIOUS');
  if (previous !== null && secret === null) {
    problems.push('CURSOR_SECRET_PREVIOUS needs CURSOR_SECRET (the key that seals from now on).');
  }
  return { secret, previous };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `AUTH_MODE` and the variables of `jwt` mode. Outside production the default is `none`; in
 * production an explicit decision is required: `AUTH_MODE=jwt`, or `ALLOW_UNAUTHENTICATED=true`
 * (with `AUTH_MODE` unset or `none`).
 */
function readAuth(env: Env, problems: string[]): AuthConfig {
  const mode = env.AUTH_MODE?.trim() ?? '';
  const allowUnauthenticated = readBoolean(env, 'ALLOW_UNAUTHENTICATED', false, problems);
  const production = env.NODE_ENV === 'production';
  if (mode === '' || mode === 'none') {
    if (production && !allowUnauthenticated) {
      problems.push(
        mode === ''
          ? 'NODE_ENV=production needs an authentication decision: set AUTH_MODE=jwt (with ' +
              'AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL or AUTH_PUBLIC_KEY), or ' +
              'ALLOW_UNAUTHENTICATED=true to let anyone who reaches the port read every stack.'
          : 'AUTH_MODE=none in production also needs ALLOW_UNAUTHENTICATED=true (anyone who ' +
              'reaches the port reads every stack); or set AUTH_MODE=jwt.',
      );
    }
    return { mode: 'none' };
  }
  if (mode !== 'jwt') {
    problems.push(`AUTH_MODE must be "jwt" or "none"; got "${mode}".`);
    return { mode: 'none' };
  }
  const required = (name: string): string => {
    const value = env[name]?.trim() ?? '';
    if (value === '') problems.push(`${name} must be set when AUTH_MODE=jwt.`);
    return value;
  };
  const issuer = required('AUTH_ISSUER');
  const audience = required('AUTH_AUDIENCE')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const stacksClaim = env.AUTH_STACKS_CLAIM?.trim() || 'appstream_stacks';
  const jwksUrl = env.AUTH_JWKS_URL?.trim() ?? '';
  // Multi-line PEMs are often passed with literal "\n" in one-line environments.
  const pem = (env.AUTH_PUBLIC_KEY ?? '').replaceAll('\\n', '\n').trim();
  let keys: AuthKeySource = { kind: 'jwks', url: jwksUrl };
  if ((jwksUrl === '') === (pem === '')) {
    problems.push('AUTH_MODE=jwt needs exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_KEY.');
  } else if (pem !== '') {
    keys = { kind: 'pem', pem };
    if (!/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/.test(pem)) {
      problems.push(
        'AUTH_PUBLIC_KEY must be a PEM public key ("-----BEGIN PUBLIC KEY-----" ... ' +
          '"-----END PUBLIC KEY-----"; "\\n" may stand for line breaks).',
      );
    }
  } else {
    let url: URL | undefined;
    try {
      url = new URL(jwksUrl);
    } catch {
      url = undefined;
    }
    if (
      url?.protocol !== 'https:' &&
      !(url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
    ) {
      problems.push(
        `AUTH_JWKS_URL must be an https:// URL (http:// only on localhost); got "${jwksUrl}".`,
      );
    }
  }
  return { mode: 'jwt', keys, issuer, audience, stacksClaim };
}
