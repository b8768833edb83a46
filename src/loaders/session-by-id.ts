import DataLoader from 'dataloader';
import { ErrorCode, GatewayError, toError } from '../errors.js';
import type {
  AuthenticationType,
  SessionQuery,
  SessionRecord,
  UpstreamPage,
} from '../upstream/types.js';
import { sessionQueryKey } from './session-pages.js';
import type { SessionPageKey } from './session-pages.js';

/**
 * Identifies one session: AppStream can only find it by listing its (stack, fleet) pair, a
 * listing its user (with the authentication type) or its instance narrows when known.
 */
export interface SessionKey {
  readonly stackName: string;
  readonly fleetName: string;
  readonly sessionId: string;
  readonly userId?: string | undefined;
  readonly authenticationType?: AuthenticationType | undefined;
  readonly instanceId?: string | undefined;
}

/**
 * The narrowest listing that holds the session of `key`: filtered by its user when the key
 * carries user and authentication type (a user has few sessions on a pair, so ids of one user
 * share a listing), else by its instance, else the whole (stack, fleet) listing.
 */
export function lookupQuery(key: SessionKey): SessionQuery {
  const { stackName, fleetName, userId, authenticationType, instanceId } = key;
  if (userId !== undefined && authenticationType !== undefined) {
    return { stackName, fleetName, userId, authenticationType };
  }
  return instanceId === undefined ? { stackName, fleetName } : { stackName, fleetName, instanceId };
}

type PageLoader = DataLoader<SessionPageKey, UpstreamPage<SessionRecord>, string>;

/**
 * Scans one (stack, fleet) listing for a set of session ids, stopping as soon as all are found.
 * Returns the found sessions by id. A listing of a stack or fleet that no longer exists finds
 * nothing. Scanning past `scanBound` sessions throws `SCAN_LIMIT_EXCEEDED`.
 */
async function scanFor(
  pages: PageLoader,
  query: SessionQuery,
  ids: ReadonlySet<string>,
  scanBound: number,
): Promise<Map<string, SessionRecord>> {
  const found = new Map<string, SessionRecord>();
  let token: string | null = null;
  let scanned = 0;
  do {
    let page: UpstreamPage<SessionRecord>;
    try {
      page = await pages.load({ query, token });
    } catch (error: unknown) {
      if (error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND) return found;
      throw error;
    }
    for (const session of page.items) if (ids.has(session.id)) found.set(session.id, session);
    scanned += page.items.length;
    token = page.nextToken;
    if (found.size === ids.size) return found;
    if (token !== null && scanned > scanBound) {
      throw new GatewayError(
        ErrorCode.SCAN_LIMIT_EXCEEDED,
        `Finding this session would scan more than ${scanBound} sessions of stack "${query.stackName}" ` +
          `with fleet "${query.fleetName}" (the scan bound)` +
          (query.userId === undefined && query.instanceId === undefined
            ? ': its id carries no user or instance to narrow the lookup (an id issued by an ' +
              'earlier version of the gateway). Fetch the session again for its current id, or ' +
              'list it with `sessions` and a userId filter.'
            : '; list it with `sessions` and the same filters instead.'),
      );
    }
  } while (token !== null);
  return found;
}

/**
 * A per-request loader of sessions by key. Keys are grouped by their narrowed listing
 * ({@link lookupQuery}), and each group costs one scan of that listing however many ids it holds:
 * usually one filtered DescribeSessions call. A session that is no longer listed resolves to
 * `null`; past `scanBound` scanned sessions, its group fails with `SCAN_LIMIT_EXCEEDED`.
 */
export function createSessionByIdLoader(
  pages: PageLoader,
  scanBound: number,
): DataLoader<SessionKey, SessionRecord | null, string> {
  return new DataLoader<SessionKey, SessionRecord | null, string>(
    async (keys) => {
      const groups = new Map<string, { query: SessionQuery; ids: Set<string> }>();
      for (const key of keys) {
        const query = lookupQuery(key);
        const groupKey = sessionQueryKey(query);
        let group = groups.get(groupKey);
        if (!group) {
          group = { query, ids: new Set() };
          groups.set(groupKey, group);
        }
        group.ids.add(key.sessionId);
      }
      const results = new Map<string, Map<string, SessionRecord> | Error>();
      await Promise.all(
        [...groups].map(async ([groupKey, group]) => {
          try {
            results.set(groupKey, await scanFor(pages, group.query, group.ids, scanBound));
          } catch (error: unknown) {
            results.set(groupKey, toError(error));
          }
        }),
      );
      return keys.map((key) => {
        const result = results.get(sessionQueryKey(lookupQuery(key)));
        if (result instanceof Error) return result;
        return result?.get(key.sessionId) ?? null;
      });
    },
    { cacheKeyFn: (key) => `${sessionQueryKey(lookupQuery(key))}|${key.sessionId}` },
  );
}
