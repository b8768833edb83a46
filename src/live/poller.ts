import { ErrorCode, GatewayError } from '../errors.js';
import type { SessionQuery, SessionRecord, Upstream } from '../upstream/types.js';
import { diffListing, filterChanges, mergeReads } from './diff.js';
import { readListing } from './read.js';
import type { ListingState, LiveEvent, SessionPredicate } from './types.js';

/** One subscriber of a poller: its filter, and where its events go. */
export interface PollerSubscriber {
  readonly matches: SessionPredicate | undefined;
  /** Receives the events of one poll, in order; `FAILED` is the last call it gets. */
  deliver(events: readonly LiveEvent[]): void;
}

/** What one poll ended with, for statistics. */
export type PollOutcome = 'ok' | 'throttled' | 'failed';

export interface PollerOptions {
  readonly upstream: Upstream;
  readonly query: SessionQuery;
  /** The `AccessScope.key` the poll's upstream calls carry (page cache and single-flight). */
  readonly scope: string;
  /** The AppStream region the listing is read in (absent: the first configured region). */
  readonly region?: string | undefined;
  readonly scanBound: number;
  /** Time between the starts of two polls while the upstream answers. */
  readonly intervalMs: number;
  /** Longest time between polls while backing off (throttling, failures). */
  readonly maxBackoffMs: number;
  /** Failed (not throttled) polls for longer than this end the subscriptions. */
  readonly outageMs: number;
  readonly now: () => number;
  /** Called once per poll (a confirming re-read is part of its poll). */
  readonly onPoll: (outcome: PollOutcome) => void;
  /** Called once when the poller stops (last subscriber gone, or a terminal failure). */
  readonly onStop: () => void;
}

/** One listing's poller, shared by all its subscribers. */
export interface Poller {
  /** Adds a subscriber: it gets the current state as a `SNAPSHOT` now, or after the first poll. */
  add(subscriber: PollerSubscriber): void;
  /** Removes a subscriber; the last one leaving stops the poller. Idempotent. */
  remove(subscriber: PollerSubscriber): void;
  /** Ends every subscription with `error` and stops. */
  fail(error: GatewayError): void;
  readonly subscribers: number;
}

interface State {
  readonly byId: ReadonlyMap<string, SessionRecord>;
  readonly listing: ListingState;
}

function interrupted(outageMs: number): GatewayError {
  return new GatewayError(
    ErrorCode.LIVE_UPDATES_INTERRUPTED,
    `AppStream could not be read for more than ${Math.round(outageMs / 1000)} s, so live updates ` +
      'stopped; subscribe again (you will get a fresh snapshot).',
  );
}

/**
 * Creates a poller and starts its first poll at once. Each poll reads the whole listing fresh
 * (one DescribeSessions call per 50 sessions) and diffs it by session id against the previous
 * poll. When a multi-page read misses sessions that were listed before, the listing is read once
 * more and only sessions missing from both reads end: a session ending during a read shifts
 * AppStream's offset-based pages, which could otherwise report a listed session as ended.
 *
 * Failures never reach subscribers as false events: a throttled poll doubles the time to the
 * next poll (up to `maxBackoffMs`) and never ends subscriptions; other upstream failures back
 * off the same way and end the subscriptions with `LIVE_UPDATES_INTERRUPTED` once they have
 * lasted `outageMs`; errors about the listing itself (`NOT_FOUND`, `SCAN_LIMIT_EXCEEDED`, ...)
 * end them at once. A successful poll goes back to `intervalMs`.
 */
export function createPoller(options: PollerOptions): Poller {
  const { upstream, query, scanBound, intervalMs, maxBackoffMs, outageMs, now } = options;
  // Never a cached page older than the poll; the fresh pages refresh the cache for queries.
  const callOptions = {
    scope: options.scope,
    maxAgeMs: 0,
    ...(options.region === undefined ? {} : { region: options.region }),
  };
  const subscribers = new Map<PollerSubscriber, { primed: boolean }>();
  let current: State | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let delay = intervalMs;
  let failingSince: number | undefined;
  // A function, not the variable: the flag changes while a poll awaits the upstream.
  const isStopped = (): boolean => stopped;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    subscribers.clear();
    options.onStop();
  };

  const snapshotOf = (state: State): LiveEvent => ({
    kind: 'SNAPSHOT',
    listing: state.listing,
    observedAt: state.listing.observedAt,
  });

  const read = async (): Promise<State> => {
    let { pages, sessions } = await readListing(upstream, query, scanBound, callOptions);
    const previous = current?.byId;
    const ids = new Set(sessions.map((session) => session.id));
    if (
      pages.length > 1 &&
      previous !== undefined &&
      [...previous.keys()].some((id) => !ids.has(id))
    ) {
      const again = await readListing(upstream, query, scanBound, callOptions);
      sessions = mergeReads(sessions, again.sessions);
      pages = again.pages;
    }
    const observedAt = new Date(now()).toISOString();
    return {
      byId: new Map(sessions.map((session) => [session.id, session])),
      listing: { query, pages, sessions, observedAt },
    };
  };

  const publish = (next: State): void => {
    const changes = diffListing(current?.byId, next.listing.sessions);
    current = next;
    const { observedAt } = next.listing;
    for (const [subscriber, status] of [...subscribers]) {
      if (!status.primed) {
        status.primed = true;
        subscriber.deliver([snapshotOf(next)]);
        continue;
      }
      const seen = filterChanges(changes, subscriber.matches);
      if (seen.length > 0) {
        subscriber.deliver(seen.map((change) => ({ ...change, observedAt })));
      }
    }
  };

  const onFailure = (error: unknown, startedAt: number): void => {
    const gatewayError =
      error instanceof GatewayError
        ? error
        : new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.', { cause: error });
    switch (gatewayError.code) {
      case ErrorCode.UPSTREAM_THROTTLED:
        options.onPoll('throttled');
        delay = Math.min(delay * 2, maxBackoffMs);
        return;
      case ErrorCode.UPSTREAM_UNAVAILABLE:
      case ErrorCode.INTERNAL_SERVER_ERROR:
        options.onPoll('failed');
        failingSince ??= startedAt;
        if (now() - failingSince >= outageMs) poller.fail(interrupted(outageMs));
        else delay = Math.min(delay * 2, maxBackoffMs);
        return;
      default:
        options.onPoll('failed');
        poller.fail(gatewayError);
    }
  };

  const tick = async (): Promise<void> => {
    timer = undefined;
    const startedAt = now();
    try {
      const next = await read();
      if (isStopped()) return;
      options.onPoll('ok');
      delay = intervalMs;
      failingSince = undefined;
      publish(next);
    } catch (error: unknown) {
      if (isStopped()) return;
      onFailure(error, startedAt);
    }
    if (!isStopped()) schedule(Math.max(0, delay - (now() - startedAt)));
  };

  const schedule = (ms: number): void => {
    timer = setTimeout(() => void tick(), ms);
  };

  const poller: Poller = {
    add(subscriber) {
      const primed = current !== undefined;
      subscribers.set(subscriber, { primed });
      if (current !== undefined) subscriber.deliver([snapshotOf(current)]);
    },
    remove(subscriber) {
      if (!subscribers.delete(subscriber)) return;
      if (subscribers.size === 0) stop();
    },
    fail(error) {
      const failed = [...subscribers.keys()];
      stop();
      for (const subscriber of failed) subscriber.deliver([{ kind: 'FAILED', error }]);
    },
    get subscribers() {
      return subscribers.size;
    },
  };
  schedule(0);
  return poller;
}
