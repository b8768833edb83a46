import type { LiveEvent } from '../live/index.js';
import type { SessionFilter } from './validate.js';
import type { FleetRecord, SessionRecord, StackRecord } from '../upstream/types.js';

/** What `PageInfo` resolves from. */
export interface PageInfoModel {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** What `SessionEdge` resolves from. */
export interface SessionEdgeModel {
  readonly cursor: string;
  readonly node: SessionRecord;
}

/** A computed page of a connection. */
export interface ConnectionPageModel<E> {
  readonly edges: readonly E[];
  readonly pageInfo: PageInfoModel;
}

/**
 * What `SessionConnection` resolves from: the page and the count are computed at most once,
 * and only when a selected field needs them (asking only for `totalCount` fetches no page slice).
 */
export interface SessionConnectionModel {
  readonly page: () => Promise<ConnectionPageModel<SessionEdgeModel>>;
  readonly totalCount: () => Promise<number>;
}

/** Memoizes an async computation: the first call starts it, later calls share its promise. */
export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= compute());
}

/**
 * What `Stack` resolves from: its name, and its record when it is already at hand (from a
 * listing). Other fields load the record through the request's batching loader.
 */
export interface StackModel {
  readonly kind: 'Stack';
  readonly name: string;
  /** The AppStream region of the stack: every child field reads this region. */
  readonly region: string;
  readonly record?: StackRecord | undefined;
  /** The fleet this stack was reached through (`Fleet.stacks`), if any. */
  readonly viaFleet?: string | undefined;
}

/** What `Fleet` resolves from; see {@link StackModel}. */
export interface FleetModel {
  readonly kind: 'Fleet';
  readonly name: string;
  /** The AppStream region of the fleet: every child field reads this region. */
  readonly region: string;
  readonly record?: FleetRecord | undefined;
  /** The stack this fleet was reached through (`Stack.fleets`): the default of `Fleet.sessions`. */
  readonly viaStack?: string | undefined;
}

/** What `StackEdge` resolves from. */
export interface StackEdgeModel {
  readonly cursor: string;
  readonly node: StackModel;
}

/** What `FleetEdge` resolves from. */
export interface FleetEdgeModel {
  readonly cursor: string;
  readonly node: FleetModel;
}

/** What `StackConnection` resolves from. */
export type StackConnectionModel = ConnectionPageModel<StackEdgeModel>;
/** What `FleetConnection` resolves from. */
export type FleetConnectionModel = ConnectionPageModel<FleetEdgeModel>;

/** What `SessionEvent` resolves from: one live event and the subscriber's gateway-side filter. */
export interface SessionEventModel {
  readonly event: Exclude<LiveEvent, { readonly kind: 'FAILED' }>;
  readonly filter: SessionFilter | undefined;
  /** The region of the subscription's listing. */
  readonly region: string;
}
