/**
 * Pure diffing of listing reads by session id. No I/O, no clock: the poller supplies the reads.
 */
import type { SessionRecord } from '../upstream/types.js';
import type { SessionChange, SessionPredicate } from './types.js';

/** Deep equality of JSON-like values (records as the upstream mappers build them). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    // An absent member and an `undefined` one are the same record.
    if (!sameValue(left[key], right[key])) return false;
  }
  return true;
}

/**
 * The changes from `previous` (the sessions of the last successful read, by id) to `next` (this
 * read, in listing order). Order: sessions that ended first, in their previous listing order;
 * then appearances and changes in the new listing order. Each session id appears at most once.
 * A first read (`previous` undefined) has no changes: it is the snapshot.
 */
export function diffListing(
  previous: ReadonlyMap<string, SessionRecord> | undefined,
  next: readonly SessionRecord[],
): SessionChange[] {
  if (previous === undefined) return [];
  const nextIds = new Set(next.map((session) => session.id));
  const changes: SessionChange[] = [];
  for (const [id, session] of previous) {
    if (!nextIds.has(id)) changes.push({ kind: 'ENDED', session });
  }
  for (const session of next) {
    const before = previous.get(session.id);
    if (before === undefined) changes.push({ kind: 'APPEARED', session });
    else if (!sameValue(before, session))
      changes.push({ kind: 'CHANGED', session, previous: before });
  }
  return changes;
}

/**
 * The changes as a subscriber with a gateway-side filter sees them: a change between two
 * matching records stays `CHANGED`; a session that starts matching `APPEARED`s; one that stops
 * matching is `NO_LONGER_MATCHES` (carrying its new record); changes of sessions that matched
 * neither before nor after are dropped. Without a filter the changes are returned as they are.
 */
export function filterChanges(
  changes: readonly SessionChange[],
  matches: SessionPredicate | undefined,
): SessionChange[] {
  if (matches === undefined) return [...changes];
  const seen: SessionChange[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'APPEARED':
      case 'ENDED':
      case 'NO_LONGER_MATCHES':
        if (matches(change.session)) seen.push(change);
        break;
      case 'CHANGED': {
        const before = change.previous !== undefined && matches(change.previous);
        const after = matches(change.session);
        if (before && after) seen.push(change);
        else if (after) seen.push({ kind: 'APPEARED', session: change.session });
        else if (before) seen.push({ kind: 'NO_LONGER_MATCHES', session: change.session });
        break;
      }
    }
  }
  return seen;
}

/**
 * Merges two reads of the same listing taken one after the other, when the first may have
 * skipped sessions (AppStream's page tokens are offsets: a session ending during a multi-page
 * read shifts later pages by one). A session is absent from the result only when both reads
 * miss it; records and order come from the later read, then the earlier read's extras.
 */
export function mergeReads(
  earlier: readonly SessionRecord[],
  later: readonly SessionRecord[],
): SessionRecord[] {
  const ids = new Set(later.map((session) => session.id));
  return [...later, ...earlier.filter((session) => !ids.has(session.id))];
}
