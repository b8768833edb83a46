import { describe, expect, it } from 'vitest';
import { createMemorySource, ids } from '../../helpers/memory-source.js';
import type { MemorySourceOptions } from '../../helpers/memory-source.js';
import { request, totalCalls, walk } from './support.js';

const sizes = [0, 1, 49, 50, 51, 137, 1000];
const firsts = [1, 2, 7, 19, 20, 49, 50, 51, 99, 100];
const layouts: Record<string, Omit<MemorySourceOptions, 'streams'>> = {
  'pages of 50': {},
  'pages of 50 and a trailing empty page': { trailingEmpty: true },
  'irregular pages with empty pages in the middle and at the end': {
    pageSizes: [7, 50, 1, 23],
    emptyAfter: [0, 2, 5],
    trailingEmpty: true,
  },
};

function hasDuplicates(calls: Array<[number, string | null]>): boolean {
  return new Set(calls.map((call) => JSON.stringify(call))).size !== calls.length;
}

describe('paginate forward (first/after)', () => {
  for (const [layout, options] of Object.entries(layouts)) {
    for (const size of sizes) {
      it(`walks ${size} items (${layout}) exactly once, in order, for every first`, async () => {
        for (const first of firsts) {
          const memory = createMemorySource({ ...options, streams: [ids(size)] });
          const w = await walk(memory, 'forward', first);
          expect(w.nodes).toEqual(ids(size));
          // hasNextPage is exact: no request after the first comes back empty.
          expect(w.pages.slice(1).every((page) => page.edges.length > 0)).toBe(true);
          expect(w.pages.length).toBe(Math.max(1, Math.ceil(size / first)));
          expect(w.pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual(
            w.pages.map((_, k) => k > 0),
          );
          expect(w.callsPerRequest.some(hasDuplicates)).toBe(false);
        }
      });
    }
  }

  it('answers first: 0 with no edges and whether the window has any item', async () => {
    for (const size of sizes) {
      const memory = createMemorySource({ streams: [ids(size)], trailingEmpty: true });
      const page = await request(memory.source, { first: 0 });
      expect(page).toEqual({
        edges: [],
        pageInfo: {
          hasNextPage: size > 0,
          hasPreviousPage: false,
          startCursor: null,
          endCursor: null,
        },
      });
    }
  });

  it('defaults to 20 items when neither first nor last is given', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const page = await request(memory.source, {});
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(20));
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('walks 137 items 20 at a time with 9 upstream calls (pages + one look-ahead)', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const w = await walk(memory, 'forward', 20);
    expect(w.callsPerRequest).toEqual([
      [[0, null]],
      [[0, null]],
      [
        [0, null],
        [0, 's0:p1:@50'],
      ],
      [[0, 's0:p1:@50']],
      [
        [0, 's0:p1:@50'],
        [0, 's0:p2:@100'], // look-ahead: item 99 ends page 1
      ],
      [[0, 's0:p2:@100']], // after a page-final edge: its page is not fetched again
      [[0, 's0:p2:@100']],
    ]);
    expect(totalCalls(w)).toBe(9); // boto3's paginator: 8, with an inexact last hasNextPage
  });

  it('counts upstream calls of whole walks (1 call per page touched + boundary look-aheads)', async () => {
    const cases = [
      { size: 137, first: 20, requests: 7, calls: 9 },
      { size: 137, first: 50, requests: 3, calls: 5 },
      { size: 1000, first: 20, requests: 50, calls: 69 },
      { size: 1000, first: 50, requests: 20, calls: 39 },
    ];
    for (const c of cases) {
      const memory = createMemorySource({ streams: [ids(c.size)] });
      const w = await walk(memory, 'forward', c.first);
      expect({ ...c, requests: w.pages.length, calls: totalCalls(w) }).toEqual(c);
    }
  });

  it('does not report a next page when a full last page is followed by an empty one', async () => {
    const memory = createMemorySource({ streams: [ids(100)], trailingEmpty: true });
    const w = await walk(memory, 'forward', 50);
    expect(w.pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, false]);
    expect(w.callsPerRequest).toEqual([
      [
        [0, null],
        [0, 's0:p1:@50'],
      ],
      [
        [0, 's0:p1:@50'],
        [0, 's0:p2:@100:empty'],
      ],
    ]);
  });

  it('skips empty pages in the middle and keeps following their tokens', async () => {
    const memory = createMemorySource({ streams: [ids(30)], pageSizes: [10], emptyAfter: [0, 1] });
    const page = await request(memory.source, { first: 25 });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(25));
    expect(memory.calls).toEqual([
      [0, null],
      [0, 's0:p1:@10:empty'],
      [0, 's0:p1:@10'],
      [0, 's0:p2:@20:empty'],
      [0, 's0:p2:@20'],
    ]);
  });

  it('stops strictly before `before` with first (window between after and before)', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const all = await walk(memory, 'forward', 100);
    const page = await request(memory.source, {
      first: 100,
      after: all.cursors[10],
      before: all.cursors[60],
    });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(60).slice(11));
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe('paginate with a filter', () => {
  const even = (id: string) => Number(id.slice(1)) % 2 === 0;
  const rare = (id: string) => [3, 4, 77, 130].includes(Number(id.slice(1)));

  it('walks exactly the matching subsequence, with exact hasNextPage', async () => {
    for (const filter of [even, rare]) {
      for (const first of [1, 2, 3, 20, 50]) {
        const memory = createMemorySource({
          streams: [ids(137)],
          pageSizes: [50, 9],
          emptyAfter: [1],
          trailingEmpty: true,
        });
        const w = await walk(memory, 'forward', first, { filter });
        expect(w.nodes).toEqual(ids(137).filter(filter));
        expect(w.pages.slice(1).every((page) => page.edges.length > 0)).toBe(true);
      }
    }
  });

  it('keeps cursors on upstream positions, so resuming is exact', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const page = await request(memory.source, { first: 2 }, { filter: rare });
    expect(page.edges.map((edge) => edge.node)).toEqual(['s003', 's004']);
    const next = await request(
      memory.source,
      { first: 2, after: page.pageInfo.endCursor },
      { filter: rare },
    );
    expect(next.edges.map((edge) => edge.node)).toEqual(['s077', 's130']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });
});

describe('paginate over several streams', () => {
  const streams = [ids(60, 'a'), [], ids(10, 'b'), ids(137, 'c')];
  const all = streams.flat();

  it('walks the concatenation of the streams forward and backward', async () => {
    for (const count of [1, 7, 20, 50, 100]) {
      for (const trailingEmpty of [false, true]) {
        const memory = createMemorySource({ streams, trailingEmpty });
        expect((await walk(memory, 'forward', count)).nodes).toEqual(all);
        expect((await walk(memory, 'backward', count)).nodes).toEqual(all);
      }
    }
  });

  it('looks ahead across empty streams for hasNextPage and starts the next stream after a stream-final edge', async () => {
    const memory = createMemorySource({ streams: [ids(50, 'a'), [], ids(3, 'b')] });
    const page = await request(memory.source, { first: 50 });
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(memory.calls).toEqual([
      [0, null],
      [1, null],
      [2, null],
    ]);
    memory.calls.length = 0;
    const next = await request(memory.source, { first: 50, after: page.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node)).toEqual(ids(3, 'b'));
    expect(memory.calls).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('reports no next page when only empty streams follow', async () => {
    const memory = createMemorySource({ streams: [ids(50, 'a'), [], []] });
    const page = await request(memory.source, { first: 50 });
    expect(page.pageInfo.hasNextPage).toBe(false);
  });
});
