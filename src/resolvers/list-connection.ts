import type DataLoader from 'dataloader';
import {
  normalizeConnectionArgs,
  paginate,
  regionSource,
  streamRegions,
} from '../pagination/index.js';
import type { GatewayContext } from '../context.js';
import type { Loaders } from '../loaders/index.js';
import type { UpstreamPage } from '../upstream/types.js';
import type { ConnectionPageModel } from './models.js';
import { defaultRegion, inRegionError } from './regions.js';
import type { ConnectionArgs } from './session-connection.js';

/**
 * A Relay connection over a name-keyed AppStream listing (DescribeStacks or DescribeFleets
 * without names) in one region or several, with the same cursor guarantees as the sessions
 * connections. Over several regions the listings are read one after the other, region after
 * region in the order given, as one connection (see `regionSource`): `pageInfo` stays exact
 * across region boundaries, and each cursor carries its region. A region whose upstream fails
 * fails the whole field (its error names the region): an exact `pageInfo` cannot skip a region.
 * Every record read is primed into its region's `byName` loader, so later lookups of the same
 * names cost nothing.
 *
 * With `visible`, the listing holds only the records it keeps (the caller's allow-list): it is
 * applied as a filter while paging, so cursors, `hasNextPage` and `hasPreviousPage` stay exact
 * over what the caller sees, and `binding` must then name the scope (a cursor of one scope is
 * refused by another).
 */
export async function resolveListConnection<R extends { readonly name: string }, N>(
  context: GatewayContext,
  options: {
    readonly binding: string;
    /** The regions listed, in order (one, or every configured region). */
    readonly regions: readonly string[];
    readonly pages: (loaders: Loaders) => DataLoader<string, UpstreamPage<R>>;
    readonly byName: (loaders: Loaders) => DataLoader<string, R | null>;
    readonly toNode: (record: R, region: string) => N;
    /** The names of a region's page the caller may see; absent: every record. */
    readonly visible?:
      ((names: readonly string[], region: string) => Promise<ReadonlySet<string>>) | undefined;
  },
  args: ConnectionArgs,
): Promise<ConnectionPageModel<{ readonly cursor: string; readonly node: N }>> {
  const { codec, scanBound } = context.paging;
  const { visible, regions } = options;
  const cursorRegions = streamRegions(regions, defaultRegion(context));
  const normalized = normalizeConnectionArgs(args, {
    codec,
    binding: options.binding,
    regions: cursorRegions,
  });
  const shown = new Set<string>();
  const source = regionSource(
    regions,
    async (region, token) => {
      const loaders = context.loadersOf(region);
      try {
        const page = await options.pages(loaders).load(token ?? '');
        for (const record of page.items) options.byName(loaders).prime(record.name, record);
        if (visible !== undefined) {
          const names = page.items.map((record) => record.name);
          for (const name of await visible(names, region)) shown.add(`${region}\u0000${name}`);
        }
        return page;
      } catch (error: unknown) {
        throw regions.length > 1 ? inRegionError(region, error) : error;
      }
    },
    (record) => record.name,
  );
  const connection = await paginate(source, normalized, {
    codec,
    binding: options.binding,
    scanBound,
    regions: cursorRegions,
    ...(visible === undefined
      ? {}
      : { filter: ({ region, item }) => shown.has(`${region}\u0000${item.name}`) }),
  });
  return {
    edges: connection.edges.map(({ cursor, node }) => ({
      cursor,
      node: options.toNode(node.item, node.region),
    })),
    pageInfo: connection.pageInfo,
  };
}
