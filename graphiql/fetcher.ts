import type { GraphiQLProps } from 'graphiql';

type Fetcher = GraphiQLProps['fetcher'];

/**
 * GraphiQL's fetcher: one POST per operation to the gateway's own `/graphql`, with the headers
 * typed in the headers editor (for example `Authorization`). JSON only; no subscriptions yet.
 */
export function createFetcher(url: string): Fetcher {
  return async (params, options) => {
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
