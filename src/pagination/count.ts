import { DEFAULT_SCAN_BOUND, createPageReader } from './reader.js';
import { walk } from './scan.js';
import type { PageSource } from './source.js';

/** Options of {@link countItems}. */
export interface CountOptions<T> {
  /** Most upstream items read (default 5000). */
  readonly scanBound?: number | undefined;
  /** Gateway-side predicate; only matching items are counted. */
  readonly filter?: ((item: T) => boolean) | undefined;
}

/**
 * The number of (matching) items in the whole source, for `totalCount`. Reads every page once;
 * throws SCAN_LIMIT_EXCEEDED naming the bound when the source holds more than `scanBound` items.
 */
export async function countItems<T>(
  source: PageSource<T>,
  options: CountOptions<T> = {},
): Promise<number> {
  const reader = createPageReader(source, options.scanBound ?? DEFAULT_SCAN_BOUND);
  const accept = options.filter ?? (() => true);
  let total = 0;
  for await (const step of walk(reader, { s: 0, t: null, from: 0, o: 0 }, null)) {
    if (accept(step.item)) total++;
  }
  return total;
}
