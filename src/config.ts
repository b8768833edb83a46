/**
 * Configuration, read once from the environment by `main.ts` and validated as a whole: every
 * problem is reported at once, one line each, so an operator fixes them in one go.
 */

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

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly upstream: UpstreamConfig;
  /** Whether `APPSTREAM_UPSTREAM` was set explicitly (false means the emulator was chosen by default). */
  readonly upstreamExplicit: boolean;
  readonly logLevel: LogLevel;
  /** Most upstream items one connection field may scan (for `last`/`before`, `totalCount`, filters). */
  readonly scanBound: number;
  /** Most AppStream calls in flight at once, across all requests. */
  readonly maxConcurrency: number;
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

type Env = Readonly<Record<string, string | undefined>>;

function readInt(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}; got "${raw}".`);
    return fallback;
  }
  return value;
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
  } else if (rawUpstream === '' && env.NODE_ENV === 'production') {
    problems.push(
      'APPSTREAM_UPSTREAM must be set when NODE_ENV=production: use "aws" for AppStream ' +
        '(the embedded emulator serves demo data and is never chosen by default in production).',
    );
  } else if (rawUpstream !== '' && rawUpstream !== 'emulator') {
    problems.push(`APPSTREAM_UPSTREAM must be "emulator" or "aws"; got "${rawUpstream}".`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: host === '' ? '0.0.0.0' : host,
    upstream,
    upstreamExplicit: rawUpstream !== '',
    logLevel,
    scanBound,
    maxConcurrency,
    corsOrigins,
    pageCache,
    metricsPort,
  };
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
