/**
 * Live updates of session listings: one poller per distinct listing, shared by every
 * subscriber, diffing whole-listing reads by session id. No GraphQL and no transport here.
 */
export { mapEvents } from './queue.js';
export { createLiveHub, DEFAULT_LIVE_SETTINGS, MAX_QUEUED_EVENTS } from './hub.js';
export type {
  LiveHub,
  LiveHubOptions,
  LiveSessions,
  LiveSettings,
  LiveStats,
  SubscribeOptions,
} from './hub.js';
export { diffListing, filterChanges, mergeReads, sameValue } from './diff.js';
export type {
  ListingState,
  LiveEvent,
  ReadPage,
  SessionChange,
  SessionChangeKind,
  SessionPredicate,
} from './types.js';
