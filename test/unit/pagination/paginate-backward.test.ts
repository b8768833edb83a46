import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createMemorySource, ids } from '../../helpers/memory-source.js';
import { positionsOf, request, walk } from './support.js';

describe('paginate backward (last/before)', () => {
  it('walks back from the end over every layout and returns the upstream order', async () => {
    for (const size of [0, 1, 49, 50, 51, 137]) {
      for (const last of [1, 7, 20, 50, 100]) {
        for (const trailingEmpty of [false, true]) {
          const memory = createMemorySource({
            streams: [ids(size)],
            trailingEmpty,
            emptyAfter: [0],
          });
          const w = await walk(memory, 'backward', last);
          expect(w.nodes).toEqual(ids(size));
          expect(w.pages.slice(1).every((page) => page.edges.length > 0)).toBe(true);
          // Cursors issued backward mean what the cursors issued forward mean.
          expect(positionsOf(w.cursors)).toEqual(
            positionsOf((await walk(memory, 'forward', 100)).cursors),
          );
        }
      }
    }
  });

  it("answers from the `before` cursor's page alone when it holds enough items", async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    memory.calls.length = 0;
    const page = await request(memory.source, { last: 5, before: cursors[120] });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(120).slice(115));
    expect(positionsOf(page.edges.map((edge) => edge.cursor))).toEqual(
      positionsOf(cursors.slice(115, 120)),
    );
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(memory.calls).toEqual([[0, 's0:p2:@100']]);
  });

  it('uses the issue-time offset for hasPreviousPage when the page holds exactly `last` items', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    const fromThirdPage = await request(memory.source, { last: 5, before: cursors[105] });
    expect(fromThirdPage.pageInfo.hasPreviousPage).toBe(true);
    const fromFirstPage = await request(memory.source, { last: 5, before: cursors[5] });
    expect(fromFirstPage.edges.map((edge) => edge.node)).toEqual(ids(5));
    expect(fromFirstPage.pageInfo.hasPreviousPage).toBe(false);
  });

  it("with a filter leaving exactly `last` matches on the cursor's page, scans only up to the first earlier match", async () => {
    const even = (item: string) => Number(item.slice(1)) % 2 === 0;
    const memory = createMemorySource({ streams: [ids(300)] });
    const { cursors } = await walk(memory, 'forward', 100);
    memory.calls.length = 0;
    // Item 210 sits on the fifth page (200-249): s200..s208 are its five earlier even items.
    const page = await request(
      memory.source,
      { last: 5, before: cursors[210] },
      { filter: even, scanBound: 100 },
    );
    expect(page.edges.map((edge) => edge.node)).toEqual(['s200', 's202', 's204', 's206', 's208']);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    // The cursor's page, then the first page, where s000 answers hasPreviousPage.
    expect(memory.calls).toEqual([
      [0, 's0:p4:@200'],
      [0, null],
    ]);
  });

  it('reports no previous page when no earlier item matches the filter', async () => {
    const memory = createMemorySource({ streams: [ids(120)] });
    const { cursors } = await walk(memory, 'forward', 100);
    const late = (item: string) => Number(item.slice(1)) >= 105;
    const page = await request(memory.source, { last: 5, before: cursors[110] }, { filter: late });
    expect(page.edges.map((edge) => edge.node)).toEqual(['s105', 's106', 's107', 's108', 's109']);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
  });

  it('falls back to a forward scan from the start when the page holds too few, fetching each page once', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    memory.calls.length = 0;
    const page = await request(memory.source, { last: 5, before: cursors[102] });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(102).slice(97));
    expect(memory.calls).toEqual([
      [0, 's0:p2:@100'],
      [0, null],
      [0, 's0:p1:@50'],
    ]);
  });

  it('scans from `after` to `before` when both are given', async () => {
    const memory = createMemorySource({ streams: [ids(137)] });
    const { cursors } = await walk(memory, 'forward', 100);
    const page = await request(memory.source, {
      last: 100,
      after: cursors[40],
      before: cursors[120],
    });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(120).slice(41));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it('anchors `before` in its own stream when an earlier stream has an item with the same id', async () => {
    // Two regions listing stacks of the same names: ids are unique within a stream only.
    const memory = createMemorySource({
      streams: [
        ['a', 'b', 'c'],
        ['a', 'b', 'c'],
      ],
    });
    const { cursors } = await walk(memory, 'forward', 10);
    const page = await request(memory.source, { last: 3, before: cursors[4] });
    // The last three before stream 1's `b`: stream 0's `b`, `c`, then stream 1's `a`.
    expect(page.edges.map((edge) => edge.node)).toEqual(['b', 'c', 'a']);
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const window = await request(memory.source, {
      first: 10,
      after: cursors[0],
      before: cursors[5],
    });
    expect(window.edges.map((edge) => edge.node)).toEqual(['b', 'c', 'a', 'b']);
  });

  it('rejects a cursor whose stream this query does not list', async () => {
    const three = createMemorySource({ streams: [[], [], ids(3)] });
    const { cursors } = await walk(three, 'forward', 10);
    const one = createMemorySource({ streams: [ids(3)] });
    await expect(request(one.source, { last: 1, before: cursors[2] })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message:
        '`before` cursor points at a fleet or region this query no longer lists; request the ' +
        'first page again without after/before.',
    });
    expect(one.calls).toEqual([]);
  });

  it('throws SCAN_LIMIT_EXCEEDED naming the bound when the scan is too long', async () => {
    const memory = createMemorySource({ streams: [ids(1000)] });
    const error = await request(memory.source, { last: 5 }, { scanBound: 500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.SCAN_LIMIT_EXCEEDED });
    expect((error as GatewayError).message).toMatch(/more than 500 items \(the scan bound\)/);
    const page = await request(memory.source, { last: 5 });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(1000).slice(995));
  });

  it('applies the bound to filtered forward paging that rejects many items', async () => {
    const memory = createMemorySource({ streams: [ids(1000)] });
    const lateOnly = (id: string) => Number(id.slice(1)) >= 900;
    await expect(
      request(memory.source, { first: 5 }, { filter: lateOnly, scanBound: 500 }),
    ).rejects.toMatchObject({ code: ErrorCode.SCAN_LIMIT_EXCEEDED });
    const page = await request(memory.source, { first: 5 }, { filter: lateOnly });
    expect(page.edges.map((edge) => edge.node)).toEqual(ids(905).slice(900));
  });

  it('walks back through a filter, exactly the matching subsequence', async () => {
    const odd = (id: string) => Number(id.slice(1)) % 2 === 1;
    for (const last of [1, 3, 20]) {
      const memory = createMemorySource({ streams: [ids(137)], pageSizes: [50, 9] });
      const w = await walk(memory, 'backward', last, { filter: odd });
      expect(w.nodes).toEqual(ids(137).filter(odd));
    }
  });
});
