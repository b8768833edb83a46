import type {
  SessionEventResolvers,
  SubscriptionResolvers,
} from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { mapEvents } from '../live/index.js';
import type { LiveEvent } from '../live/index.js';
import { clearLoaders } from '../loaders/index.js';
import type { SessionEventModel } from './models.js';
import { regionArg } from './regions.js';
import { resolveSessionConnection } from './session-connection.js';
import { toSessionFilter, toSessionQuery } from './validate.js';
import { assertStackVisible } from './visibility.js';
import type { SessionFilter } from './validate.js';

/** What the subscription's source stream yields: an event, the subscriber's filter and region. */
interface Payload {
  readonly event: LiveEvent;
  readonly filter: SessionFilter | undefined;
  readonly region: string;
}

/**
 * Prepares the context for one event: each event resolves against fresh upstream data (the
 * loaders of a long-lived subscription would otherwise keep `fleet`, `stack` forever), and a
 * `SNAPSHOT` primes the page loader with the pages the poller read, so `snapshot` costs no call.
 */
function prepare(context: GatewayContext, event: LiveEvent, region: string): void {
  const loaders = context.loadersOf(region);
  clearLoaders(loaders);
  if (event.kind !== 'SNAPSHOT') return;
  const { query, pages } = event.listing;
  for (const { token, page } of pages) loaders.sessionPages.prime({ query, token }, page);
}

export const Subscription: SubscriptionResolvers = {
  sessionEvents: {
    subscribe: (_parent, args, context) => {
      const region = regionArg(context, args.region);
      const query = toSessionQuery(args.stackName, args.fleetName, args);
      const filter = toSessionFilter(args);
      // Outside the allow-list: NOT_FOUND as for a missing stack, before any upstream call.
      assertStackVisible(context, query.stackName, query.fleetName);
      if (context.live === undefined) {
        throw new GatewayError(
          ErrorCode.BAD_USER_INPUT,
          'Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP.',
        );
      }
      const events = context.live.subscribe(query, {
        scope: context.scope.key,
        region,
        matches: filter?.test,
      });
      return mapEvents(events, (event): Payload => ({ event, filter, region }));
    },
    resolve: (
      { event, filter, region }: Payload,
      _args: unknown,
      context: GatewayContext,
    ): SessionEventModel => {
      if (event.kind === 'FAILED') throw event.error;
      prepare(context, event, region);
      return { event, filter, region };
    },
  },
};

export const SessionEvent: SessionEventResolvers = {
  kind: ({ event }) => event.kind,
  observedAt: ({ event }) => event.observedAt,
  session: ({ event }) => (event.kind === 'SNAPSHOT' ? null : event.session),
  snapshot: ({ event, filter, region }, args, context, info) => {
    if (event.kind !== 'SNAPSHOT') return null;
    const connectionArgs = { first: args.first ?? null };
    const queries = [event.listing.query];
    return resolveSessionConnection(context, region, queries, connectionArgs, info, filter);
  },
};
