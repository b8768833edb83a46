import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { createEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { createGateway } from '../../src/server/gateway.js';
import type { Gateway, GatewayOptions } from '../../src/server/gateway.js';
import type { LiveSettings } from '../../src/live/index.js';
import { createAppStreamUpstream } from '../../src/upstream/appstream.js';
import type { AppStreamUpstreamOptions } from '../../src/upstream/appstream.js';
import { createCircuitBreakerUpstream } from '../../src/upstream/circuit-breaker.js';
import type { BreakerSnapshot, CircuitBreakerOptions } from '../../src/upstream/circuit-breaker.js';
import type { Upstream } from '../../src/upstream/types.js';

/** A GraphQL response as JSON, with just enough typing for assertions. */
export interface GraphQLResponse<D = Record<string, unknown>> {
  status: number;
  data?: D | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: { code?: string; [member: string]: unknown };
  }>;
}

export interface TestStack {
  readonly emulator: Emulator;
  readonly gateway: Gateway;
  /** Base URL of the gateway, for example `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The circuit breaker's state, when the stack was started with `breaker`. */
  breaker(): BreakerSnapshot | undefined;
  /** POSTs a GraphQL request over real HTTP and returns the parsed response. */
  graphql<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  /** POSTs a GraphQL request to the subgraph endpoint, with extra headers (e.g. the secret). */
  subgraph<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  close(): Promise<void>;
}

/** POSTs a GraphQL request over real HTTP and returns the status and the parsed body. */
export async function postGraphQL<D>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<D>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<D>, 'status'>;
  return { status: response.status, ...body };
}

/**
 * Starts the real thing on loopback: the emulator, the real AppStream SDK client pointed at it,
 * and the gateway's HTTP server, both on 127.0.0.1 port 0. `maxAttempts` defaults to 1 so that
 * call counts are exact (no SDK retries) unless a test asks otherwise.
 */
export async function startTestStack(
  options: {
    emulator?: EmulatorOptions;
    scanBound?: number;
    maxAttempts?: number;
    /** Wraps the real upstream, for tests that observe calls from the gateway's side. */
    wrapUpstream?: (upstream: Upstream) => Upstream;
    /** The gateway's logger (default: silent). */
    logger?: Logger;
    /** Browser origins allowed by CORS (default any). */
    corsOrigins?: '*' | readonly string[];
    /**
     * The page cache's TTL. Default 0 (off): most tests count the upstream calls of each request
     * and change the emulator's data between requests, which a cache would (by design) hide.
     */
    pageCacheTtlMs?: number;
    /** Serve `/metrics` on a port of its own. */
    metricsPort?: number;
    /** Authenticates requests (default: none). */
    authenticator?: GatewayOptions['authenticator'];
    /** Keys that sign cursors and ids (default: a random key per gateway). */
    signing?: GatewayOptions['signing'];
    /** Live updates (subscriptions): poll interval, outage bound, limits. */
    live?: Partial<LiveSettings>;
    /** How long after a token's expiry its WebSocket connection is closed. */
    expiryGraceMs?: number;
    /** Whether browsers get GraphiQL at `GET /graphql` (default false, as in production). */
    graphiql?: boolean;
    /** More options of the SDK client (timeouts, concurrency). */
    upstreamOptions?: AppStreamUpstreamOptions;
    /** Wraps the upstream in a circuit breaker, as `main.ts` does. */
    breaker?: Omit<CircuitBreakerOptions, 'region'>;
    /** More gateway options (security, limits, budgets, trusted documents). */
    gatewayOptions?: Omit<GatewayOptions, 'upstream' | 'logger'>;
    /** The subgraph endpoint's port and secret (default: `/subgraph` on the main port, open). */
    subgraph?: GatewayOptions['subgraph'];
  } = {},
): Promise<TestStack> {
  const emulator = createEmulator(options.emulator);
  const { url: endpoint } = await emulator.listen({ port: 0, host: '127.0.0.1' });
  const upstream = createAppStreamUpstream({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: options.maxAttempts ?? 1,
    ...options.upstreamOptions,
  });
  const guarded =
    options.breaker === undefined
      ? undefined
      : createCircuitBreakerUpstream(upstream, { region: 'us-east-1', ...options.breaker });
  const inner = guarded ?? upstream;
  const gateway = createGateway({
    ...options.gatewayOptions,
    upstream: options.wrapUpstream ? options.wrapUpstream(inner) : inner,
    logger: options.logger ?? pino({ level: 'silent' }),
    ...(options.scanBound === undefined ? {} : { scanBound: options.scanBound }),
    ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
    pageCache: { ttlMs: options.pageCacheTtlMs ?? 0 },
    ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
    ...(options.signing === undefined ? {} : { signing: options.signing }),
    ...(options.live === undefined ? {} : { live: options.live }),
    ...(options.expiryGraceMs === undefined ? {} : { expiryGraceMs: options.expiryGraceMs }),
    ...(options.graphiql === undefined ? {} : { graphiql: options.graphiql }),
    ...(guarded === undefined ? {} : { breakers: () => [guarded.breaker()] }),
    ...(options.subgraph === undefined ? {} : { subgraph: options.subgraph }),
  });
  const url = await gateway.start(0, '127.0.0.1');
  return {
    emulator,
    gateway,
    url,
    breaker: () => guarded?.breaker(),
    graphql: (query, variables, headers) =>
      postGraphQL(`${url}/graphql`, query, variables, headers),
    subgraph: (query, variables, headers) =>
      postGraphQL(gateway.subgraphUrl ?? `${url}/subgraph`, query, variables, headers),
    async close() {
      await gateway.stop();
      upstream.destroy();
      await emulator.close();
    },
  };
}

/**
 * Starts a {@link TestStack} for the enclosing test file (or describe block) and stops it after.
 * Before each test, injected faults are cleared, call accounting is reset and the emulator's
 * live options go back to what `options` asked for, so tests do not leak into one another.
 */
export function useTestStack(options: Parameters<typeof startTestStack>[0] = {}): TestStack {
  let current: TestStack | undefined;
  const get = (): TestStack => {
    if (current === undefined)
      throw new Error('The test stack is not started yet (use it inside a test).');
    return current;
  };
  beforeAll(async () => {
    current = await startTestStack(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    const { emulator } = get();
    emulator.faults.clear();
    emulator.calls.reset();
    emulator.options.emptyPageAtEnd = options.emulator?.emptyPageAtEnd ?? 'never';
    emulator.options.unknownNameInSessions = options.emulator?.unknownNameInSessions ?? 'error';
  });
  return {
    get emulator() {
      return get().emulator;
    },
    get gateway() {
      return get().gateway;
    },
    get url() {
      return get().url;
    },
    breaker: () => get().breaker(),
    graphql: (query, variables, headers) => get().graphql(query, variables, headers),
    subgraph: (query, variables, headers) => get().subgraph(query, variables, headers),
    close: () => get().close(),
  };
}
