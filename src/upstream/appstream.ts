import {
  AppStreamClient,
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
} from '@aws-sdk/client-appstream';
import type { AppStreamClientConfig } from '@aws-sdk/client-appstream';
import pLimit from 'p-limit';
import { mapUpstreamError } from './errors.js';
import { toFleetRecord, toSessionRecord, toStackRecord } from './mappers.js';
import { SESSIONS_PAGE_LIMIT } from './types.js';
import type { Upstream, UpstreamPage } from './types.js';

/** How to reach AppStream. Omitted members fall back to the SDK's default chains. */
export interface AppStreamUpstreamOptions {
  readonly region?: string | undefined;
  /** Overrides the endpoint (the SDK also honours `AWS_ENDPOINT_URL_APPSTREAM` by itself). */
  readonly endpoint?: string | undefined;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per call, including the first (default 3, the SDK's standard mode). */
  readonly maxAttempts?: number | undefined;
  /** Hard deadline for one HTTP attempt, in milliseconds (default 10 000). */
  readonly requestTimeoutMs?: number | undefined;
  /** Most AppStream calls in flight at once, across all requests of the process (default 16). */
  readonly maxConcurrency?: number | undefined;
}

/** The live upstream plus a way to release its sockets. */
export interface AppStreamUpstream extends Upstream {
  destroy(): void;
}

const nextTokenOf = (token: string | undefined): string | null =>
  token === undefined || token === '' ? null : token;

const withToken = (token: string | null) => (token === null ? {} : { NextToken: token });

/**
 * Creates the one `AppStreamClient` of this upstream, configured once and never mutated.
 * Every call waits for a slot of the process-wide concurrency limit, and every failure is
 * mapped through {@link mapUpstreamError}.
 */
export function createAppStreamUpstream(options: AppStreamUpstreamOptions = {}): AppStreamUpstream {
  const config: AppStreamClientConfig = {
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true },
      httpsAgent: { keepAlive: true },
    },
  };
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = { ...options.credentials };
  const client = new AppStreamClient(config);
  const limit = pLimit(options.maxConcurrency ?? 16);

  /** Runs one call within the concurrency limit and maps its failure. */
  const call = <T>(
    operation: string,
    subject: string,
    token: string | null,
    run: () => Promise<T>,
  ): Promise<T> =>
    limit(async () => {
      try {
        return await run();
      } catch (error: unknown) {
        throw mapUpstreamError(error, { operation, subject, continued: token !== null });
      }
    });

  const describeNames = (names: readonly string[] | null, kind: string): string =>
    names === null ? `${kind}s` : names.map((name) => `${kind} "${name}"`).join(', ');

  return {
    describeSessions(query, token) {
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
      return call('DescribeSessions', subject, token, async () => {
        const output = await client.send(new DescribeSessionsCommand(input));
        return {
          items: (output.Sessions ?? []).map(toSessionRecord),
          nextToken: nextTokenOf(output.NextToken),
        };
      });
    },
    describeStacks(names, token) {
      const input = { ...(names === null ? {} : { Names: [...names] }), ...withToken(token) };
      return call('DescribeStacks', describeNames(names, 'stack'), token, async () => {
        const output = await client.send(new DescribeStacksCommand(input));
        return {
          items: (output.Stacks ?? []).map(toStackRecord),
          nextToken: nextTokenOf(output.NextToken),
        };
      });
    },
    describeFleets(names, token) {
      const input = { ...(names === null ? {} : { Names: [...names] }), ...withToken(token) };
      return call('DescribeFleets', describeNames(names, 'fleet'), token, async () => {
        const output = await client.send(new DescribeFleetsCommand(input));
        return {
          items: (output.Fleets ?? []).map(toFleetRecord),
          nextToken: nextTokenOf(output.NextToken),
        };
      });
    },
    listAssociatedFleets(stackName, token): Promise<UpstreamPage<string>> {
      const input = { StackName: stackName, ...withToken(token) };
      return call('ListAssociatedFleets', `stack "${stackName}"`, token, async () => {
        const output = await client.send(new ListAssociatedFleetsCommand(input));
        return { items: output.Names ?? [], nextToken: nextTokenOf(output.NextToken) };
      });
    },
    listAssociatedStacks(fleetName, token): Promise<UpstreamPage<string>> {
      const input = { FleetName: fleetName, ...withToken(token) };
      return call('ListAssociatedStacks', `fleet "${fleetName}"`, token, async () => {
        const output = await client.send(new ListAssociatedStacksCommand(input));
        return { items: output.Names ?? [], nextToken: nextTokenOf(output.NextToken) };
      });
    },
    destroy() {
      limit.clearQueue();
      client.destroy();
    },
  };
}
