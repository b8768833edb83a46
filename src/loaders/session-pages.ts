import { toError } from '../errors.js';
import DataLoader from 'dataloader';
import type { SessionQuery, SessionRecord, Upstream, UpstreamPage } from '../upstream/types.js';

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
 */
export function createSessionPageLoader(
  upstream: Upstream,
): DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string> {
  return new DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string>(
    (keys) =>
      Promise.all(
        keys.map((key) => upstream.describeSessions(key.query, key.token).catch(toError)),
      ),
    { cacheKeyFn: (key) => `${sessionQueryKey(key.query)}|${key.token ?? ''}` },
  );
}
