import type { CursorPosition } from './cursor.js';
import type { PageReader } from './reader.js';
import { startAfter } from './resume.js';
import { beforeGone, walk } from './scan.js';
import type { Step } from './scan.js';

/**
 * The matching items of the window strictly after `after` and strictly before `before`, in
 * upstream order, read lazily: a page is fetched only when the consumer asks for its first item,
 * so a consumer that stops early reads no further. Throws BAD_USER_INPUT when the walk ends
 * without finding `before`'s anchor.
 */
export async function* windowSteps<T>(
  reader: PageReader<T>,
  after: CursorPosition | null,
  before: CursorPosition | null,
  accept: (item: T) => boolean,
): AsyncGenerator<Step<T>, void> {
  const steps = walk(reader, await startAfter(reader, after), before);
  for (;;) {
    const next = await steps.next();
    if (next.done === true) {
      if (before !== null && !next.value) throw beforeGone();
      return;
    }
    if (accept(next.value.item)) yield next.value;
  }
}
