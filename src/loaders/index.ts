import type DataLoader from 'dataloader';
import type { SessionRecord, Upstream, UpstreamPage } from '../upstream/types.js';
import { createSessionByIdLoader } from './session-by-id.js';
import type { SessionKey } from './session-by-id.js';
import { createSessionPageLoader } from './session-pages.js';
import type { SessionPageKey } from './session-pages.js';

export { sessionQueryKey } from './session-pages.js';
export type { SessionPageKey } from './session-pages.js';
export type { SessionKey } from './session-by-id.js';

/** Every loader of one GraphQL request. */
export interface Loaders {
  /** DescribeSessions pages, each fetched at most once per request. */
  readonly sessionPages: DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string>;
  /** Sessions by (stack, fleet, id), one listing scan per (stack, fleet); shares `sessionPages`. */
  readonly sessionsById: DataLoader<SessionKey, SessionRecord | null, string>;
}

/**
 * Creates the loaders of one request. Call once per request; never share the result between
 * requests or callers, since their caches hold what one caller was allowed to see.
 */
export function createLoaders(
  upstream: Upstream,
  options: { readonly scanBound: number },
): Loaders {
  const sessionPages = createSessionPageLoader(upstream);
  return {
    sessionPages,
    sessionsById: createSessionByIdLoader(sessionPages, options.scanBound),
  };
}
