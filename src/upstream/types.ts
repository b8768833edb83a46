/**
 * The upstream as the rest of the gateway sees it: plain records and a narrow interface.
 * Nothing here mentions the AWS SDK; `appstream.ts` is the one module that does.
 */

export type SessionState = 'ACTIVE' | 'PENDING' | 'EXPIRED';
export type SessionConnectionState = 'CONNECTED' | 'NOT_CONNECTED';
export type AuthenticationType = 'API' | 'SAML' | 'USERPOOL' | 'AWS_AD';
export type InstanceDrainStatus = 'ACTIVE' | 'DRAINING' | 'NOT_APPLICABLE';

/** A streaming session as AppStream describes it. Timestamps are ISO-8601 UTC strings. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly stackName: string;
  readonly fleetName: string;
  readonly state: SessionState;
  readonly connectionState: SessionConnectionState | null;
  readonly startTime: string | null;
  readonly maxExpirationTime: string | null;
  readonly authenticationType: AuthenticationType | null;
  readonly networkAccessConfiguration: {
    readonly eniPrivateIpAddress: string | null;
    readonly eniIpv6Addresses: readonly string[] | null;
    readonly eniId: string | null;
  } | null;
  readonly instanceId: string | null;
  readonly instanceDrainStatus: InstanceDrainStatus | null;
}

/** What one DescribeSessions listing is filtered by. Every page of a listing shares it. */
export interface SessionQuery {
  readonly stackName: string;
  readonly fleetName: string;
  readonly userId?: string | undefined;
  readonly authenticationType?: AuthenticationType | undefined;
  readonly instanceId?: string | undefined;
}

/** One page of an upstream listing. `nextToken` is null when the listing has no more pages. */
export interface UpstreamPage<T> {
  readonly items: readonly T[];
  readonly nextToken: string | null;
}

/** The largest page DescribeSessions returns; the gateway always asks for it. */
export const SESSIONS_PAGE_LIMIT = 50;

/**
 * The AppStream operations the gateway uses. Implementations throw only `GatewayError`s
 * (codes `NOT_FOUND`, `UPSTREAM_THROTTLED`, `UPSTREAM_UNAVAILABLE`, `INTERNAL_SERVER_ERROR`)
 * whose messages are safe to show a client.
 */
export interface Upstream {
  /** One DescribeSessions page of at most {@link SESSIONS_PAGE_LIMIT} sessions. */
  describeSessions(query: SessionQuery, token: string | null): Promise<UpstreamPage<SessionRecord>>;
}
