import {
  createCursorCodec,
  normalizeConnectionArgs,
  paginate,
} from '../../../src/pagination/index.js';
import type {
  ConnectionArgs,
  Connection,
  PageSource,
  PaginateOptions,
} from '../../../src/pagination/index.js';
import type { MemorySource } from '../../helpers/memory-source.js';
import { testCursorSealer } from '../../helpers/signing.js';

export const binding = 'sessions|stack-a/fleet-a|';
export const codec = createCursorCodec({ sealer: testCursorSealer });

type Extra = Omit<PaginateOptions<string>, 'binding' | 'codec'>;

/** One request: validate the arguments, then paginate (what a resolver does). */
export function request(
  source: PageSource<string>,
  args: ConnectionArgs,
  extra: Extra = {},
): Promise<Connection<string>> {
  return paginate(source, normalizeConnectionArgs(args, { codec, binding }), {
    codec,
    binding,
    ...extra,
  });
}

/**
 * The positions `cursors` decode to: what an edge's cursor means. The strings themselves depend
 * on the request (edges are sealed in runs of one page), the positions do not.
 */
export function positionsOf(cursors: readonly (string | undefined)[]) {
  return cursors.map((cursor) => codec.decode(cursor ?? '', binding, 'after'));
}

/** What a forward (or backward) walk saw, request by request. */
export interface Walk {
  readonly nodes: string[];
  readonly cursors: string[];
  readonly pages: Array<Connection<string>>;
  readonly callsPerRequest: Array<Array<[number, string | null]>>;
}

/**
 * Follows endCursor while hasNextPage (or startCursor while hasPreviousPage backward), from
 * the start (or the end), recording the upstream calls of every request.
 */
export async function walk(
  memory: MemorySource,
  direction: 'forward' | 'backward',
  count: number,
  extra: Extra = {},
): Promise<Walk> {
  const result: Walk = { nodes: [], cursors: [], pages: [], callsPerRequest: [] };
  let cursor: string | null = null;
  for (let guard = 0; guard < 5000; guard++) {
    const before = memory.calls.length;
    const args: ConnectionArgs =
      direction === 'forward' ? { first: count, after: cursor } : { last: count, before: cursor };
    const page = await request(memory.source, args, extra);
    result.callsPerRequest.push(memory.calls.slice(before));
    result.pages.push(page);
    const nodes = page.edges.map((edge) => edge.node);
    const cursors = page.edges.map((edge) => edge.cursor);
    if (direction === 'forward') {
      result.nodes.push(...nodes);
      result.cursors.push(...cursors);
    } else {
      result.nodes.unshift(...nodes);
      result.cursors.unshift(...cursors);
    }
    const more =
      direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) return result;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
  }
  throw new Error('walk did not end');
}

/** mulberry32: a small seeded PRNG so random cases are reproducible. */
export function prng(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** Total number of fetchPage calls of a walk. */
export function totalCalls(w: Walk): number {
  return w.callsPerRequest.reduce((sum, calls) => sum + calls.length, 0);
}
