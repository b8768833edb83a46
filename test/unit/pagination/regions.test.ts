import { describe, expect, it } from 'vitest';
import {
  createCursorCodec,
  normalizeConnectionArgs,
  oneRegion,
  paginate,
  regionSource,
  streamRegions,
} from '../../../src/pagination/index.js';
import type { ConnectionArgs, CursorPosition, RegionItem } from '../../../src/pagination/index.js';
import { createMemorySource } from '../../helpers/memory-source.js';
import { testCursorSealer } from '../../helpers/signing.js';

const codec = createCursorCodec({ sealer: testCursorSealer });
const binding = 'stacks|all-regions';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/** Three regions' listings: us 5 items, eu none, ap 3, in pages of 2 (ids tagged by region). */
function listings(
  items: readonly (readonly string[])[] = [['u1', 'u2', 'u3', 'u4', 'u5'], [], ['a1', 'a2', 'a3']],
) {
  const memory = createMemorySource({ streams: items, pageSizes: [2] });
  const source = regionSource(
    REGIONS,
    (region, token) => memory.source.fetchPage(REGIONS.indexOf(region), token),
    (item: string) => item,
  );
  return { memory, source };
}

async function page(
  source: ReturnType<typeof listings>['source'],
  args: ConnectionArgs,
  regions = streamRegions(REGIONS, REGIONS[0] ?? ''),
) {
  const normalized = normalizeConnectionArgs(args, { codec, binding, regions });
  return paginate(source, normalized, { codec, binding, regions });
}

/** Every item of {@link listings}, in order: us-east-1's, then (eu-west-1 is empty) ap-southeast-2's. */
const EVERY_ITEM = ['u1', 'u2', 'u3', 'u4', 'u5']
  .map((id) => `us-east-1:${id}`)
  .concat(['a1', 'a2', 'a3'].map((id) => `ap-southeast-2:${id}`));

const shown = (edges: ReadonlyArray<{ node: RegionItem<string> }>) =>
  edges.map(({ node }) => `${node.region}:${node.item}`);

describe('regionSource: one connection over several regions', () => {
  it('walks forward region after region with exact pageInfo at every boundary', async () => {
    const { source } = listings();
    const seen: string[] = [];
    let after: string | null = null;
    const infos: boolean[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const result = await page(source, { first: 2, after });
      seen.push(...shown(result.edges));
      infos.push(result.pageInfo.hasNextPage);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(seen).toEqual(EVERY_ITEM);
    // Four pages; the last is the only one without a next page, and no empty page is served.
    expect(infos).toEqual([true, true, true, false]);
  });

  it('says there is no next page when the regions after the page are empty', async () => {
    const { source } = listings([['u1', 'u2'], [], []]);
    const result = await page(source, { first: 2 });
    expect(shown(result.edges)).toEqual(['us-east-1:u1', 'us-east-1:u2']);
    expect(result.pageInfo.hasNextPage).toBe(false);
    const more = await page(source, { first: 1 });
    expect(more.pageInfo.hasNextPage).toBe(true);
  });

  it('walks backward from the end across the boundaries, with exact hasPreviousPage', async () => {
    const { source } = listings();
    const seen: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const result = await page(source, { last: 3, before });
      seen.unshift(...shown(result.edges));
      if (!result.pageInfo.hasPreviousPage) break;
      before = result.pageInfo.startCursor;
    }
    expect(seen).toEqual(EVERY_ITEM);
  });

  it('puts each edge region in its cursor and resumes exactly after it', async () => {
    const { source } = listings();
    const first = await page(source, { first: 6 });
    const positions = first.edges.map(({ cursor }): CursorPosition =>
      codec.decode(cursor, binding, 'after'),
    );
    expect(positions.map((position) => position.r)).toEqual([
      'us-east-1',
      'us-east-1',
      'us-east-1',
      'us-east-1',
      'us-east-1',
      'ap-southeast-2',
    ]);
    const resumed = await page(source, { first: 1, after: first.edges[4]?.cursor ?? null });
    expect(shown(resumed.edges)).toEqual(['ap-southeast-2:a1']);
    expect(resumed.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('refuses a cursor whose region is not the one its stream reads here, naming both', async () => {
    const { source } = listings();
    const first = await page(source, { first: 6 });
    const apCursor = first.edges[5]?.cursor ?? '';
    // The same cursor given to a listing of us-east-1 only.
    await expect(
      page(source, { first: 1, after: apCursor }, oneRegion('us-east-1', 'us-east-1')),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message:
        '`after` cursor was issued in region "ap-southeast-2", and this field reads region ' +
        '"us-east-1" there; pass it with the region it came from, or request the first page ' +
        'again without after/before.',
    });
    // Regions configured in another order: stream 2 now reads eu-west-1.
    const reordered = streamRegions(['us-east-1', 'ap-southeast-2', 'eu-west-1'], 'us-east-1');
    await expect(page(source, { last: 1, before: apCursor }, reordered)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('`before` cursor was issued in region "ap-southeast-2"'),
    });
  });

  it('reads a cursor issued without a region as one of the first configured region', async () => {
    const { source } = listings();
    // Items are carried by fingerprint (what paginate compares).
    const legacy = codec.encode(
      { s: 0, t: null, i: 0, o: 0, id: codec.fingerprint('u1') },
      binding,
    );
    const resumed = await page(source, { first: 1, after: legacy });
    expect(shown(resumed.edges)).toEqual(['us-east-1:u2']);
    await expect(
      page(source, { first: 1, after: legacy }, oneRegion('eu-west-1', 'us-east-1')),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        'issued in region "us-east-1", and this field reads region "eu-west-1"',
      ),
    });
  });

  it('refuses a cursor whose region is not a string', () => {
    const [token = ''] = testCursorSealer.sealIndexed(
      JSON.stringify({
        b: testCursorSealer.digest(binding),
        s: 0,
        t: null,
        d: 0,
        e: [[0, 'u1']],
        r: 7,
      }),
      'appstream-cursor:5',
      1,
    );
    const forged = `c5_${token}`;
    expect(() => codec.decode(forged, binding, 'after')).toThrow(
      '`after` is not a valid cursor (region must be a string)',
    );
  });
});
