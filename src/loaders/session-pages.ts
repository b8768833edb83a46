import { ErrorCode, GatewayError, toError } from '../errors.js';
import DataLoader from 'dataloader';
import type { SessionQuery, SessionRecord, Upstream, UpstreamPage } from '../upstream/types.js';
import type { ListingCheck } from './confirm-listing.js';

/** One DescribeSessions page request: the listing's filters and the token of the page (null: first). */
export interface SessionPageKey {
  readonly query: SessionQuery;
  readonly token: string | null;
}

/** A canonical string for a listing's filters; equal listings give equal strings. */
export function sessionQueryKey(query: SessionQuery): string {
  return JSON.stringify([
    query.stackName,
    query.fleetName,
    query.userId ?? null,
    query.authenticationType ?? null,
    query.instanceId ?? null,
  ]);
}

/**
 * A per-request loader of DescribeSessions pages. Within one GraphQL request, every page is
 * fetched at most once however many fields, aliases or scans ask for it; a failed page fails
 * every field that asked for it, with the same error. Create one per request: never share it
 * between requests or callers.
 *
 * Pages asked for in the same tick are fetched concurrently and delivered together, on purpose:
 * the lookups their sessions make next (`fleet`, `stack`) then land in one DescribeFleets and one
 * DescribeStacks batch instead of one per connection. The response waits for the slowest page
 * anyway, so this costs little latency and saves one upstream call per connection.
 *
 * With `check`, a listing that may name a stack or fleet that does not exist (AppStream answered
 * `NOT_FOUND`, or an empty first page) is confirmed through it: see {@link checked}. A listing
 * with sessions costs no check.
 */
export function createSessionPageLoader(
  upstream: Upstream,
  check?: ListingCheck,
): DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string> {
  return new DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string>(
    async (keys) => {
      const settled = await Promise.allSettled(
        keys.map((key) => upstream.describeSessions(key.query, key.token)),
      );
      // Checked in one tick, so that the name lookups of every page land in one batch.
      return Promise.all(
        keys.map(async (key, k) => {
          const result = settled[k];
          if (result === undefined) return new Error('no result');
          return checked(key, result, check).catch(toError);
        }),
      );
    },
    { cacheKeyFn: (key) => `${sessionQueryKey(key.query)}|${key.token ?? ''}` },
  );
}

/**
 * A page as AppStream answered it, except for a listing whose stack or fleet may not exist: a
 * `NOT_FOUND` from AppStream, or an empty first page without a token. Then `check` asks for the
 * names, and the error names the missing one; an empty listing of existing names stays empty.
 */
async function checked(
  key: SessionPageKey,
  result: PromiseSettledResult<UpstreamPage<SessionRecord>>,
  check: ListingCheck | undefined,
): Promise<UpstreamPage<SessionRecord>> {
  if (result.status === 'rejected') {
    const error: unknown = result.reason;
    if (check === undefined || !(error instanceof GatewayError)) throw error;
    if (error.code !== ErrorCode.NOT_FOUND) throw error;
    // When the names cannot be looked up, AppStream's own NOT_FOUND stands.
    throw (await check(key.query).catch(() => null)) ?? error;
  }
  const page = result.value;
  if (
    check !== undefined &&
    key.token === null &&
    page.items.length === 0 &&
    page.nextToken === null
  ) {
    const missing = await check(key.query);
    if (missing !== null) throw missing;
  }
  return page;
}
