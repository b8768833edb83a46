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

export type FleetState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';
export type FleetType = 'ALWAYS_ON' | 'ON_DEMAND' | 'ELASTIC';
export type StreamView = 'APP' | 'DESKTOP';

/** A stack as AppStream describes it (the fields users look at; ARNs are deliberately left out). */
export interface StackRecord {
  readonly name: string;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly createdTime: string | null;
  readonly redirectUrl: string | null;
  readonly feedbackUrl: string | null;
  readonly embedHostDomains: readonly string[] | null;
  readonly userSettings: readonly { readonly action: string; readonly permission: string }[] | null;
  readonly preferredProtocol: string | null;
}

/** A fleet's streaming capacity. `desired` is always present; the rest when AppStream reports it. */
export interface ComputeCapacityRecord {
  readonly desired: number;
  readonly running: number | null;
  readonly inUse: number | null;
  readonly available: number | null;
  readonly draining: number | null;
  readonly desiredUserSessions: number | null;
  readonly availableUserSessions: number | null;
  readonly activeUserSessions: number | null;
  readonly actualUserSessions: number | null;
}

/** A fleet as AppStream describes it (the fields users look at; ARNs are deliberately left out). */
export interface FleetRecord {
  readonly name: string;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly state: FleetState;
  readonly instanceType: string;
  readonly fleetType: FleetType | null;
  readonly computeCapacity: ComputeCapacityRecord;
  readonly createdTime: string | null;
  readonly imageName: string | null;
  readonly platform: string | null;
  readonly streamView: StreamView | null;
  readonly maxUserDurationInSeconds: number | null;
  readonly disconnectTimeoutInSeconds: number | null;
  readonly idleDisconnectTimeoutInSeconds: number | null;
  readonly maxConcurrentSessions: number | null;
  readonly maxSessionsPerInstance: number | null;
  readonly enableDefaultInternetAccess: boolean | null;
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

/**
 * AppStream's pattern for stack and fleet names (the `Name` shape of DescribeSessions). A name
 * that breaks it can name no stack or fleet.
 */
export const APPSTREAM_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/;

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
  /**
   * One DescribeStacks page: the named stacks, or every stack when `names` is null. AppStream
   * fails the whole call with `NOT_FOUND` when any name is unknown.
   */
  describeStacks(
    names: readonly string[] | null,
    token: string | null,
  ): Promise<UpstreamPage<StackRecord>>;
  /** One DescribeFleets page; the same contract as {@link Upstream.describeStacks}. */
  describeFleets(
    names: readonly string[] | null,
    token: string | null,
  ): Promise<UpstreamPage<FleetRecord>>;
  /** One ListAssociatedFleets page: names of the fleets associated with a stack. */
  listAssociatedFleets(stackName: string, token: string | null): Promise<UpstreamPage<string>>;
  /** One ListAssociatedStacks page: names of the stacks associated with a fleet. */
  listAssociatedStacks(fleetName: string, token: string | null): Promise<UpstreamPage<string>>;
}
