import { AppStreamClient, DescribeSessionsCommand } from '@aws-sdk/client-appstream';
import type { AppStreamClientConfig } from '@aws-sdk/client-appstream';
import { mapUpstreamError } from './errors.js';
import { toSessionRecord } from './mappers.js';
import { SESSIONS_PAGE_LIMIT } from './types.js';
import type { SessionQuery, Upstream } from './types.js';

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
}

/** The live upstream plus a way to release its sockets. */
export interface AppStreamUpstream extends Upstream {
  destroy(): void;
}

/**
 * Creates the one `AppStreamClient` of this upstream, configured once and never mutated.
 * Every method maps failures through {@link mapUpstreamError}.
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

  return {
    async describeSessions(query: SessionQuery, token: string | null) {
      const input = {
        StackName: query.stackName,
        FleetName: query.fleetName,
        Limit: SESSIONS_PAGE_LIMIT,
        ...(query.userId === undefined ? {} : { UserId: query.userId }),
        ...(query.authenticationType === undefined
          ? {}
          : { AuthenticationType: query.authenticationType }),
        ...(query.instanceId === undefined ? {} : { InstanceId: query.instanceId }),
        ...(token === null ? {} : { NextToken: token }),
      };
      try {
        const output = await client.send(new DescribeSessionsCommand(input));
        return {
          items: (output.Sessions ?? []).map(toSessionRecord),
          nextToken:
            output.NextToken === undefined || output.NextToken === '' ? null : output.NextToken,
        };
      } catch (error: unknown) {
        throw mapUpstreamError(error, {
          operation: 'DescribeSessions',
          subject: `stack "${query.stackName}" with fleet "${query.fleetName}"`,
          continued: token !== null,
        });
      }
    },
    destroy() {
      client.destroy();
    },
  };
}
