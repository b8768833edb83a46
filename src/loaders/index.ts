import type DataLoader from 'dataloader';
import type {
  FleetRecord,
  SessionRecord,
  StackRecord,
  Upstream,
  UpstreamPage,
} from '../upstream/types.js';
import { createDescribeLoader, createListPageLoader, createNameListLoader } from './describe.js';
import { createListingCheck } from './confirm-listing.js';
import { createSessionByIdLoader } from './session-by-id.js';
import type { SessionKey } from './session-by-id.js';
import { createSessionPageLoader } from './session-pages.js';
import type { SessionPageKey } from './session-pages.js';

export { sessionQueryKey } from './session-pages.js';
export type { SessionPageKey } from './session-pages.js';
export type { SessionKey } from './session-by-id.js';
export { DESCRIBE_BATCH_SIZE } from './describe.js';
export { noSuchStack } from './confirm-listing.js';

/** Every loader of one GraphQL request. */
export interface Loaders {
  /** DescribeSessions pages, each fetched at most once per request. */
  readonly sessionPages: DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string>;
  /** Sessions by (stack, fleet, id), one listing scan per (stack, fleet); shares `sessionPages`. */
  readonly sessionsById: DataLoader<SessionKey, SessionRecord | null, string>;
  /** Stacks by name, batched into DescribeStacks calls; null for an unknown name. */
  readonly stacks: DataLoader<string, StackRecord | null>;
  /** Fleets by name, batched into DescribeFleets calls; null for an unknown name. */
  readonly fleets: DataLoader<string, FleetRecord | null>;
  /** Pages of DescribeStacks without names (every stack), by token (`''`: the first page). */
  readonly stackPages: DataLoader<string, UpstreamPage<StackRecord>>;
  /** Pages of DescribeFleets without names (every fleet), by token (`''`: the first page). */
  readonly fleetPages: DataLoader<string, UpstreamPage<FleetRecord>>;
  /** Names of the fleets associated with a stack (all ListAssociatedFleets pages). */
  readonly fleetsOfStack: DataLoader<string, readonly string[]>;
  /** Names of the stacks associated with a fleet (all ListAssociatedStacks pages). */
  readonly stacksOfFleet: DataLoader<string, readonly string[]>;
}

/**
 * Creates the loaders of one request. Call once per request; never share the result between
 * requests or callers, since their caches hold what one caller was allowed to see.
 */
export function createLoaders(
  upstream: Upstream,
  options: { readonly scanBound: number },
): Loaders {
  const stacks = createDescribeLoader((names, token) => upstream.describeStacks(names, token));
  const fleets = createDescribeLoader((names, token) => upstream.describeFleets(names, token));
  const sessionPages = createSessionPageLoader(upstream, createListingCheck(stacks, fleets));
  return {
    sessionPages,
    sessionsById: createSessionByIdLoader(sessionPages, options.scanBound),
    stacks,
    fleets,
    stackPages: createListPageLoader((names, token) => upstream.describeStacks(names, token)),
    fleetPages: createListPageLoader((names, token) => upstream.describeFleets(names, token)),
    fleetsOfStack: createNameListLoader((name, token) =>
      upstream.listAssociatedFleets(name, token),
    ),
    stacksOfFleet: createNameListLoader((name, token) =>
      upstream.listAssociatedStacks(name, token),
    ),
  };
}

/**
 * Forgets everything the loaders have cached, so that the next loads read fresh. For operations
 * that outlive a request (each event of a subscription resolves against fresh upstream data).
 */
export function clearLoaders(loaders: Loaders): void {
  for (const loader of Object.values(loaders) as Array<{ clearAll(): unknown }>) loader.clearAll();
}
