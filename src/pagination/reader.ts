import { ErrorCode, GatewayError } from '../errors.js';
import type { Page, PageSource } from './source.js';

/** Default bound on upstream items read by one call (backward scans, counts, filtered paging). */
export const DEFAULT_SCAN_BOUND = 5000;

/** Pages read during one call: each (stream, token) fetched at most once, items counted. */
export interface PageReader<T> {
  readonly source: PageSource<T>;
  /** The page, fetched on first use and shared by every later read of this call. */
  read(stream: number, token: string | null): Promise<Page<T>>;
  /**
   * Synchronously, from pages this call has already received (never fetching): the id of the
   * first item at or after page `token` of `stream`, following empty pages within the stream.
   * Undefined when a page on the way was not read, or the stream ends with no further item.
   */
  firstIdFrom(stream: number, token: string): string | undefined;
}

/**
 * A reader for one call. Throws SCAN_LIMIT_EXCEEDED as soon as the pages fetched hold more
 * than `scanBound` items in total.
 */
export function createPageReader<T>(source: PageSource<T>, scanBound: number): PageReader<T> {
  const pending = new Map<string, Promise<Page<T>>>();
  const received = new Map<string, Page<T>>();
  const keyOf = (stream: number, token: string | null) => JSON.stringify([stream, token]);
  let scanned = 0;
  return {
    source,
    read(stream, token) {
      const key = keyOf(stream, token);
      let page = pending.get(key);
      if (page === undefined) {
        page = source.fetchPage(stream, token).then((fetched) => {
          scanned += fetched.items.length;
          if (scanned > scanBound) throw scanLimitExceeded(scanBound);
          received.set(key, fetched);
          return fetched;
        });
        pending.set(key, page);
      }
      return page;
    },
    firstIdFrom(stream, token) {
      const seen = new Set<string>();
      let next: string | null = token;
      while (next !== null && !seen.has(next)) {
        seen.add(next);
        const page = received.get(keyOf(stream, next));
        if (page === undefined) return undefined;
        const [first] = page.items;
        if (first !== undefined) return source.idOf(first);
        next = page.nextToken;
      }
      return undefined;
    },
  };
}

/** The SCAN_LIMIT_EXCEEDED error, naming the bound and what to do instead. */
export function scanLimitExceeded(scanBound: number): GatewayError {
  return new GatewayError(
    ErrorCode.SCAN_LIMIT_EXCEEDED,
    `This query would scan more than ${scanBound} items (the scan bound): last/before, ` +
      'totalCount and the state/connectionState filters read the list from its start. Page ' +
      'forward with first/after without those, or narrow the query with userId or instanceId.',
  );
}
