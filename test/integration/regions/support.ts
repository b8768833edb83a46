import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import { createEmulator, datasetBuilder } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { createGateway } from '../../../src/server/gateway.js';
import type { Logger } from '../../../src/server/logger.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { createAppStreamUpstream } from '../../../src/upstream/appstream.js';
import type { AppStreamUpstream } from '../../../src/upstream/appstream.js';
import { createCircuitBreakerUpstream } from '../../../src/upstream/circuit-breaker.js';
import { postGraphQL } from '../../helpers/gateway.js';
import type { GraphQLResponse } from '../../helpers/gateway.js';

export const US = 'us-east-1';
export const EU = 'eu-west-1';

/**
 * us-east-1: stacks us-1 to us-5 and `shared`; eu-west-1: eu-1 to eu-3 and `shared` (the same
 * name, another description). Each region has `fleet-1` associated with `shared`, holding 3
 * sessions (us) or 4 (eu). Listings come in pages of 2 so walks cross page boundaries.
 */
function datasetOf(region: typeof US | typeof EU) {
  const own = region === US ? ['us-1', 'us-2', 'us-3', 'us-4', 'us-5'] : ['eu-1', 'eu-2', 'eu-3'];
  let builder = datasetBuilder({ seed: region === US ? 1 : 2 });
  for (const name of own) builder = builder.stack(name);
  return builder
    .stack('shared', { Description: `shared in ${region}` })
    .fleet('fleet-1', { Description: `fleet-1 in ${region}` })
    .associate('shared', 'fleet-1')
    .sessions('shared', 'fleet-1', region === US ? 3 : 4)
    .build();
}

export interface RegionsStack {
  readonly emulators: Readonly<Record<typeof US | typeof EU, Emulator>>;
  readonly gateway: Gateway;
  readonly url: string;
  graphql<D = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<D>>;
}

/**
 * Two emulators as two regions behind one gateway, through the real SDK over HTTP on 127.0.0.1
 * port 0, each region with its own client and circuit breaker (threshold 1000: faults here
 * test one field's degradation, not the breaker), and the page cache on. Faults, call counts and
 * the page cache reset before each test.
 */
export function useRegionsStack(options: { readonly logger?: Logger } = {}): RegionsStack {
  let current: (RegionsStack & { readonly upstreams: readonly AppStreamUpstream[] }) | undefined;
  const get = () => {
    if (current === undefined) throw new Error('The regions stack is not started yet.');
    return current;
  };
  beforeAll(async () => {
    const emulators = {
      [US]: createEmulator({ dataset: datasetOf(US), listPageSize: 2 }),
      [EU]: createEmulator({ dataset: datasetOf(EU), listPageSize: 2 }),
    };
    const regions = await Promise.all(
      ([US, EU] as const).map(async (region) => {
        const { url: endpoint } = await emulators[region].listen({ port: 0, host: '127.0.0.1' });
        const upstream = createAppStreamUpstream({
          endpoint,
          region,
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          maxAttempts: 1,
        });
        const guarded = createCircuitBreakerUpstream(upstream, {
          region,
          failureThreshold: 1000,
          halfOpenAfterMs: 1000,
        });
        return { region, upstream, guarded };
      }),
    );
    const gateway = createGateway({
      upstream: regions.map(({ region, guarded }) => ({ region, upstream: guarded })),
      logger: options.logger ?? pino({ level: 'silent' }),
      // On, as in production: one region's cached pages must never answer another's.
      pageCache: { ttlMs: 60_000 },
      breakers: () => regions.map(({ guarded }) => guarded.breaker()),
    });
    const url = await gateway.start(0, '127.0.0.1');
    current = {
      emulators,
      gateway,
      url,
      upstreams: regions.map(({ upstream }) => upstream),
      graphql: (query, variables) => postGraphQL(`${url}/graphql`, query, variables),
    };
  });
  afterAll(async () => {
    const stack = current;
    if (stack === undefined) return;
    await stack.gateway.stop();
    for (const upstream of stack.upstreams) upstream.destroy();
    await Promise.all(Object.values(stack.emulators).map((emulator) => emulator.close()));
  });
  beforeEach(() => {
    get().gateway.pageCache?.clear();
    for (const emulator of Object.values(get().emulators)) {
      emulator.faults.clear();
      emulator.calls.reset();
    }
  });
  return {
    get emulators() {
      return get().emulators;
    },
    get gateway() {
      return get().gateway;
    },
    get url() {
      return get().url;
    },
    graphql: (query, variables) => get().graphql(query, variables),
  };
}
