import { badUserInput } from '../errors.js';
import type { CursorCodec, CursorPosition, CursorRegions } from './cursor.js';

/** Relay connection arguments as they arrive from the schema (null and absent are the same). */
export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * Validated arguments: `forward` takes the first `count` items of the window, `backward` the
 * last `count`. The window is the items strictly after `after` and strictly before `before`.
 */
export interface NormalizedConnectionArgs {
  readonly direction: 'forward' | 'backward';
  readonly count: number;
  readonly after: CursorPosition | null;
  readonly before: CursorPosition | null;
}

/** Options of {@link normalizeConnectionArgs}. */
export interface NormalizeOptions {
  readonly codec: CursorCodec;
  /** Canonical string of the query's filters and stream list; cursors are bound to it. */
  readonly binding: string;
  /** The regions of the query's streams: a cursor of another region is refused. */
  readonly regions?: CursorRegions | undefined;
  /** Largest accepted `first`/`last` (default 100). */
  readonly maxPageSize?: number | undefined;
  /** `first` when neither `first` nor `last` is given (default 20). */
  readonly defaultPageSize?: number | undefined;
}

/** Default of {@link NormalizeOptions.maxPageSize}. */
export const DEFAULT_MAX_PAGE_SIZE = 100;
/** Default of {@link NormalizeOptions.defaultPageSize}. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Validates connection arguments synchronously, before any upstream call.
 *
 * Rejects with BAD_USER_INPUT: `first`/`last` that are not integers in 0..maxPageSize (the
 * message names the argument, the range and the received value); `first` together with `last`;
 * any cursor the codec rejects. `after` with `before`, `first` with `before` and `last` with
 * `after` are accepted (graphql-relay semantics). Neither `first` nor `last` means `first` =
 * defaultPageSize.
 */
export function normalizeConnectionArgs(
  args: ConnectionArgs,
  options: NormalizeOptions,
): NormalizedConnectionArgs {
  const max = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  const first = checkCount('first', args.first, max);
  const last = checkCount('last', args.last, max);
  if (first !== null && last !== null) {
    throw badUserInput(
      'Pass either `first` (to page forward) or `last` (to page backward), not both.',
    );
  }
  const decode = (cursor: string | null | undefined, argName: 'after' | 'before') =>
    cursor === undefined || cursor === null
      ? null
      : options.codec.decode(cursor, options.binding, argName, options.regions);
  const after = decode(args.after, 'after');
  const before = decode(args.before, 'before');
  if (last !== null) return { direction: 'backward', count: last, after, before };
  return {
    direction: 'forward',
    count: first ?? options.defaultPageSize ?? DEFAULT_PAGE_SIZE,
    after,
    before,
  };
}

function checkCount(name: 'first' | 'last', value: unknown, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) {
    return value;
  }
  const received = typeof value === 'number' ? String(value) : `a ${typeof value}`;
  throw badUserInput(
    `\`${name}\` must be an integer from 0 to ${String(max)}; received ${received}.`,
  );
}
