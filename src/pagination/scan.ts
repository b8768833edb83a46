import { ErrorCode, GatewayError, badUserInput } from '../errors.js';
import type { CursorPosition } from './cursor.js';
import type { Page, PageSource } from './source.js';

/** Default bound on upstream items read by one call (backward scans, counts, filtered paging). */
export const DEFAULT_SCAN_BOUND = 5000;

/** An upstream item with the position its cursor will carry. */
export interface Step<T> {
  readonly item: T;
  readonly position: CursorPosition;
}

/** Pages read during one call: each (stream, token) fetched at most once, items counted. */
export interface PageReader<T> {
  readonly source: PageSource<T>;
  read(stream: number, token: string | null): Promise<Page<T>>;
}

/**
 * A reader for one call. Throws SCAN_LIMIT_EXCEEDED as soon as the pages fetched hold more
 * than `scanBound` items in total.
 */
export function createPageReader<T>(source: PageSource<T>, scanBound: number): PageReader<T> {
  const pages = new Map<string, Promise<Page<T>>>();
  let scanned = 0;
  return {
    source,
    read(stream, token) {
      const key = JSON.stringify([stream, token]);
      let page = pages.get(key);
      if (page === undefined) {
        page = source.fetchPage(stream, token).then((fetched) => {
          scanned += fetched.items.length;
          if (scanned > scanBound) throw scanLimitExceeded(scanBound);
          return fetched;
        });
        pages.set(key, page);
      }
      return page;
    },
  };
}

/** The SCAN_LIMIT_EXCEEDED error, naming the bound and what to do instead. */
export function scanLimitExceeded(scanBound: number): GatewayError {
  return new GatewayError(
    ErrorCode.SCAN_LIMIT_EXCEEDED,
    `This query would scan more than ${scanBound} sessions (the scan bound). Page forward with ` +
      'first/after instead of last/before or totalCount, or narrow the query with userId or ' +
      'instanceId.',
  );
}

/** The error for a `before` cursor whose anchor is gone from the listing. */
export function beforeGone(): GatewayError {
  return badUserInput(
    "The `before` cursor's session is no longer listed; page backward from the end (last " +
      'without before) instead.',
  );
}

/** Where a walk starts: page `t` of stream `s`, at an index or just after an item id. */
export interface WalkStart {
  readonly s: number;
  readonly t: string | null;
  /** Start index in the first page, or resume after `id` (at `fallback` if `id` is gone). */
  readonly from: number | { readonly id: string; readonly fallback: number };
  /** Upstream offset of the first item walked. */
  readonly o: number;
}

/**
 * Where the items strictly after `after` start (the start of stream 0 without it). A page-final
 * cursor resumes at its next page with no refetch; a stream-final one at the next stream (the
 * last stream re-reads its page to see appended items); otherwise the page is re-read and the
 * cursor re-anchored by id, falling back to its index when the item ended.
 */
export function startAfter(after: CursorPosition | null, streams: number): WalkStart {
  if (after === null) return { s: 0, t: null, from: 0, o: 0 };
  const o = after.o + 1;
  if (typeof after.n === 'string') return { s: after.s, t: after.n, from: 0, o };
  if (after.n === null && after.s + 1 < streams) return { s: after.s + 1, t: null, from: 0, o };
  return { s: after.s, t: after.t, from: { id: after.id, fallback: after.i }, o };
}

/** The step for item `i` of `page`; page-final items carry the next page's token. */
export function stepAt<T>(
  source: PageSource<T>,
  page: Page<T>,
  where: { s: number; t: string | null; i: number; o: number },
  item: T,
): Step<T> {
  const position = { ...where, id: source.idOf(item) };
  const last = where.i === page.items.length - 1;
  return { item, position: last ? { ...position, n: page.nextToken } : position };
}

/**
 * Yields upstream items in order from `start`, across empty pages and stream boundaries,
 * fetching each page only when the consumer asks for its first item. With `before`, stops
 * strictly before its anchor: the item with its id, else (in the cursor's own page, when the id
 * is gone) its index. Returns whether the anchor was reached.
 */
export async function* walk<T>(
  reader: PageReader<T>,
  start: WalkStart,
  before: CursorPosition | null,
): AsyncGenerator<Step<T>, boolean> {
  const { source } = reader;
  let { s, t, o } = start;
  let from = start.from;
  while (s < source.streams) {
    const page = await reader.read(s, t);
    const begin = typeof from === 'number' ? from : resumeIndex(source, page, from);
    const stop = before === null ? -1 : stopIndex(source, page, s, t, before, begin);
    const end = stop >= 0 ? stop : page.items.length;
    for (const [i, item] of page.items.entries()) {
      if (i < begin) continue;
      if (i >= end) break;
      yield stepAt(source, page, { s, t, i, o }, item);
      o++;
    }
    if (stop >= 0) return true;
    from = 0;
    if (page.nextToken === null) {
      s++;
      t = null;
    } else {
      t = page.nextToken;
    }
  }
  return false;
}

function resumeIndex<T>(
  source: PageSource<T>,
  page: Page<T>,
  anchor: { readonly id: string; readonly fallback: number },
): number {
  const found = page.items.findIndex((item) => source.idOf(item) === anchor.id);
  return found >= 0 ? found + 1 : anchor.fallback;
}

function stopIndex<T>(
  source: PageSource<T>,
  page: Page<T>,
  s: number,
  t: string | null,
  before: CursorPosition,
  begin: number,
): number {
  const found = page.items.findIndex((item) => source.idOf(item) === before.id);
  if (found >= 0) return Math.max(found, begin);
  if (s === before.s && t === before.t) {
    return Math.max(Math.min(before.i, page.items.length), begin);
  }
  return -1;
}
