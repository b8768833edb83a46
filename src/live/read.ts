import { ErrorCode, GatewayError } from '../errors.js';
import type {
  SessionQuery,
  SessionRecord,
  Upstream,
  UpstreamCallOptions,
} from '../upstream/types.js';
import type { ReadPage } from './types.js';

/** One whole-listing read: its pages and its sessions, each id once, in listing order. */
export interface ListingRead {
  readonly pages: readonly ReadPage[];
  readonly sessions: readonly SessionRecord[];
}

/**
 * Reads a whole DescribeSessions listing fresh, page after page from the first, through
 * `upstream` with `options` (the poller passes `maxAgeMs: 0`: never a cached page, and the
 * fresh pages refresh the page cache for its scope). Throws SCAN_LIMIT_EXCEEDED once the listing holds more than `scanBound` sessions,
 * and whatever the upstream throws. A session read twice (pages shifted during the read) is
 * kept once.
 */
export async function readListing(
  upstream: Upstream,
  query: SessionQuery,
  scanBound: number,
  options: UpstreamCallOptions,
): Promise<ListingRead> {
  const pages: ReadPage[] = [];
  const sessions: SessionRecord[] = [];
  const seen = new Set<string>();
  const tokens = new Set<string>();
  let token: string | null = null;
  do {
    const page = await upstream.describeSessions(query, token, options);
    pages.push({ token, page });
    for (const session of page.items) {
      if (seen.has(session.id)) continue;
      seen.add(session.id);
      sessions.push(session);
    }
    if (sessions.length > scanBound) {
      throw new GatewayError(
        ErrorCode.SCAN_LIMIT_EXCEEDED,
        `This listing holds more than ${scanBound} sessions (the scan bound, SCAN_BOUND), too ` +
          'many to watch live; narrow it with userId or instanceId.',
      );
    }
    token = page.nextToken;
    // A token seen before would loop forever; AppStream never does this, but stop if it did.
    if (token !== null && tokens.has(token)) break;
    if (token !== null) tokens.add(token);
  } while (token !== null);
  return { pages, sessions };
}
