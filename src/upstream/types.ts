/**
 * The upstream as the rest of the gateway sees it: plain records and a narrow interface.
 * Nothing here mentions the AWS SDK; `appstream.ts` is the one module that does.
 */
import type { ErrorCode } from '../errors.js';

export type SessionState = 'ACTIVE' | 'PENDING' | 'EXPIRED';
export type SessionConnectionState = 'CONNECTED' | 'NOT_CONNECTED';
export type AuthenticationType = 'API' | 'SAML' | 'USERPOOL' | 'AWS_AD';
export type InstanceDrainStatus = 'ACTIVE' | 'DRAINING' | 'NOT_APPLICABLE';

/** A streaming session as AppStream describes it. Timestamps are ISO-8601 UTC strings. */
export interface SessionRecord {
  /** The AppStream region that listed the session (stamped by the region's SDK layer). */
  readonly region: string;
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

/**
 * What an AWS region name looks like (`us-east-1`, `eu-central-2`, `us-gov-west-1`): checked in
 * `APPSTREAM_REGIONS` and, as a second line of defence, in the region a global id carries.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$/;

/** The largest page DescribeSessions returns; the gateway always asks for it. */
export const SESSIONS_PAGE_LIMIT = 50;

/** The AppStream operations the gateway calls, by their API names. */
export type UpstreamOperation =
  | 'DescribeSessions'
  | 'DescribeStacks'
  | 'DescribeFleets'
  | 'ListAssociatedFleets'
  | 'ListAssociatedStacks';

/** How one AppStream call ended: `ok`, or the error code it failed with. */
export type UpstreamOutcome = 'ok' | ErrorCode;

/** What the SDK layer reports about one AppStream call once it has settled. */
export interface UpstreamCallReport {
  readonly operation: UpstreamOperation;
  readonly outcome: UpstreamOutcome;
  /** The region the call went to, when it carried one (absent: the first configured region). */
  readonly region?: string | undefined;
  /** HTTP attempts the SDK made, including the first (retries are `attempts - 1`). */
  readonly attempts: number;
  readonly durationMs: number;
}

/**
 * Told what happened to a call on its way down the layers, for per-request statistics (the
 * operation's log line) and process metrics. Every member is optional and must not throw.
 */
export interface UpstreamObserver {
  /** The page cache answered the call (`hit`) or passed it on (`miss`). */
  cache?(operation: UpstreamOperation, hit: boolean): void;
  /** The call joined an identical call already in flight for the same scope. */
  coalesced?(operation: UpstreamOperation): void;
  /** The shared (Redis) tier of the page cache answered the call (`hit`) or not (`miss`). */
  sharedCache?(operation: UpstreamOperation, hit: boolean): void;
  /**
   * The rate budget (`UPSTREAM_CALLS_PER_SECOND`) gave the call a slot `waitMs` from now
   * (`granted`), or refused it because the next slot was further away than its deadline.
   */
  rateBudget?(
    operation: UpstreamOperation,
    granted: boolean,
    waitMs: number,
    region: string | undefined,
  ): void;
  /** An AppStream call was sent (after waiting for a concurrency slot). */
  started?(operation: UpstreamOperation): void;
  /** An AppStream call settled, after the SDK's retries. */
  settled?(report: UpstreamCallReport): void;
}

/**
 * Per-call data that travels with a call through the layers between the loaders and the SDK.
 * Every member is optional: a call without options is a plain, uncached, unobserved call.
 */
export interface UpstreamCallOptions {
  /**
   * The AppStream region the call goes to (see `src/upstream/regions.ts`); absent: the first
   * configured region. Part of the call's identity: layers that share results (page cache,
   * single-flight) never answer a call of one region with a result of another.
   */
  readonly region?: string;
  /** Aborts the call (a request's deadline). */
  readonly signal?: AbortSignal;
  /**
   * When `signal` aborts for the request's deadline, in `Date.now()` milliseconds: layers that
   * wait before calling (the rate budget) never wait past it.
   */
  readonly deadlineAt?: number;
  /**
   * The caller's `AccessScope.key`. Layers that outlive a request (page cache, single-flight) share
   * a result only between calls with the same scope, and never share calls without one.
   */
  readonly scope?: string;
  /**
   * Accept a cached result only when it is younger than this (milliseconds). `0` always asks
   * AppStream and stores the fresh result for others (a poller that must never read old pages).
   */
  readonly maxAgeMs?: number;
  readonly observer?: UpstreamObserver;
  /**
   * The request's allowance of AppStream calls (`MAX_UPSTREAM_CALLS_PER_REQUEST`). The SDK layer
   * takes one unit per call it actually sends, so cache hits and calls joined in flight are free.
   */
  readonly budget?: UpstreamBudget;
}

/** A request's allowance of AppStream calls (see `src/upstream/budget.ts`). */
export interface UpstreamBudget {
  /** Takes one call; throws `UPSTREAM_BUDGET_EXCEEDED` (and takes nothing) once all are spent. */
  take(operation: UpstreamOperation): void;
  /** Calls taken so far. */
  used(): number;
}

/**
 * The AppStream operations the gateway uses. Implementations throw only `GatewayError`s
 * (codes `NOT_FOUND`, `UPSTREAM_THROTTLED`, `UPSTREAM_UNAVAILABLE`, `UPSTREAM_BUDGET_EXCEEDED`,
 * `BAD_USER_INPUT` for a stale token, `INTERNAL_SERVER_ERROR`) whose messages are safe to show a
 * client. Results are shared (cached) between callers: never
 * mutate them.
 */
export interface Upstream {
  /** One DescribeSessions page of at most {@link SESSIONS_PAGE_LIMIT} sessions. */
  describeSessions(
    query: SessionQuery,
    token: string | null,
    options?: UpstreamCallOptions,
  ): Promise<UpstreamPage<SessionRecord>>;
  /**
   * One DescribeStacks page: the named stacks, or every stack when `names` is null. AppStream
   * fails the whole call with `NOT_FOUND` when any name is unknown.
   */
  describeStacks(
    names: readonly string[] | null,
    token: string | null,
    options?: UpstreamCallOptions,
  ): Promise<UpstreamPage<StackRecord>>;
  /** One DescribeFleets page; the same contract as {@link Upstream.describeStacks}. */
  describeFleets(
    names: readonly string[] | null,
    token: string | null,
    options?: UpstreamCallOptions,
  ): Promise<UpstreamPage<FleetRecord>>;
  /** One ListAssociatedFleets page: names of the fleets associated with a stack. */
  listAssociatedFleets(
    stackName: string,
    token: string | null,
    options?: UpstreamCallOptions,
  ): Promise<UpstreamPage<string>>;
  /** One ListAssociatedStacks page: names of the stacks associated with a fleet. */
  listAssociatedStacks(
    fleetName: string,
    token: string | null,
    options?: UpstreamCallOptions,
  ): Promise<UpstreamPage<string>>;
}
