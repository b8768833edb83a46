/**
 * What the live-updates core hands to its subscribers. Plain data: no GraphQL, no transport.
 */
import type { GatewayError } from '../errors.js';
import type { SessionQuery, SessionRecord, UpstreamPage } from '../upstream/types.js';

/**
 * How a session changed between two polls of a listing, as one subscriber sees it:
 * - `APPEARED`: it entered the listing (it started, or with a `state`/`connectionState` filter
 *   it changed so that it matches now);
 * - `CHANGED`: it is still listed and at least one field differs;
 * - `ENDED`: AppStream no longer lists it; the event carries its last known record;
 * - `NO_LONGER_MATCHES`: it is still listed but stopped matching the subscriber's
 *   `state`/`connectionState` filter; the event carries its new record.
 */
export type SessionChangeKind = 'APPEARED' | 'CHANGED' | 'ENDED' | 'NO_LONGER_MATCHES';

/** One change of one session between two polls. */
export interface SessionChange {
  readonly kind: SessionChangeKind;
  /** The session as last read (for `ENDED`: as last seen before it ended). */
  readonly session: SessionRecord;
  /** For `CHANGED` and `NO_LONGER_MATCHES` of the unfiltered diff: the record before. */
  readonly previous?: SessionRecord | undefined;
}

/** One page of a whole-listing read, with the token it was read with (null: the first page). */
export interface ReadPage {
  readonly token: string | null;
  readonly page: UpstreamPage<SessionRecord>;
}

/** The state of one listing at one poll: every page read, and its sessions in listing order. */
export interface ListingState {
  readonly query: SessionQuery;
  readonly pages: readonly ReadPage[];
  readonly sessions: readonly SessionRecord[];
  /** When the read that produced this state completed (ISO-8601). */
  readonly observedAt: string;
}

/**
 * What a subscription receives, in order: first one `SNAPSHOT` (the listing when the subscriber
 * joined), then one event per change; `FAILED` is always last (the subscription ends with it).
 */
export type LiveEvent =
  | { readonly kind: 'SNAPSHOT'; readonly listing: ListingState; readonly observedAt: string }
  | {
      readonly kind: SessionChangeKind;
      readonly session: SessionRecord;
      readonly observedAt: string;
    }
  | { readonly kind: 'FAILED'; readonly error: GatewayError };

/** A gateway-side predicate over sessions (`state`, `connectionState`); absent: everything. */
export type SessionPredicate = (session: SessionRecord) => boolean;
