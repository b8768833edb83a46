import { badUserInput } from '../errors.js';
import type { NormalizedConnectionArgs } from './args.js';
import { backward } from './backward.js';
import type { Slice } from './backward.js';
import type { CursorCodec, CursorPosition, CursorRegions } from './cursor.js';
import { DEFAULT_SCAN_BOUND, createPageReader } from './reader.js';
import type { PageReader } from './reader.js';
import type { Step } from './scan.js';
import type { PageSource } from './source.js';
import { windowSteps } from './window.js';

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  /** The binding the arguments were decoded with; new cursors are bound to it. */
  readonly binding: string;
  readonly codec: CursorCodec;
  /** Most upstream items read by this call (default 5000); past it, SCAN_LIMIT_EXCEEDED. */
  readonly scanBound?: number | undefined;
  /** Gateway-side predicate; cursors still point at upstream positions. */
  readonly filter?: ((item: T) => boolean) | undefined;
  /** The regions of the source's streams: each cursor carries its stream's (`r`). */
  readonly regions?: CursorRegions | undefined;
}

/** One edge of a connection. */
export interface Edge<T> {
  readonly node: T;
  readonly cursor: string;
}

/** Relay page info. */
export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** A connection without GraphQL: edges in upstream order and page info. */
export interface Connection<T> {
  readonly edges: Array<Edge<T>>;
  readonly pageInfo: PageInfo;
}

/**
 * One connection page over a token-paged source. The window is the (matching) items strictly
 * after `after` and strictly before `before`, in upstream order; forward takes its first
 * `count`, backward its last `count`, with the nodes of graphql-relay's `connectionFromArray`.
 * Forward: hasNextPage exact (one look-ahead when the slice ends on a page boundary),
 * hasPreviousPage = `after` given. Backward: hasPreviousPage exact, hasNextPage = `before`
 * given. Each page is fetched at most once; forward reads only the pages it touches plus that
 * look-ahead; after a page-final `after` cursor it reads the cursor's own page again only when
 * the next page no longer starts as it did (churn), or when the cursor ended the last stream
 * (to see items appended since). Page-final cursors carry the next page's
 * first id when this call read it (see {@link CursorPosition}). Throws SCAN_LIMIT_EXCEEDED
 * past the scan bound, BAD_USER_INPUT for a `before` whose session, predecessor and position
 * are all gone or a cursor whose stream does not exist.
 */
export async function paginate<T>(
  source: PageSource<T>,
  args: NormalizedConnectionArgs,
  options: PaginateOptions<T>,
): Promise<Connection<T>> {
  for (const [name, cursor] of [['after', args.after] as const, ['before', args.before] as const]) {
    if (cursor !== null && cursor.s >= source.streams) {
      // A stack's fleet that is gone, or a region removed from APPSTREAM_REGIONS: nothing for the
      // client to fix but to start over.
      throw badUserInput(
        `\`${name}\` cursor points at a fleet or region this query no longer lists; request the ` +
          'first page again without after/before.',
      );
    }
  }
  const { codec } = options;
  // Cursors carry items by fingerprint (a page of them fits one cursor): compare by it too.
  // Each item's fingerprint is computed once per call (an item is its own and its successor's
  // neighbour): remembered by object identity.
  const keys = new WeakMap<object, string>();
  const keyed: PageSource<T> = {
    streams: source.streams,
    fetchPage: (stream, token) => source.fetchPage(stream, token),
    idOf(item) {
      if (typeof item !== 'object' || item === null) return codec.fingerprint(source.idOf(item));
      let key = keys.get(item);
      if (key === undefined) {
        key = codec.fingerprint(source.idOf(item));
        keys.set(item, key);
      }
      return key;
    },
  };
  const reader = createPageReader(keyed, options.scanBound ?? DEFAULT_SCAN_BOUND);
  const { filter } = options;
  const accept = filter ?? (() => true);
  const slice = isEmptyWindow(args.after, args.before)
    ? emptySlice<T>(args)
    : args.direction === 'forward'
      ? await forward(reader, args, accept)
      : await backward(reader, args, accept, filter !== undefined);
  const { regions } = options;
  const cursors = codec.encodeAll(
    slice.steps.map((step) => {
      const position = withFirstOfNext(reader, step.position);
      const region = regions?.of(position.s);
      return region === undefined ? position : { ...position, r: region };
    }),
    options.binding,
  );
  const edges = slice.steps.map((step, k) => ({ node: step.item, cursor: cursors[k] ?? '' }));
  return {
    edges,
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      hasPreviousPage: slice.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The first `count` matching items after `after`, then peek for one more (hasNextPage). */
async function forward<T>(
  reader: PageReader<T>,
  args: NormalizedConnectionArgs,
  accept: (item: T) => boolean,
): Promise<Slice<T>> {
  const { count, after, before } = args;
  const taken: Array<Step<T>> = [];
  let hasNextPage = false;
  for await (const step of windowSteps(reader, after, before, accept)) {
    if (taken.length === count) {
      hasNextPage = true;
      break;
    }
    taken.push(step);
  }
  return { steps: taken, hasNextPage, hasPreviousPage: after !== null };
}

/**
 * A page-final position with `f`, the first item of the next non-empty page of its stream, when
 * this call read that page (it does whenever the walk continued or looked ahead past the edge).
 */
function withFirstOfNext<T>(reader: PageReader<T>, position: CursorPosition): CursorPosition {
  if (typeof position.n !== 'string') return position;
  const f = reader.firstIdFrom(position.s, position.n);
  return f === undefined ? position : { ...position, f };
}

/** `before` issued at or behind `after` (by upstream offset): nothing lies between them. */
function isEmptyWindow(after: CursorPosition | null, before: CursorPosition | null): boolean {
  return after !== null && before !== null && before.o <= after.o;
}

function emptySlice<T>(args: NormalizedConnectionArgs): Slice<T> {
  const forwardDirection = args.direction === 'forward';
  return { steps: [], hasNextPage: !forwardDirection, hasPreviousPage: forwardDirection };
}
