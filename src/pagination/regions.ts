import type { CursorRegions } from './cursor.js';
import type { Page, PageSource } from './source.js';

/** An item of a listing over several regions, with the region whose listing holds it. */
export interface RegionItem<T> {
  readonly region: string;
  readonly item: T;
}

/**
 * One listing over several regions: stream `k` is the listing of `regions[k]`, so the core pages
 * them as one connection, region after region in that order, with its usual guarantees (exact
 * `hasNextPage`/`hasPreviousPage` across region boundaries, `first`/`after` and `last`/`before`,
 * cursors resuming exactly). Each item comes with its region. `fetchPage(region, token)` reads one
 * page of one region's listing (`token` null: its first page).
 */
export function regionSource<T>(
  regions: readonly string[],
  fetchPage: (region: string, token: string | null) => Promise<Page<T>>,
  idOf: (item: T) => string,
): PageSource<RegionItem<T>> {
  return {
    streams: regions.length,
    async fetchPage(stream, token) {
      const region = regions[stream];
      if (region === undefined) throw new RangeError(`No region for stream ${stream}`);
      const page = await fetchPage(region, token);
      return {
        items: page.items.map((item) => ({ region, item })),
        nextToken: page.nextToken,
      };
    },
    idOf: ({ item }) => idOf(item),
  };
}

/**
 * The cursor regions of a {@link regionSource}: stream `k` reads `regions[k]`. A cursor issued
 * without a region (before cursors carried one) is of `fallback`, the first configured region.
 */
export function streamRegions(regions: readonly string[], fallback: string): CursorRegions {
  return { fallback, of: (stream) => regions[stream] };
}

/**
 * The cursor regions of a listing in one region (every stream reads `region`); `fallback` is the
 * first configured region, the region of cursors issued without one.
 */
export function oneRegion(region: string, fallback: string): CursorRegions {
  return { fallback, of: () => region };
}
