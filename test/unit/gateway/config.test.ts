import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { problemsOf } from '../../helpers/config.js';

const DEFAULT_LIVE = {
  intervalMs: 5000,
  outageMs: 60_000,
  maxSubscriptions: 10_000,
  maxSubscriptionsPerConnection: 100,
  maxPollers: 50,
  maxListingsPerConnection: 10,
  maxMessageBytes: 65_536,
};

describe('loadConfig', () => {
  it('defaults to the embedded emulator on port 4000 on all interfaces', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      upstream: { kind: 'emulator', seed: 1, sessions: 600 },
      upstreamExplicit: false,
      logLevel: 'info',
      scanBound: 5000,
      maxConcurrency: 16,
      shutdownGraceMs: 5000,
      corsOrigins: '*',
      pageCache: { ttlMs: 5000, maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 },
      metricsPort: undefined,
      auth: { mode: 'none' },
      signing: { secret: null, previous: null },
      live: DEFAULT_LIVE,
      graphiql: true,
      subgraphEnabled: true,
      subgraphPort: undefined,
      subgraphSecret: undefined,
    });
  });

  it('reads PORT, HOST, APPSTREAM_UPSTREAM, LOG_LEVEL and SCAN_BOUND', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '127.0.0.1',
        APPSTREAM_UPSTREAM: 'aws',
        LOG_LEVEL: 'debug',
        SCAN_BOUND: '1000',
        APPSTREAM_MAX_CONCURRENCY: '4',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      }),
    ).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      upstream: { kind: 'aws' },
      upstreamExplicit: true,
      logLevel: 'debug',
      scanBound: 1000,
      maxConcurrency: 4,
      shutdownGraceMs: 5000,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      pageCache: { ttlMs: 5000, maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 },
      metricsPort: undefined,
      auth: { mode: 'none' },
      signing: { secret: null, previous: null },
      live: DEFAULT_LIVE,
      graphiql: true,
      subgraphEnabled: true,
      subgraphPort: undefined,
      subgraphSecret: undefined,
    });
  });

  it('reads the page cache bounds and METRICS_PORT; PAGE_CACHE_TTL_MS=0 turns the cache off', () => {
    const config = loadConfig({
      PAGE_CACHE_TTL_MS: '0',
      PAGE_CACHE_MAX_ENTRIES: '500',
      PAGE_CACHE_MAX_MB: '8',
      METRICS_PORT: '9464',
    });
    expect(config.pageCache).toEqual({ ttlMs: 0, maxEntries: 500, maxBytes: 8 * 1024 * 1024 });
    expect(config.metricsPort).toBe(9464);
    expect(problemsOf({ PAGE_CACHE_TTL_MS: '-5', METRICS_PORT: 'x' })).toEqual([
      'PAGE_CACHE_TTL_MS must be a plain decimal integer from 0 to 600000; got "-5".',
      'METRICS_PORT must be a plain decimal integer from 0 to 65535; got "x".',
    ]);
  });

  it('reads the live-updates settings and refuses a poll interval under one second', () => {
    expect(
      loadConfig({
        LIVE_POLL_INTERVAL_MS: '2000',
        LIVE_OUTAGE_MS: '30000',
        LIVE_MAX_SUBSCRIPTIONS: '500',
        LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '5',
        LIVE_MAX_POLLERS: '10',
        LIVE_MAX_MESSAGE_BYTES: '4096',
      }).live,
    ).toEqual({
      intervalMs: 2000,
      outageMs: 30_000,
      maxSubscriptions: 500,
      maxSubscriptionsPerConnection: 5,
      maxPollers: 10,
      maxListingsPerConnection: 10,
      maxMessageBytes: 4096,
    });
    expect(problemsOf({ LIVE_POLL_INTERVAL_MS: '100', LIVE_MAX_MESSAGE_BYTES: '10' })).toEqual([
      'LIVE_POLL_INTERVAL_MS must be a plain decimal integer from 1000 to 3600000; got "100".',
      'LIVE_MAX_MESSAGE_BYTES must be a plain decimal integer from 1024 to 16777216; got "10".',
    ]);
  });

  it('has development security settings and the documented limits by default', () => {
    const config = loadConfig({});
    expect(config.production).toBe(false);
    expect(config.security).toEqual({
      introspection: true,
      fieldSuggestions: true,
      csrfPrevention: true,
      maxBodyBytes: 1_048_576,
      allowBatchedHttpRequests: false,
      maxBatchSize: 10,
      trustedDocuments: null,
    });
    expect(config.limits).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxDirectives: 50,
      maxTokens: 5000,
      maxCost: 10_000,
      assumedListSize: 10,
      maxUpstreamCallsPerRequest: 120,
      maxResultItems: 10_000,
    });
    expect(config.resilience).toEqual({
      deadlineMs: 5000,
      attemptTimeoutMs: 2000,
      connectTimeoutMs: 1000,
      breakerFailureThreshold: 5,
      breakerHalfOpenAfterMs: 10_000,
    });
  });

  it('sets production defaults explicitly from NODE_ENV=production, each overridable', () => {
    const production = {
      NODE_ENV: 'production',
      APPSTREAM_UPSTREAM: 'aws',
      ALLOW_UNAUTHENTICATED: 'true',
    };
    expect(loadConfig(production).security).toMatchObject({
      introspection: false,
      fieldSuggestions: false,
      csrfPrevention: true,
      maxBodyBytes: 262_144,
    });
    expect(
      loadConfig({
        ...production,
        INTROSPECTION: 'true',
        FIELD_SUGGESTIONS: '1',
        CSRF_PREVENTION: 'false',
        MAX_BODY_BYTES: '4096',
        ALLOW_BATCHED_HTTP_REQUESTS: 'true',
        TRUSTED_DOCUMENTS: 'manifest.json',
      }).security,
    ).toEqual({
      introspection: true,
      fieldSuggestions: true,
      csrfPrevention: false,
      maxBodyBytes: 4096,
      allowBatchedHttpRequests: true,
      maxBatchSize: 10,
      trustedDocuments: 'manifest.json',
    });
  });

  it('reads every switch the same way: true/false in any case, 1/0', () => {
    const config = loadConfig({
      INTROSPECTION: 'TRUE',
      FIELD_SUGGESTIONS: '0',
      CSRF_PREVENTION: 'False',
      GRAPHIQL: '1',
      SUBGRAPH: '0',
      ALLOW_UNAUTHENTICATED: '1',
      NODE_ENV: 'production',
      APPSTREAM_UPSTREAM: 'aws',
      CURSOR_SECRET: 'x'.repeat(32),
    });
    expect(config.security).toMatchObject({
      introspection: true,
      fieldSuggestions: false,
      csrfPrevention: false,
    });
    expect(config.graphiql).toBe(true);
    expect(config.subgraphEnabled).toBe(false);
    expect(config.auth).toMatchObject({ mode: 'none' });
  });

  it('reports every bad limit and switch at once', () => {
    expect(
      problemsOf({ INTROSPECTION: 'maybe', MAX_QUERY_DEPTH: '0', UPSTREAM_DEADLINE_MS: 'soon' }),
    ).toEqual([
      'INTROSPECTION must be "true" or "false"; got "maybe".',
      'MAX_QUERY_DEPTH must be a plain decimal integer from 1 to 100; got "0".',
      'UPSTREAM_DEADLINE_MS must be a plain decimal integer from 10 to 600000; got "soon".',
    ]);
  });

  it('reads SUBGRAPH_PORT and SUBGRAPH_SECRET', () => {
    expect(
      loadConfig({ SUBGRAPH_PORT: '4001', SUBGRAPH_SECRET: 'a-long-router-secret' }),
    ).toMatchObject({ port: 4000, subgraphPort: 4001, subgraphSecret: 'a-long-router-secret' });
    expect(loadConfig({ SUBGRAPH_PORT: '', SUBGRAPH_SECRET: '' })).toMatchObject({
      subgraphEnabled: true,
      subgraphPort: undefined,
      subgraphSecret: undefined,
    });
  });

  it('serves /subgraph in production only behind SUBGRAPH_SECRET or SUBGRAPH_PORT, or with SUBGRAPH=true', () => {
    const production = {
      NODE_ENV: 'production',
      APPSTREAM_UPSTREAM: 'aws',
      AWS_REGION: 'us-east-1',
      ALLOW_UNAUTHENTICATED: 'true',
    };
    expect(loadConfig(production).subgraphEnabled).toBe(false);
    expect(
      loadConfig({ ...production, SUBGRAPH_SECRET: 'a-long-router-secret' }).subgraphEnabled,
    ).toBe(true);
    expect(loadConfig({ ...production, SUBGRAPH_PORT: '4001' }).subgraphEnabled).toBe(true);
    expect(loadConfig({ ...production, SUBGRAPH: 'true' }).subgraphEnabled).toBe(true);
    expect(loadConfig({ SUBGRAPH: 'false' }).subgraphEnabled).toBe(false);
    expect(loadConfig({}).subgraphEnabled).toBe(true);
    expect(problemsOf({ SUBGRAPH: 'yes' })).toEqual([
      'SUBGRAPH must be "true" or "false"; got "yes".',
    ]);
  });

  it('refuses a SUBGRAPH_PORT equal to PORT and a short SUBGRAPH_SECRET', () => {
    expect(problemsOf({ PORT: '4000', SUBGRAPH_PORT: '4000', SUBGRAPH_SECRET: 'short' })).toEqual([
      'SUBGRAPH_PORT must differ from PORT (4000); unset it to serve /subgraph on PORT.',
      'SUBGRAPH_SECRET must be at least 16 characters long; got 5.',
    ]);
    expect(problemsOf({ SUBGRAPH_PORT: '70000' })).toEqual([
      'SUBGRAPH_PORT must be a plain decimal integer from 0 to 65535; got "70000".',
    ]);
  });

  it('refuses a METRICS_PORT equal to PORT or SUBGRAPH_PORT', () => {
    expect(problemsOf({ PORT: '4000', METRICS_PORT: '4000' })).toEqual([
      'METRICS_PORT must differ from PORT (4000); unset it to serve /metrics on PORT.',
    ]);
    expect(problemsOf({ SUBGRAPH_PORT: '9464', METRICS_PORT: '9464' })).toEqual([
      'METRICS_PORT must differ from SUBGRAPH_PORT (9464).',
    ]);
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0', SUBGRAPH_PORT: '0' }).metricsPort).toBe(0);
  });

  it('sizes the emulator from EMULATOR_SEED and EMULATOR_SESSIONS', () => {
    expect(loadConfig({ EMULATOR_SEED: '7', EMULATOR_SESSIONS: '100000' }).upstream).toEqual({
      kind: 'emulator',
      seed: 7,
      sessions: 100_000,
    });
  });

  it('refuses the demo emulator by default in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', ALLOW_UNAUTHENTICATED: 'true' })).toEqual([
      expect.stringContaining('APPSTREAM_UPSTREAM must be set when NODE_ENV=production'),
    ]);
  });

  it('allows the emulator in production only when asked for explicitly', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        APPSTREAM_UPSTREAM: 'emulator',
        ALLOW_UNAUTHENTICATED: 'true',
      }).upstream.kind,
    ).toBe('emulator');
  });

  it('rejects CORS origins that are not bare origins', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com/path,app.example.com' })).toEqual([
      'CORS_ORIGINS must be "*" or a comma-separated list of origins like "https://app.example.com"; got "https://app.example.com/path".',
      'CORS_ORIGINS must be "*" or a comma-separated list of origins like "https://app.example.com"; got "app.example.com".',
    ]);
  });

  it('reports every problem at once, one line each', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        APPSTREAM_UPSTREAM: 'gcp',
        LOG_LEVEL: 'loud',
        SCAN_BOUND: '-1',
      }),
    ).toEqual([
      'PORT must be a plain decimal integer from 0 to 65535; got "eighty".',
      'SCAN_BOUND must be a plain decimal integer from 50 to 1000000; got "-1".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
      'APPSTREAM_UPSTREAM must be "emulator" or "aws"; got "gcp".',
    ]);
  });

  it('serves GraphiQL by default outside production, not in production; GRAPHIQL overrides both', () => {
    const production = {
      NODE_ENV: 'production',
      APPSTREAM_UPSTREAM: 'aws',
      ALLOW_UNAUTHENTICATED: 'true',
    };
    expect(loadConfig({}).graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).graphiql).toBe(true);
    expect(loadConfig(production).graphiql).toBe(false);
    expect(loadConfig({ ...production, GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'FALSE' }).graphiql).toBe(false);
    expect(loadConfig({ GRAPHIQL: ' ' }).graphiql).toBe(true);
  });

  it('with APPSTREAM_UPSTREAM=aws, rejects a malformed AWS_REGION and a non-http(s) endpoint', () => {
    expect(
      problemsOf({
        APPSTREAM_UPSTREAM: 'aws',
        AWS_REGION: 'EU West 1',
        AWS_ENDPOINT_URL_APPSTREAM: 'localhost:4566',
      }),
    ).toEqual([
      'AWS_REGION must be an AWS region name such as "eu-west-1"; got "EU West 1".',
      'AWS_ENDPOINT_URL_APPSTREAM must be an http:// or https:// URL; got "localhost:4566".',
    ]);
    expect(
      problemsOf({ APPSTREAM_UPSTREAM: 'aws', AWS_ENDPOINT_URL_APPSTREAM: 'ftp://x' }),
    ).toEqual(['AWS_ENDPOINT_URL_APPSTREAM must be an http:// or https:// URL; got "ftp://x".']);
    const aws = { APPSTREAM_UPSTREAM: 'aws', AWS_REGION: 'eu-west-1' };
    expect(
      loadConfig({ ...aws, AWS_ENDPOINT_URL_APPSTREAM: 'http://127.0.0.1:4566' }).upstream,
    ).toEqual({ kind: 'aws' });
  });

  it('rejects a GRAPHIQL that is not true or false, with the other problems', () => {
    expect(problemsOf({ GRAPHIQL: 'yes', PORT: 'x' })).toEqual([
      'PORT must be a plain decimal integer from 0 to 65535; got "x".',
      'GRAPHIQL must be "true" or "false"; got "yes".',
    ]);
  });

  describe('numeric variables take plain decimal integers only', () => {
    const NUMERIC = [
      'PORT',
      'SCAN_BOUND',
      'APPSTREAM_MAX_CONCURRENCY',
      'EMULATOR_SEED',
      'EMULATOR_SESSIONS',
      'PAGE_CACHE_TTL_MS',
      'PAGE_CACHE_MAX_ENTRIES',
      'PAGE_CACHE_MAX_MB',
      'UPSTREAM_CALLS_PER_SECOND',
      'REDIS_COMMAND_TIMEOUT_MS',
      'METRICS_PORT',
      'LIVE_POLL_INTERVAL_MS',
      'LIVE_OUTAGE_MS',
      'LIVE_MAX_SUBSCRIPTIONS',
      'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION',
      'LIVE_MAX_POLLERS',
      'LIVE_MAX_MESSAGE_BYTES',
    ];
    it.each(['0x10', '1e3', '1.0', '+5', '-0', '0b11', '0o7', '1_000', '10 0', 'Infinity', '١٢'])(
      'rejects %j in every numeric variable, naming the variable',
      (raw) => {
        for (const name of NUMERIC) {
          const problems = problemsOf({ [name]: raw });
          expect(problems).toHaveLength(1);
          expect(problems[0]).toMatch(
            new RegExp(`^${name} must be a plain decimal integer from \\d+ to \\d+`),
          );
          expect(problems[0]).toContain(JSON.stringify(raw));
        }
      },
    );

    it('accepts plain decimal digits, ignoring surrounding whitespace', () => {
      expect(loadConfig({ PORT: ' 5 ', SCAN_BOUND: '0100', EMULATOR_SEED: '0' })).toMatchObject({
        port: 5,
        scanBound: 100,
        upstream: { kind: 'emulator', seed: 0 },
      });
    });

    it('reports every bad numeric variable at once', () => {
      expect(problemsOf({ PORT: '0x10', SCAN_BOUND: '1e3' })).toEqual([
        'PORT must be a plain decimal integer from 0 to 65535; got "0x10".',
        'SCAN_BOUND must be a plain decimal integer from 50 to 1000000; got "1e3".',
      ]);
    });
  });
});
