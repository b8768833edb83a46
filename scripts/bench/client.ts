/** The benchmark's GraphQL clients: keep-alive HTTP, and the workloads they run. */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Connection {
  edges: Array<{ cursor: string; node: { sessionId: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** POSTs one GraphQL request; resolves with the parsed body. */
export function post<T = unknown>(url: string, query: string, variables: object = {}): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise<T>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The query: one page of sessions with the fields a list view shows. */
export const SESSIONS_QUERY = `query Sessions($stack: String!, $fleet: String!, $first: Int, $after: String) {
  sessions(stackName: $stack, fleetName: $fleet, first: $first, after: $after) {
    edges { cursor node { sessionId userId state startTime } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** One page; throws on GraphQL errors so that a broken run never passes for a fast one. */
export async function sessionsPage(
  url: string,
  variables: { stack: string; fleet: string; first: number; after?: string | null },
): Promise<Connection> {
  const body = await post<{ data?: { sessions: Connection | null }; errors?: unknown[] }>(
    url,
    SESSIONS_QUERY,
    variables,
  );
  if (body.errors !== undefined || !body.data?.sessions) {
    throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  }
  return body.data.sessions;
}

/** Runs `clients` loops of `step` for `durationMs`; resolves with the requests completed. */
export async function runLoad(
  clients: number,
  durationMs: number,
  step: (client: number) => Promise<void>,
): Promise<number> {
  const end = performance.now() + durationMs;
  let requests = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        await step(client);
        requests++;
      }
    }),
  );
  return requests;
}

/** A UI paging through a fleet `first` at a time, again and again: one step is one request. */
export function uiWalker(url: string, stack: string, fleet: string, first: number) {
  const cursors = new Map<number, string | null>();
  return async (client: number) => {
    const page = await sessionsPage(url, {
      stack,
      fleet,
      first,
      after: cursors.get(client) ?? null,
    });
    cursors.set(client, page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
  };
}

/** Walks a whole listing once; resolves with the requests made and each request's latency. */
export async function walk(
  url: string,
  stack: string,
  fleet: string,
  first: number,
): Promise<{ requests: number; sessions: number; latencies: number[] }> {
  const latencies: number[] = [];
  let after: string | null = null;
  let sessions = 0;
  for (;;) {
    const started = performance.now();
    const page: Connection = await sessionsPage(url, { stack, fleet, first, after });
    latencies.push(performance.now() - started);
    sessions += page.edges.length;
    if (!page.pageInfo.hasNextPage) return { requests: latencies.length, sessions, latencies };
    after = page.pageInfo.endCursor;
  }
}

/** The value at percentile `p` (0..100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
