/**
 * The pure pagination core: Relay connection arguments over forward-only, token-paged upstream
 * streams. No GraphQL, no AWS, no I/O; the caller supplies a {@link PageSource}.
 *
 * Under churn (sessions starting and ending between requests) a forward walk neither skips nor
 * repeats an item when the change happened in the cursor's own page: the cursor re-anchors on its
 * session id, or on its index when that session ended; sessions appended to the last stream after
 * its end are seen. Changes in other pages may shift later page tokens (an item can then be seen
 * twice or missed), offsets (`hasPreviousPage` shortcuts) are as of the cursor's issue time, and a
 * resume from a page-final cursor starts at the next page token as issued.
 */
export { normalizeConnectionArgs, DEFAULT_MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './args.js';
export type { ConnectionArgs, NormalizedConnectionArgs, NormalizeOptions } from './args.js';
export { countItems } from './count.js';
export type { CountOptions } from './count.js';
export { createCursorCodec, CURSOR_PREFIX, CURSOR_VERSION, MAX_CURSOR_LENGTH } from './cursor.js';
export type { CursorCodec, CursorCodecOptions, CursorPosition } from './cursor.js';
export { fnv1a64 } from './hash.js';
export { paginate } from './paginate.js';
export type { Connection, Edge, PageInfo, PaginateOptions } from './paginate.js';
export { DEFAULT_SCAN_BOUND } from './scan.js';
export type { Page, PageSource } from './source.js';
