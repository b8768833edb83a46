/**
 * The pure pagination core: Relay connection arguments over forward-only, token-paged upstream
 * streams. No GraphQL, no AWS, no I/O; the caller supplies a {@link PageSource}. Cursors are
 * opaque: sealed (encrypted and authenticated) by an injected {@link Sealer}, and bound to their
 * query.
 *
 * Under churn (sessions starting and ending between requests), resuming `after` a cursor:
 * - neither skips nor repeats a session listed at both requests while the cursor's session,
 *   or else its predecessor on its page, is still listed less than a page away from where it
 *   was: a mid-page cursor re-reads its page and re-anchors (after its id, else after its
 *   predecessor, else at its issue-time index, which can skip or repeat); a page-final cursor
 *   reads the next page and resumes there when that page still starts with the item it started
 *   with at issue time (no extra call), just after the cursor's session or predecessor when
 *   insertions pushed them onto it, and otherwise re-reads its own page and re-anchors;
 * - sees sessions inserted after the cursor, except one inserted right after a page-final
 *   cursor while as many sessions ended earlier on its page (the next page is then unchanged);
 * - sees sessions appended to the last stream after its end, not those appended to an earlier
 *   stream once the walk has moved past it.
 * `before` stops at its session, else (on its own page) just after its predecessor, else at its
 * issue-time index; BAD_USER_INPUT when none of these can be found. Offsets (`hasPreviousPage`
 * shortcuts, empty windows) are as of issue time, and a change between two page reads of one
 * call shifts items behind later tokens as the upstream does.
 */
export { normalizeConnectionArgs, DEFAULT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './args.js';
export type { ConnectionArgs, NormalizedConnectionArgs, NormalizeOptions } from './args.js';
export { countItems } from './count.js';
export type { CountOptions } from './count.js';
export {
  createCursorCodec,
  CURSOR_PREFIX,
  CURSOR_VERSION,
  MAX_CURSOR_LENGTH,
  MAX_UPSTREAM_TOKEN_LENGTH,
} from './cursor.js';
export type { CursorCodec, CursorCodecOptions, CursorPosition, CursorRegions } from './cursor.js';
export type { Sealer } from './sealer.js';
export { MAX_INDEXED_HOLDERS } from './sealer.js';
export { paginate } from './paginate.js';
export { oneRegion, regionSource, streamRegions } from './regions.js';
export type { RegionItem } from './regions.js';
export type { Connection, Edge, PageInfo, PaginateOptions } from './paginate.js';
export { DEFAULT_SCAN_BOUND } from './reader.js';
export type { Page, PageSource } from './source.js';
