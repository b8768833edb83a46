import { ErrorCode, GatewayError } from '../errors.js';
import { sessionQueryKey } from '../loaders/index.js';
import type { SessionQuery, Upstream } from '../upstream/types.js';
import { createPoller } from './poller.js';
import type { Poller, PollerSubscriber, PollOutcome } from './poller.js';
import { createEventQueue } from './queue.js';
import type { LiveEvent, SessionPredicate } from './types.js';

/** Limits and timing of live updates; see the README's configuration table. */
export interface LiveSettings {
  /** Time between two polls of a listing (`LIVE_POLL_INTERVAL_MS`). */
  readonly intervalMs: number;
  /** Failed polls for this long end the subscriptions (`LIVE_OUTAGE_MS`). */
  readonly outageMs: number;
  /** Most subscriptions in the process (`LIVE_MAX_SUBSCRIPTIONS`). */
  readonly maxSubscriptions: number;
  /** Most subscriptions on one connection (`LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
  readonly maxSubscriptionsPerConnection: number;
  /** Most listings polled at once (`LIVE_MAX_POLLERS`). */
  readonly maxPollers: number;
  /**
   * Most distinct listings one connection subscribes to at once
   * (`LIVE_MAX_LISTINGS_PER_CONNECTION`), so that one client cannot take every poller.
   */
  readonly maxListingsPerConnection: number;
}

/** Live-updates settings when nothing is configured. */
export const DEFAULT_LIVE_SETTINGS: LiveSettings = {
  intervalMs: 5000,
  outageMs: 60_000,
  maxSubscriptions: 10_000,
  maxSubscriptionsPerConnection: 100,
  maxPollers: 50,
  maxListingsPerConnection: 10,
};

/** Events a subscriber may fall behind by before its subscription is ended. */
export const MAX_QUEUED_EVENTS = 10_000;

/** Counters and gauges of live updates (for metrics and tests). */
export interface LiveStats {
  readonly subscriptions: number;
  readonly pollers: number;
  /** Polls by outcome since the hub was created. */
  readonly polls: Readonly<Record<PollOutcome, number>>;
  /** Events handed to subscribers since the hub was created. */
  readonly eventsSent: number;
}

/** Who subscribes, and what they filter on the gateway side. */
export interface SubscribeOptions {
  /** The caller's `AccessScope.key`: pollers are shared only within one scope. */
  readonly scope: string;
  /** The AppStream region of the listing (absent: the first configured region). */
  readonly region?: string | undefined;
  /** The `state`/`connectionState` filter; absent: every session of the listing. */
  readonly matches?: SessionPredicate | undefined;
}

/** What one connection (one WebSocket) may do: each connection gets its own handle. */
export interface LiveSessions {
  /**
   * Subscribes to one listing: a `SNAPSHOT`, then its changes as `matches` sees them. Returning
   * the iterator unsubscribes at once. Throws `SUBSCRIPTION_LIMIT_EXCEEDED` when a limit is
   * reached and `LIVE_UPDATES_INTERRUPTED` once the hub is closed. Whether the caller may see the
   * listing is decided before this is called.
   */
  subscribe(query: SessionQuery, options: SubscribeOptions): AsyncIterableIterator<LiveEvent>;
}

/** The process-wide set of pollers: one per distinct listing, shared by all its subscribers. */
export interface LiveHub {
  /** A handle for one new connection, counting its subscriptions against the per-connection limit. */
  connection(): LiveSessions;
  stats(): LiveStats;
  /** Ends every subscription and stops every poller; later subscribes fail. */
  close(): void;
}

export interface LiveHubOptions {
  readonly upstream: Upstream;
  readonly scanBound: number;
  readonly settings?: Partial<LiveSettings>;
  /** The clock (default `Date.now`). */
  readonly now?: () => number;
}

function limitExceeded(message: string): GatewayError {
  return new GatewayError(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, message);
}

/**
 * Creates the hub. Pollers are keyed like the page cache: the caller's `AccessScope.key`, the
 * region, plus the upstream listing (stack, fleet, `userId` with `authenticationType`, `instanceId`), so a poller's
 * state is only ever shared by callers who may see exactly the same data, and its fresh pages
 * refresh the page cache of that scope. Gateway-side filters (`state`, `connectionState`) are
 * applied per subscriber, so subscribers with different filters share one poll.
 */
export function createLiveHub(options: LiveHubOptions): LiveHub {
  const settings = { ...DEFAULT_LIVE_SETTINGS, ...options.settings };
  const now = options.now ?? Date.now;
  const pollers = new Map<string, Poller>();
  const polls: Record<PollOutcome, number> = { ok: 0, throttled: 0, failed: 0 };
  let subscriptions = 0;
  let eventsSent = 0;
  let closed = false;

  const pollerFor = (query: SessionQuery, scope: string, region: string | undefined): Poller => {
    const key = `${scope}\u0000${region ?? ''}\u0000${sessionQueryKey(query)}`;
    const existing = pollers.get(key);
    if (existing !== undefined) return existing;
    if (pollers.size >= settings.maxPollers) {
      throw limitExceeded(
        `The gateway already watches ${settings.maxPollers} listings (LIVE_MAX_POLLERS); ` +
          'subscribe to a listing already watched, or try again later.',
      );
    }
    const poller = createPoller({
      upstream: options.upstream,
      query,
      scope,
      region,
      scanBound: options.scanBound,
      intervalMs: settings.intervalMs,
      maxBackoffMs: settings.intervalMs * 8,
      outageMs: settings.outageMs,
      now,
      onPoll: (outcome) => {
        polls[outcome] += 1;
      },
      onStop: () => {
        if (pollers.get(key) === poller) pollers.delete(key);
      },
    });
    pollers.set(key, poller);
    return poller;
  };

  const subscribe = (
    query: SessionQuery,
    { scope, region, matches }: SubscribeOptions,
    release: () => void,
  ): AsyncIterableIterator<LiveEvent> => {
    const poller = pollerFor(query, scope, region);
    subscriptions += 1;
    const queue = createEventQueue<LiveEvent>(() => {
      subscriptions -= 1;
      release();
      poller.remove(subscriber);
    });
    const subscriber: PollerSubscriber = {
      matches,
      deliver(events) {
        for (const event of events) {
          if (queue.closed) return;
          if (event.kind !== 'FAILED' && queue.size >= MAX_QUEUED_EVENTS) {
            poller.remove(subscriber);
            queue.push({
              kind: 'FAILED',
              error: limitExceeded(
                `This subscription fell ${MAX_QUEUED_EVENTS} events behind; read events faster or subscribe to a narrower listing.`,
              ),
            });
            queue.end();
            return;
          }
          queue.push(event);
          eventsSent += 1;
          if (event.kind === 'FAILED') queue.end();
        }
      },
    };
    poller.add(subscriber);
    return queue;
  };

  return {
    connection() {
      let open = 0;
      // Subscriptions of this connection per listing.
      const listings = new Map<string, number>();
      return {
        subscribe(query, subscribeOptions) {
          if (closed) {
            throw new GatewayError(
              ErrorCode.LIVE_UPDATES_INTERRUPTED,
              'The gateway is shutting down; subscribe again in a moment.',
            );
          }
          if (open >= settings.maxSubscriptionsPerConnection) {
            throw limitExceeded(
              `This connection already has ${settings.maxSubscriptionsPerConnection} subscriptions (LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first.`,
            );
          }
          if (subscriptions >= settings.maxSubscriptions) {
            throw limitExceeded(
              `The gateway already serves ${settings.maxSubscriptions} subscriptions (LIVE_MAX_SUBSCRIPTIONS); try again later.`,
            );
          }
          const listing = `${subscribeOptions.region ?? ''}\u0000${sessionQueryKey(query)}`;
          const held = listings.get(listing) ?? 0;
          if (held === 0 && listings.size >= settings.maxListingsPerConnection) {
            throw limitExceeded(
              `This connection already watches ${settings.maxListingsPerConnection} listings (LIVE_MAX_LISTINGS_PER_CONNECTION); complete a subscription on one of them first.`,
            );
          }
          const iterator = subscribe(query, subscribeOptions, () => {
            open -= 1;
            const left = (listings.get(listing) ?? 1) - 1;
            if (left > 0) listings.set(listing, left);
            else listings.delete(listing);
          });
          open += 1;
          listings.set(listing, held + 1);
          return iterator;
        },
      };
    },
    stats: () => ({
      subscriptions,
      pollers: pollers.size,
      polls: { ...polls },
      eventsSent,
    }),
    close() {
      closed = true;
      const shutdown = new GatewayError(
        ErrorCode.LIVE_UPDATES_INTERRUPTED,
        'The gateway is shutting down; subscribe again in a moment.',
      );
      for (const poller of [...pollers.values()]) poller.fail(shutdown);
    },
  };
}
