import {
  AppStreamClient,
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
} from '@aws-sdk/client-appstream';
import type { AppStreamClientConfig } from '@aws-sdk/client-appstream';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import pLimit from 'p-limit';
import { GatewayError, toError } from '../errors.js';
import { deadlineError, mapUpstreamError } from './errors.js';
import { toFleetRecord, toSessionRecord, toStackRecord } from './mappers.js';
import { AppStreamRetryStrategy } from './retry.js';
import { SESSIONS_PAGE_LIMIT } from './types.js';
import type {
  Upstream,
  UpstreamCallOptions,
  UpstreamOperation,
  UpstreamOutcome,
  UpstreamPage,
} from './types.js';

/** How to reach AppStream. Omitted members fall back to the SDK's default chains. */
export interface AppStreamUpstreamOptions {
  readonly region?: string | undefined;
  /** Overrides the endpoint (the SDK also honours `AWS_ENDPOINT_URL_APPSTREAM` by itself). */
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per call, including the first (default 3, the SDK's standard mode). */
  readonly maxAttempts?: number | undefined;
  /** Hard deadline for one HTTP attempt, in milliseconds (default 2000). */
  readonly requestTimeoutMs?: number | undefined;
  /** Most time to establish a connection, in milliseconds (default 1000). */
  readonly connectionTimeoutMs?: number | undefined;
  /** Most AppStream calls in flight at once, across all requests of the process (default 16). */
  readonly maxConcurrency?: number | undefined;
}

/** The live upstream plus a way to release its sockets. */
export interface AppStreamUpstream extends Upstream {
  /** The region the client resolved (from options or the SDK's chain), or `unknown`. */
  region(): Promise<string>;
  /**
   * The AWS account of the credentials when the SDK knows it (`AWS_ACCOUNT_ID`, or credentials
   * that carry it), else `default`. Keys the rate budget; never log it.
   */
  account(): Promise<string>;
  destroy(): void;
}

/** Settles like `promise`, or rejects with `signal.reason` as soon as the signal aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

const nextTokenOf = (token: string | undefined): string | null =>
  token === undefined || token === '' ? null : token;

const withToken = (token: string | null) => (token === null ? {} : { NextToken: token });

/** One span per AppStream call (a no-op unless an OpenTelemetry SDK is registered). */
const tracer = trace.getTracer('appstream-graphql-gateway');

/** What the SDK says about a call besides its output. */
interface SdkMetadata {
  readonly attempts?: number | undefined;
}

const namesPage = (output: {
  Names?: string[] | undefined;
  NextToken?: string | undefined;
  $metadata: SdkMetadata;
}): [UpstreamPage<string>, SdkMetadata] => [
  { items: output.Names ?? [], nextToken: nextTokenOf(output.NextToken) },
  output.$metadata,
];

/** The SDK's attempt count on a failure (1 when the failure never reached the SDK's retry loop). */
function attemptsOf(error: unknown): number {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return 1;
  const metadata = error.$metadata;
  return typeof metadata === 'object' &&
    metadata !== null &&
    'attempts' in metadata &&
    typeof metadata.attempts === 'number'
    ? metadata.attempts
    : 1;
}

/**
 * Creates the one `AppStreamClient` of this upstream, configured once and never mutated: the
 * SDK's standard retry mode (see {@link AppStreamRetryStrategy}, the only retry loop), a
 * per-attempt and a connection timeout, keep-alive sockets. Every call takes one unit of the
 * request's budget (`options.budget`, refused with `UPSTREAM_BUDGET_EXCEEDED` once spent), waits
 * for a slot of the process-wide concurrency limit, and every failure is mapped through
 * {@link mapUpstreamError}. A call given `options.signal` settles as soon as the signal aborts
 * (the request's upstream deadline) with `UPSTREAM_UNAVAILABLE`; the SDK stops its attempt and
 * makes no further retry. One client serves one region: its sessions carry that region (the one
 * configured, else the one the SDK resolves).
 */
export function createAppStreamUpstream(options: AppStreamUpstreamOptions = {}): AppStreamUpstream {
  const maxAttempts = options.maxAttempts ?? 3;
  const config: AppStreamClientConfig = {
    maxAttempts,
    retryStrategy: new AppStreamRetryStrategy({ maxAttempts }),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 2000,
      connectionTimeout: options.connectionTimeoutMs ?? 1000,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true },
      httpsAgent: { keepAlive: true },
    },
  };
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = { ...options.credentials };
  const client = new AppStreamClient(config);
  // The region sessions are stamped with: the configured one, else the SDK's (resolved once).
  let regionName: Promise<string> | undefined;
  const resolveRegion = (): Promise<string> =>
    (regionName ??= client.config.region().catch(() => 'unknown'));
  const limit = pLimit(options.maxConcurrency ?? 16);

  /**
   * Runs one call within the concurrency limit, maps its failure, and reports it to the call's
   * observer (attempts from the SDK's own metadata, so retries are counted where they happen).
   */
  const call = <T>(
    operation: UpstreamOperation,
    subject: string,
    token: string | null,
    options: UpstreamCallOptions | undefined,
    run: (sendOptions: { abortSignal?: AbortSignal }) => Promise<[T, SdkMetadata]>,
  ): Promise<T> => {
    const signal = options?.signal;
    const context = { operation, subject, continued: token !== null };
    const aborted = (): boolean => signal?.aborted === true;
    try {
      if (aborted()) throw deadlineError(context, signal?.reason);
      options?.budget?.take(operation);
    } catch (error: unknown) {
      return Promise.reject(toError(error));
    }
    const queued = limit(async () => {
      if (aborted()) throw deadlineError(context, signal?.reason);
      const observer = options?.observer;
      const started = performance.now();
      const span = tracer.startSpan(`AppStream ${operation}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'AppStream',
          'rpc.method': operation,
        },
      });
      observer?.started?.(operation);
      const settle = (outcome: UpstreamOutcome, attempts: number) => {
        span.setAttribute('gateway.upstream.attempts', attempts);
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
        observer?.settled?.({
          operation,
          outcome,
          region: options?.region,
          attempts,
          durationMs: performance.now() - started,
        });
      };
      try {
        const [result, metadata] = await run(signal === undefined ? {} : { abortSignal: signal });
        settle('ok', metadata.attempts ?? 1);
        return result;
      } catch (error: unknown) {
        const mapped = aborted()
          ? deadlineError(context, signal?.reason)
          : mapUpstreamError(error, context);
        settle(mapped.code, attemptsOf(error));
        throw mapped;
      }
    });
    return raceAbort(queued, signal).catch((error: unknown) => {
      if (!(error instanceof GatewayError) && aborted()) {
        throw deadlineError(context, signal?.reason);
      }
      throw mapUpstreamError(error, context);
    });
  };

  const describeNames = (names: readonly string[] | null, kind: string): string =>
    names === null ? `${kind}s` : names.map((name) => `${kind} "${name}"`).join(', ');

  return {
    describeSessions(query, token, options) {
      const input = {
        StackName: query.stackName,
        FleetName: query.fleetName,
        Limit: SESSIONS_PAGE_LIMIT,
        ...(query.userId === undefined ? {} : { UserId: query.userId }),
        ...(query.authenticationType === undefined
          ? {}
          : { AuthenticationType: query.authenticationType }),
        ...(query.instanceId === undefined ? {} : { InstanceId: query.instanceId }),
        ...withToken(token),
      };
      const subject = `stack "${query.stackName}" with fleet "${query.fleetName}"`;
      return call('DescribeSessions', subject, token, options, async (send) => {
        const output = await client.send(new DescribeSessionsCommand(input), send);
        const region = await resolveRegion();
        const page = {
          items: (output.Sessions ?? []).map((session) => toSessionRecord(session, region)),
          nextToken: nextTokenOf(output.NextToken),
        };
        return [page, output.$metadata];
      });
    },
    describeStacks(names, token, options) {
      const input = { ...(names === null ? {} : { Names: [...names] }), ...withToken(token) };
      return call('DescribeStacks', describeNames(names, 'stack'), token, options, async (send) => {
        const output = await client.send(new DescribeStacksCommand(input), send);
        const page = {
          items: (output.Stacks ?? []).map(toStackRecord),
          nextToken: nextTokenOf(output.NextToken),
        };
        return [page, output.$metadata];
      });
    },
    describeFleets(names, token, options) {
      const input = { ...(names === null ? {} : { Names: [...names] }), ...withToken(token) };
      return call('DescribeFleets', describeNames(names, 'fleet'), token, options, async (send) => {
        const output = await client.send(new DescribeFleetsCommand(input), send);
        const page = {
          items: (output.Fleets ?? []).map(toFleetRecord),
          nextToken: nextTokenOf(output.NextToken),
        };
        return [page, output.$metadata];
      });
    },
    listAssociatedFleets(stackName, token, options): Promise<UpstreamPage<string>> {
      const input = { StackName: stackName, ...withToken(token) };
      const subject = `stack "${stackName}"`;
      return call('ListAssociatedFleets', subject, token, options, async (send) => {
        const output = await client.send(new ListAssociatedFleetsCommand(input), send);
        return namesPage(output);
      });
    },
    listAssociatedStacks(fleetName, token, options): Promise<UpstreamPage<string>> {
      const input = { FleetName: fleetName, ...withToken(token) };
      const subject = `fleet "${fleetName}"`;
      return call('ListAssociatedStacks', subject, token, options, async (send) => {
        const output = await client.send(new ListAssociatedStacksCommand(input), send);
        return namesPage(output);
      });
    },
    region: resolveRegion,
    async account() {
      try {
        const identity = await client.config.credentials();
        return identity.accountId ?? 'default';
      } catch {
        return 'default';
      }
    },
    destroy() {
      limit.clearQueue();
      client.destroy();
    },
  };
}
