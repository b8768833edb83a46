import type { Page, PageSource } from '../../src/pagination/index.js';

/** Layout of an in-memory, token-paged upstream. */
export interface MemorySourceOptions {
  /** Items (their own ids) of each stream; mutate `memory.streams` between requests for churn. */
  readonly streams: readonly (readonly string[])[];
  /** Page sizes, used page after page and cycled (default [50], the DescribeSessions maximum). */
  readonly pageSizes?: readonly number[];
  /** Page numbers (0-based, per stream) followed by an empty page that still carries a token. */
  readonly emptyAfter?: readonly number[];
  /** End every stream with a token that leads to an empty, final page (as AWS may). */
  readonly trailingEmpty?: boolean;
}

/** A recording fake: `calls` logs every fetchPage as [stream, token], like dataloader's loadCalls. */
export interface MemorySource {
  readonly source: PageSource<string>;
  readonly calls: Array<[number, string | null]>;
  readonly streams: string[][];
}

const TOKEN = /^s(\d+):p(\d+):@(\d+)(:empty)?$/;

/**
 * Tokens are positional and deterministic, as they are upstream: `s0:p2:@100` is page 2 of
 * stream 0 starting at item 100 of the stream *as it is now*; `:empty` marks an empty page.
 */
export function createMemorySource(options: MemorySourceOptions): MemorySource {
  const streams = options.streams.map((items) => [...items]);
  const sizes = options.pageSizes ?? [50];
  const emptyAfter = new Set(options.emptyAfter ?? []);
  const calls: Array<[number, string | null]> = [];
  const token = (s: number, page: number, start: number, empty = false) =>
    `s${s}:p${page}:@${start}${empty ? ':empty' : ''}`;

  function fetchPage(s: number, tok: string | null): Page<string> {
    const items = streams[s];
    if (items === undefined) throw new RangeError(`no stream ${s}`);
    const match = tok === null ? ['', String(s), '0', '0', undefined] : TOKEN.exec(tok);
    if (match === null || Number(match[1]) !== s) throw new Error(`invalid token for stream ${s}`);
    const pageNo = Number(match[2]);
    const start = Number(match[3]);
    if (match[4] !== undefined) {
      return { items: [], nextToken: start < items.length ? token(s, pageNo, start) : null };
    }
    const size = sizes[pageNo % sizes.length] ?? 50;
    const pageItems = items.slice(start, start + size);
    const end = start + pageItems.length;
    let nextToken: string | null;
    if (end >= items.length)
      nextToken = options.trailingEmpty ? token(s, pageNo + 1, end, true) : null;
    else nextToken = token(s, pageNo + 1, end, emptyAfter.has(pageNo));
    return { items: pageItems, nextToken };
  }

  const source: PageSource<string> = {
    streams: streams.length,
    fetchPage(s, tok) {
      calls.push([s, tok]);
      return Promise.resolve(fetchPage(s, tok));
    },
    idOf: (item) => item,
  };
  return { source, calls, streams };
}

/** `count` ids `${prefix}000`, `${prefix}001`, … */
export function ids(count: number, prefix = 's'): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}${String(k).padStart(3, '0')}`);
}
