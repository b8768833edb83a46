import type { CursorPosition } from './cursor.js';
import type { PageReader } from './reader.js';
import { indexOfId } from './scan.js';
import type { WalkStart } from './scan.js';

/**
 * Where the items strictly after `after` start (the start of stream 0 without it).
 *
 * - Mid-page cursor: re-read its page `t` and re-anchor (after `id`, else after `p`, else at
 *   index `i`).
 * - Page-final cursor (string `n`): read page `n`, following empty pages to the first
 *   non-empty one, P. If P holds `id` (items were inserted before it: the list shifted right),
 *   resume just after it; else if P holds `p` (the same, and `id` ended), just after that. If
 *   `f` is P's first item (nothing shifted) or the cursor carries no `f`, resume at P's start:
 *   no extra upstream call. Otherwise (the list shifted left, `f` ended, or items were inserted
 *   right after the edge) fall back to the mid-page path: re-read page `t` and re-anchor.
 * - Stream-final cursor (`n` null): the next stream's start; for the last stream, the mid-page
 *   path, so that items appended after the end are seen.
 */
export async function startAfter<T>(
  reader: PageReader<T>,
  after: CursorPosition | null,
): Promise<WalkStart> {
  if (after === null) return { s: 0, t: null, from: 0, o: 0 };
  const { s, n, f } = after;
  const o = after.o + 1;
  const reanchor: WalkStart = {
    s,
    t: after.t,
    from: { id: after.id, prev: after.p, fallback: after.i },
    o,
  };
  if (n === undefined) return reanchor;
  if (n === null) {
    return s + 1 < reader.source.streams ? { s: s + 1, t: null, from: 0, o } : reanchor;
  }
  const { source } = reader;
  let t = n;
  for (;;) {
    const page = await reader.read(s, t);
    const [head] = page.items;
    if (head !== undefined) {
      if (f !== undefined && source.idOf(head) === f) return { s, t, from: 0, o };
      const anchor = indexOfId(source, page, after.id);
      if (anchor >= 0) return { s, t, from: anchor + 1, o };
      const prev = after.p === undefined ? -1 : indexOfId(source, page, after.p);
      if (prev >= 0) return { s, t, from: prev + 1, o };
      return f === undefined ? { s, t, from: 0, o } : reanchor;
    }
    if (page.nextToken === null) return f === undefined ? { s, t: n, from: 0, o } : reanchor;
    t = page.nextToken;
  }
}
