import type { TestStack } from './gateway.js';

interface PageData {
  sessions: {
    edges: Array<{ cursor: string; node: { sessionId: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** The query a UI pages a fleet with. */
export const PAGE_QUERY = `query Page($stack: String!, $fleet: String!, $first: Int, $after: String) {
  sessions(stackName: $stack, fleetName: $fleet, first: $first, after: $after) {
    edges { cursor node { sessionId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * Pages a listing forward `first` at a time from `after` (default: the start) until
 * `hasNextPage` is false. Returns the ids seen, the last `endCursor` and the requests made.
 */
export async function walkSessions(
  stack: Pick<TestStack, 'graphql'>,
  options: { stack: string; fleet: string; first: number; after?: string | null },
): Promise<{ ids: string[]; endCursor: string | null; requests: number }> {
  const ids: string[] = [];
  let after = options.after ?? null;
  for (let requests = 1; requests <= 10_000; requests++) {
    const response = await stack.graphql<PageData>(PAGE_QUERY, {
      stack: options.stack,
      fleet: options.fleet,
      first: options.first,
      after,
    });
    const connection = response.data?.sessions;
    if (!connection || response.errors) {
      throw new Error(`walk failed: ${JSON.stringify(response.errors)}`);
    }
    ids.push(...connection.edges.map((edge) => edge.node.sessionId));
    after = connection.pageInfo.endCursor ?? after;
    if (!connection.pageInfo.hasNextPage) return { ids, endCursor: after, requests };
  }
  throw new Error('walk did not end');
}
