/**
 * The request context: what every resolver receives, built fresh for each GraphQL request by
 * `src/server/context.ts`. Its own module so that `src/resolvers/` (below the server) and
 * `src/server/` (above them) both depend on it, never on each other.
 */
import type { GlobalIdCodec } from './ids/global-id.js';
import type { LiveSessions } from './live/index.js';
import type { Loaders } from './loaders/index.js';
import type { CursorCodec } from './pagination/index.js';
import type { UpstreamStats } from './upstream/observe.js';
import type { Logger } from 'pino';

/** Settings every connection field shares; fixed for the life of the process. */
export interface PagingSettings {
  readonly codec: CursorCodec;
  /** Most upstream items one connection field may scan. */
  readonly scanBound: number;
}

/**
 * What the caller may see: the contract for every cache that outlives a request (in process or
 * shared). Two callers with the same `key` may see exactly the same data, so a cache entry keyed
 * on `key` (plus the upstream request) may be served to both; callers with different keys never
 * share entries. `key` is stable across requests, processes and replicas, and hashable (a short
 * string without secrets, at most 64 characters of `[A-Za-z0-9:_*-]`): `*` means every stack,
 * `none` no stack, and `stacks:<hash>` an allow-list (see `src/policy/scope.ts`). The key says
 * what is visible, never who asked: it holds no user id, token or claim other than the list.
 */
export interface AccessScope {
  /** Stable identity of what this scope may see; equal keys see equal data. */
  readonly key: string;
  /** Whether a stack (and so its sessions) is visible to this caller. */
  canSeeStack(stackName: string): boolean;
}

/** The scope of a caller who may see every stack (no authentication configured). */
export const UNRESTRICTED_SCOPE: AccessScope = {
  key: '*',
  canSeeStack: () => true,
};

/** Whether `scope` sees every stack: nothing needs filtering or association lookups. */
export function seesEveryStack(scope: AccessScope): boolean {
  return scope.key === UNRESTRICTED_SCOPE.key;
}

/** Whether `scope` sees no stack at all (an empty allow-list, or a token without the claim). */
export function seesNoStack(scope: AccessScope): boolean {
  return scope.key === 'none';
}

/**
 * What one HTTP request has used of the limits of `src/policy/` so far. Operations of a batched
 * request share it (Apollo gives each operation a shallow copy of the context, so the counters
 * live in this one object), which makes a batch count against the limits as a whole.
 */
export interface RequestUsage {
  /** Sum of the static costs of the operations priced so far. */
  cost: number;
  /** List items returned so far. */
  items: number;
}

/** What every resolver receives. Built fresh for each GraphQL request. */
export interface GatewayContext {
  /**
   * The configured AppStream regions, in order (`APPSTREAM_REGIONS`); the first is the default of
   * every `region` argument and the region of ids and cursors issued before regions existed.
   */
  readonly regions: readonly string[];
  /**
   * The per-request loaders of one configured region (created on first use): they de-duplicate
   * upstream work within this request and region only.
   */
  loadersOf(region: string): Loaders;
  readonly paging: PagingSettings;
  /** Signs and verifies global ids (`id` fields, `node`, `nodes`). */
  readonly ids: GlobalIdCodec;
  readonly logger: Logger;
  /** What this caller may see. */
  readonly scope: AccessScope;
  /** The request's id: the caller's `x-request-id`, or one generated for it (echoed back). */
  readonly requestId: string;
  /** What this request's upstream calls did so far (read by the operation's log line). */
  readonly upstreamStats: Readonly<UpstreamStats>;
  /**
   * Live updates for this caller's connection (WebSocket operations only; absent over HTTP,
   * where subscriptions are not served).
   */
  readonly live?: LiveSessions | undefined;
  /** What this request has used of its limits (cost, returned items). */
  readonly usage: RequestUsage;
}
