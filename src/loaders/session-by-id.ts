import DataLoader from 'dataloader';
import { ErrorCode, GatewayError, toError } from '../errors.js';
import type { SessionQuery, SessionRecord, UpstreamPage } from '../upstream/types.js';
import type { SessionPageKey } from './session-pages.js';

/** Identifies one session: AppStream can only find it by listing its (stack, fleet) pair. */
export interface SessionKey {
  readonly stackName: string;
  readonly fleetName: string;
  readonly sessionId: string;
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
          `with fleet "${query.fleetName}" (the scan bound); list them with \`sessions\` and a userId filter instead.`,
      );
    }
  } while (token !== null);
  return found;
}

/**
 * A per-request loader of sessions by key. Keys are grouped by (stack, fleet), and each group
 * costs one scan of that listing however many ids it holds. A session that is no longer listed
 * resolves to `null`.
 */
export function createSessionByIdLoader(
  pages: PageLoader,
  scanBound: number,
): DataLoader<SessionKey, SessionRecord | null, string> {
  return new DataLoader<SessionKey, SessionRecord | null, string>(
    async (keys) => {
      const groups = new Map<string, { query: SessionQuery; ids: Set<string> }>();
      for (const key of keys) {
        const groupKey = JSON.stringify([key.stackName, key.fleetName]);
        let group = groups.get(groupKey);
        if (!group) {
          group = { query: { stackName: key.stackName, fleetName: key.fleetName }, ids: new Set() };
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
        const result = results.get(JSON.stringify([key.stackName, key.fleetName]));
        if (result instanceof Error) return result;
        return result?.get(key.sessionId) ?? null;
      });
    },
    { cacheKeyFn: (key) => JSON.stringify([key.stackName, key.fleetName, key.sessionId]) },
  );
}
