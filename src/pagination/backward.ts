import type { NormalizedConnectionArgs } from './args.js';
import type { CursorPosition } from './cursor.js';
import type { PageReader } from './reader.js';
import { indexOfId, stepAt } from './scan.js';
import type { Step } from './scan.js';
import { windowSteps } from './window.js';

/** The chosen steps of a connection and its page flags. */
export interface Slice<T> {
  readonly steps: readonly Step<T>[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/**
 * The last `count` matching items of the window, by a bounded forward scan (the upstream cannot
 * go backwards) from the window start to the `before` anchor or the end, keeping the last
 * `count` in a ring buffer. Without `after`, a `before` whose own page holds enough items
 * before its anchor is answered from that page alone. `count` 0 reads only up to the first
 * matching item of the window (that decides hasPreviousPage). hasPreviousPage is exact (the window has
 * more matching items than returned); hasNextPage is whether `before` was given.
 */
export async function backward<T>(
  reader: PageReader<T>,
  args: NormalizedConnectionArgs,
  accept: (item: T) => boolean,
  filtered: boolean,
): Promise<Slice<T>> {
  const { count, after, before } = args;
  if (before !== null && after === null) {
    const quick = await fromAnchorPage(reader, count, before, accept, filtered);
    if (quick !== null) return quick;
  }
  if (count === 0) {
    // No edges: only whether the window holds a matching item matters (hasPreviousPage), so the
    // walk stops at the first one, usually on the first page read.
    const first = await windowSteps(reader, after, before, accept).next();
    return { steps: [], hasPreviousPage: first.done !== true, hasNextPage: before !== null };
  }
  const ring: Array<Step<T> | undefined> = new Array<Step<T> | undefined>(count);
  let matched = 0;
  for await (const step of windowSteps(reader, after, before, accept)) {
    ring[matched % count] = step;
    matched++;
  }
  const kept: Step<T>[] = [];
  for (let k = Math.max(0, matched - count); k < matched; k++) {
    const step = ring[k % count];
    if (step !== undefined) kept.push(step);
  }
  return { steps: kept, hasPreviousPage: matched > count, hasNextPage: before !== null };
}

/**
 * The shortcut: read only the `before` cursor's page, re-anchor by id, and take the items
 * before the anchor when there are enough. When a filter leaves exactly `count`, hasPreviousPage
 * costs a scan from the start up to the first earlier match. Null when it does not apply (anchor
 * not in the page, or too few items).
 */
async function fromAnchorPage<T>(
  reader: PageReader<T>,
  count: number,
  before: CursorPosition,
  accept: (item: T) => boolean,
  filtered: boolean,
): Promise<Slice<T> | null> {
  const { source } = reader;
  const page = await reader.read(before.s, before.t);
  const anchor = indexOfId(source, page, before.id);
  if (anchor < 0) return null;
  const anchorOffset = before.o + anchor - before.i;
  const candidates: Step<T>[] = [];
  for (const [i, item] of page.items.entries()) {
    if (i >= anchor) break;
    if (!accept(item)) continue;
    const where = { s: before.s, t: before.t, i, o: anchorOffset - anchor + i };
    candidates.push(stepAt(source, page, where, item));
  }
  if (candidates.length > count) {
    return {
      steps: candidates.slice(candidates.length - count),
      hasPreviousPage: true,
      hasNextPage: true,
    };
  }
  if (candidates.length !== count) return null;
  if (!filtered) {
    return { steps: candidates, hasPreviousPage: anchorOffset > count, hasNextPage: true };
  }
  // Exactly `count` matches on this page: whether one more precedes them decides hasPreviousPage.
  // Scan from the start, stopping at the first match (usually on the first page read).
  const earlier = await windowSteps(reader, null, candidates[0]?.position ?? before, accept).next();
  return { steps: candidates, hasPreviousPage: earlier.done !== true, hasNextPage: true };
}
