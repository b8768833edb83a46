import { createClient } from 'graphql-ws';
import type { Client, ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { Dataset } from '../../../src/emulator/index.js';

/** A graphql-ws client for the gateway at `httpUrl` (ws on the same port, `/graphql`). */
export function wsClient(httpUrl: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...options,
  });
}

/** One event as the tests select it. */
export interface EventData {
  kind: string;
  observedAt: string;
  session: { sessionId: string; state: string; connectionState: string | null } | null;
  snapshot: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { sessionId: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

export const EVENT_FIELDS = `kind observedAt session { sessionId state connectionState }
  snapshot(first: 100) { totalCount edges { cursor node { sessionId } } pageInfo { hasNextPage endCursor } }`;

/** What one subscription has received so far. */
export interface Recorded {
  readonly events: EventData[];
  readonly errors: Array<{ message: string; extensions?: { code?: string } }>;
  readonly completed: () => boolean;
  /** Resolves once `count` events have arrived (rejects on timeout with what arrived). */
  waitForEvents(count: number, timeoutMs?: number): Promise<EventData[]>;
  /** Resolves once the subscription has completed or failed. */
  ended(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

/** Polls `predicate` every 10 ms until it holds; rejects with `what` after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Subscribes with `client` and records every event and error. */
export function record(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Recorded {
  const events: EventData[] = [];
  const errors: Recorded['errors'] = [];
  let done = false;
  const unsubscribe = client.subscribe<{ sessionEvents: EventData }>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...(result.errors as Recorded['errors']));
        if (result.data?.sessionEvents) events.push(result.data.sessionEvents);
      },
      error: (error: unknown) => {
        if (Array.isArray(error)) errors.push(...(error as Recorded['errors']));
        else errors.push({ message: String(error) });
        done = true;
      },
      complete: () => {
        done = true;
      },
    },
  );
  return {
    events,
    errors,
    completed: () => done,
    async waitForEvents(count, timeoutMs) {
      await waitUntil(
        () => events.length >= count || done,
        `${count} events (got ${events.length})`,
        timeoutMs,
      );
      return events;
    },
    ended: (timeoutMs) => waitUntil(() => done, 'the subscription to end', timeoutMs),
    unsubscribe,
  };
}

/** The subscription document for one listing, with optional filters. */
export const SESSION_EVENTS = `subscription Watch($stack: String!, $fleet: String!, $state: [SessionState!]) {
  sessionEvents(stackName: $stack, fleetName: $fleet, state: $state) { ${EVENT_FIELDS} }
}`;

/** `kind:sessionId` of each event, for whole-sequence assertions. */
export const describeEvents = (events: readonly EventData[]) =>
  events.map((event) =>
    event.kind === 'SNAPSHOT'
      ? `SNAPSHOT:${event.snapshot?.totalCount ?? '?'}`
      : `${event.kind}:${event.session?.sessionId ?? '?'}`,
  );

/**
 * Stack `s1` with fleets `f1` (`f1Sessions` sessions, ACTIVE and CONNECTED) and `f2`
 * (`f2Sessions`): the listings the live tests watch.
 */
export function twoFleets(f1Sessions: number, f2Sessions = 0): Dataset {
  return datasetBuilder()
    .stack('s1')
    .fleet('f1')
    .fleet('f2')
    .associate('s1', 'f1')
    .associate('s1', 'f2')
    .sessions('s1', 'f1', f1Sessions, () => ({ State: 'ACTIVE', ConnectionState: 'CONNECTED' }))
    .sessions('s1', 'f2', f2Sessions)
    .build();
}
