import { badUserInput } from '../errors.js';
import type { GatewayError } from '../errors.js';
import type { CursorPosition } from './cursor.js';
import type { PageReader } from './reader.js';
import type { Page, PageSource } from './source.js';

/** An upstream item with the position its cursor will carry. */
export interface Step<T> {
  readonly item: T;
  readonly position: CursorPosition;
}

/** The error for a `before` cursor whose anchor, page and position are all gone. */
export function beforeGone(): GatewayError {
  return badUserInput(
    "The `before` cursor's session is no longer listed; page backward from the end (last " +
      'without before) instead.',
  );
}

/**
 * Resume just after the item `id`; when it is gone, just after `prev` (the item that preceded
 * it); when both are gone, at the issue-time index `fallback`.
 */
export interface Anchor {
  readonly id: string;
  readonly prev: string | undefined;
  readonly fallback: number;
}

/** Where a walk starts: page `t` of stream `s`, at an index or just after an anchor. */
export interface WalkStart {
  readonly s: number;
  readonly t: string | null;
  readonly from: number | Anchor;
  /** Upstream offset of the first item walked. */
  readonly o: number;
}

/** Index of the item with id `id` in `page`, or -1. */
export function indexOfId<T>(source: PageSource<T>, page: Page<T>, id: string): number {
  return page.items.findIndex((item) => source.idOf(item) === id);
}

/**
 * The step for item `i` of `page`: non-first items carry their predecessor's id (`p`),
 * page-final items the next page's token (`n`; `f` is added when the cursor is encoded).
 */
export function stepAt<T>(
  source: PageSource<T>,
  page: Page<T>,
  where: { s: number; t: string | null; i: number; o: number },
  item: T,
): Step<T> {
  const { s, t, i, o } = where;
  const id = source.idOf(item);
  const previous = i > 0 ? page.items[i - 1] : undefined;
  // One object per step, built whole (this runs for every item a page walk passes).
  const position: CursorPosition =
    previous === undefined ? { s, t, i, o, id } : { s, t, i, o, id, p: source.idOf(previous) };
  return {
    item,
    position: i === page.items.length - 1 ? { ...position, n: page.nextToken } : position,
  };
}

/**
 * Yields upstream items in order from `start`, across empty pages and stream boundaries,
 * fetching each page only when the consumer asks for its first item. With `before`, stops
 * strictly before its anchor: the item with its id in the cursor's stream, else (in the cursor's own page, when the id
 * is gone) just after its predecessor `p`, else at its index. Returns whether it stopped there.
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

function resumeIndex<T>(source: PageSource<T>, page: Page<T>, anchor: Anchor): number {
  const found = indexOfId(source, page, anchor.id);
  if (found >= 0) return found + 1;
  const prev = anchor.prev === undefined ? -1 : indexOfId(source, page, anchor.prev);
  return prev >= 0 ? prev + 1 : anchor.fallback;
}

function stopIndex<T>(
  source: PageSource<T>,
  page: Page<T>,
  s: number,
  t: string | null,
  before: CursorPosition,
  begin: number,
): number {
  // Ids are unique within a stream only (the same stack name lists in two regions): the anchor
  // is only ever in the cursor's own stream.
  if (s !== before.s) return -1;
  const found = indexOfId(source, page, before.id);
  if (found >= 0) return Math.max(found, begin);
  if (t !== before.t) return -1;
  const prev = before.p === undefined ? -1 : indexOfId(source, page, before.p);
  const at = prev >= 0 ? prev + 1 : Math.min(before.i, page.items.length);
  return Math.max(at, begin);
}
