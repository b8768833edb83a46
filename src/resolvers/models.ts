import type { SessionRecord } from '../upstream/types.js';

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
