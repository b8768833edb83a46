import { connectionFromArray, offsetToCursor } from 'graphql-relay';
import { describe, expect, it } from 'vitest';
import { createMemorySource, ids } from '../../helpers/memory-source.js';
import { positionsOf, prng, request, walk } from './support.js';

/** Splits `items` into 1–3 streams (some possibly empty) with a random page layout. */
function randomSource(random: (below: number) => number, items: string[]) {
  const cuts = Array.from({ length: random(3) }, () => random(items.length + 1)).sort(
    (a, b) => a - b,
  );
  const bounds = [0, ...cuts, items.length];
  const streams = bounds.slice(1).map((end, k) => items.slice(bounds[k], end));
  const pageSizes = random(2) === 0 ? [50] : Array.from({ length: 3 }, () => 1 + random(50));
  const emptyAfter = random(2) === 0 ? [] : [random(4), random(4)];
  return createMemorySource({ streams, pageSizes, emptyAfter, trailingEmpty: random(2) === 0 });
}

describe('paginate compared with graphql-relay connectionFromArray', () => {
  it('returns the same nodes and the same exact flags for random after/before/first/last', async () => {
    const random = prng(20240611);
    for (let round = 0; round < 60; round++) {
      const size = [0, 1, 2, 49, 50, 51, 137, 260][random(8)] ?? 0;
      const items = ids(size);
      const memory = randomSource(random, items);
      const { cursors } = await walk(memory, 'forward', 100);
      expect(cursors).toHaveLength(size);
      for (let trial = 0; trial < 40; trial++) {
        const pick = () => (size === 0 || random(4) === 0 ? null : random(size));
        const a = pick();
        const b = pick();
        const count = [0, 1, 2, 5, 20, 50, 100][random(7)] ?? 1;
        const forward = random(2) === 0;
        const relay = connectionFromArray(items, {
          ...(forward ? { first: count } : { last: count }),
          ...(a === null ? {} : { after: offsetToCursor(a) }),
          ...(b === null ? {} : { before: offsetToCursor(b) }),
        });
        const ours = await request(memory.source, {
          ...(forward ? { first: count } : { last: count }),
          after: a === null ? null : cursors[a],
          before: b === null ? null : cursors[b],
        });
        const label = { size, a, b, count, forward };
        expect({ label, nodes: ours.edges.map((edge) => edge.node) }).toEqual({
          label,
          nodes: relay.edges.map((edge) => edge.node),
        });
        if (forward) {
          expect({ label, hasNextPage: ours.pageInfo.hasNextPage }).toEqual({
            label,
            hasNextPage: relay.pageInfo.hasNextPage,
          });
          expect(ours.pageInfo.hasPreviousPage).toBe(a !== null);
        } else {
          expect({ label, hasPreviousPage: ours.pageInfo.hasPreviousPage }).toEqual({
            label,
            hasPreviousPage: relay.pageInfo.hasPreviousPage,
          });
          expect(ours.pageInfo.hasNextPage).toBe(b !== null);
        }
        // Every edge carries the same position however it was reached (the cursor strings
        // differ: edges are sealed in runs, and a run depends on the request).
        expect(positionsOf(ours.edges.map((edge) => edge.cursor))).toEqual(
          positionsOf(ours.edges.map((edge) => cursors[items.indexOf(edge.node)])),
        );
      }
    }
  }, 120_000); // 900 windows: seconds of CPU on a loaded machine, a correctness test, not a timed one
});
