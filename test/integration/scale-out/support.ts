import { pino } from 'pino';
import type { Logger } from 'pino';
import { createGateway } from '../../../src/server/gateway.js';
import type { Gateway, GatewayOptions } from '../../../src/server/gateway.js';
import { createRedisLink } from '../../../src/shared/redis.js';
import type { RedisLink } from '../../../src/shared/redis.js';
import { createBudgetLimiter } from '../../../src/shared/redis-rate-limiter.js';
import { createAppStreamUpstream } from '../../../src/upstream/appstream.js';
import { createCircuitBreakerUpstream } from '../../../src/upstream/circuit-breaker.js';
import { createRateBudgetUpstream, rateBudgetKey } from '../../../src/upstream/rate-budget.js';
import type { RateSettings } from '../../../src/upstream/rate-budget.js';
import { postGraphQL } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';
import { TEST_SECRET } from '../../helpers/signing.js';

/** One replica: its own SDK client, breaker, rate budget, Redis link and gateway, as `main.ts` wires them. */
export interface Replica {
  readonly gateway: Gateway;
  readonly url: string;
  readonly link: RedisLink | undefined;
  graphql<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  /** GET /readyz, parsed. */
  readyz(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** GET /metrics as text. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export const KEY_PREFIX = 'test-gateway:';

export async function startReplica(options: {
  readonly emulatorUrl: string;
  readonly redisUrl?: string;
  readonly rate?: RateSettings;
  readonly pageCacheTtlMs?: number;
  readonly deadlineMs?: number;
  readonly authenticator?: GatewayOptions['authenticator'];
  readonly logger?: Logger;
  /** How often a fallen-back link probes Redis (default 1000 ms). */
  readonly probeIntervalMs?: number;
}): Promise<Replica> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const sdk = createAppStreamUpstream({
    endpoint: options.emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const breaker = createCircuitBreakerUpstream(sdk, { region: 'us-east-1' });
  const link =
    options.redisUrl === undefined
      ? undefined
      : createRedisLink({
          url: options.redisUrl,
          commandTimeoutMs: 250,
          logger,
          ...(options.probeIntervalMs === undefined
            ? {}
            : { probeIntervalMs: options.probeIntervalMs }),
        });
  const deadlineMs = options.deadlineMs ?? 5000;
  const upstream =
    options.rate === undefined
      ? breaker
      : createRateBudgetUpstream(breaker, {
          limiter: createBudgetLimiter(
            options.rate,
            link === undefined ? undefined : { link, prefix: KEY_PREFIX },
          ),
          key: rateBudgetKey(await sdk.account(), 'us-east-1'),
          maxWaitMs: deadlineMs,
          // As main.ts: one attempt's time (the SDK's default, 2 s), at most half the deadline.
          callAllowanceMs: Math.min(2000, deadlineMs / 2),
        });
  const gateway = createGateway({
    upstream,
    logger,
    pageCache: { ttlMs: options.pageCacheTtlMs ?? 0 },
    signing: { secret: TEST_SECRET },
    budgets: { maxUpstreamCalls: 120, maxResultItems: 10_000, upstreamDeadlineMs: deadlineMs },
    breakers: () => [breaker.breaker()],
    ...(options.authenticator === undefined ? {} : { authenticator: options.authenticator }),
    ...(link === undefined ? {} : { redis: { link, keyPrefix: KEY_PREFIX } }),
  });
  const url = await gateway.start(0, '127.0.0.1');
  return {
    gateway,
    url,
    link,
    graphql: (query, variables, headers) =>
      postGraphQL(`${url}/graphql`, query, variables, headers),
    async readyz() {
      const response = await fetch(`${url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async metrics() {
      return (await fetch(`${url}/metrics`)).text();
    },
    async close() {
      await gateway.stop();
      link?.close();
      sdk.destroy();
    },
  };
}

/** Resolves once `check` holds (polling every 50 ms), or throws after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
