import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import type { DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { connectionParamsOf, createClientPool, releasing } from './sockets.js';

type Fetcher = GraphiQLProps['fetcher'];

/** Whether the operation GraphiQL runs is a subscription (an unparsable one goes to HTTP). */
function isSubscription(
  query: string,
  operationName: string | null | undefined,
  documentAST: DocumentNode | undefined,
): boolean {
  let document = documentAST;
  if (document === undefined) {
    try {
      document = parse(query);
    } catch {
      return false;
    }
  }
  return (
    getOperationAST(document, operationName ?? undefined)?.operation ===
    OperationTypeNode.SUBSCRIPTION
  );
}

/**
 * GraphiQL's fetcher for the gateway's own `/graphql`. Queries and mutations: one POST each,
 * with the headers typed in the headers editor (for example `Authorization`). Subscriptions: over
 * WebSocket at the same URL (graphql-ws), those headers sent as `connectionParams` (browsers
 * cannot set headers on the upgrade; the gateway authenticates `connection_init` from them), the
 * events returned as an async iterable that GraphiQL streams into the response pane until the
 * stop button or the end of the subscription. One connection per distinct set of headers.
 */
export function createFetcher(url: string): Fetcher {
  const sockets = createClientPool<Client>((connectionParams) =>
    createClient({
      url: url.replace(/^http/, 'ws'),
      connectionParams,
      // A closed connection ends the subscription with its reason in the pane; run it again.
      retryAttempts: 0,
    }),
  );
  return async (params, options) => {
    if (isSubscription(params.query, params.operationName, options?.documentAST)) {
      const lease = sockets.acquire(connectionParamsOf(options?.headers));
      const events = lease.client.iterate({
        query: params.query,
        ...(params.operationName == null ? {} : { operationName: params.operationName }),
        ...(params.variables == null
          ? {}
          : { variables: params.variables as Record<string, unknown> }),
      });
      // The JSON of each event, as for HTTP (GraphiQL's types expect graphql's error class).
      return releasing(events as AsyncIterableIterator<Record<string, unknown>>, () =>
        lease.release(),
      );
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/graphql-response+json, application/json',
        'content-type': 'application/json',
        ...options?.headers,
      },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // GraphiQL shows a thrown error in the response pane.
      throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
    }
  };
}
