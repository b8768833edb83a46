import type DataLoader from 'dataloader';
import { normalizeConnectionArgs, paginate } from '../pagination/index.js';
import type { GatewayContext } from '../context.js';
import type { UpstreamPage } from '../upstream/types.js';
import type { ConnectionPageModel } from './models.js';
import type { ConnectionArgs } from './session-connection.js';

/**
 * A Relay connection over a name-keyed AppStream listing (DescribeStacks or DescribeFleets
 * without names), with the same cursor guarantees as the sessions connections. Every record
 * read is primed into `byName`, so later lookups of the same names cost nothing.
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
    readonly pages: DataLoader<string, UpstreamPage<R>>;
    readonly byName: DataLoader<string, R | null>;
    readonly toNode: (record: R) => N;
    /** The names of a page's records the caller may see; absent: every record. */
    readonly visible?: ((names: readonly string[]) => Promise<ReadonlySet<string>>) | undefined;
  },
  args: ConnectionArgs,
): Promise<ConnectionPageModel<{ readonly cursor: string; readonly node: N }>> {
  const { codec, scanBound } = context.paging;
  const { visible } = options;
  const normalized = normalizeConnectionArgs(args, { codec, binding: options.binding });
  const shown = new Set<string>();
  const connection = await paginate(
    {
      streams: 1,
      async fetchPage(_stream, token) {
        const page = await options.pages.load(token ?? '');
        for (const record of page.items) options.byName.prime(record.name, record);
        if (visible !== undefined) {
          for (const name of await visible(page.items.map((record) => record.name))) {
            shown.add(name);
          }
        }
        return page;
      },
      idOf: (record) => record.name,
    },
    normalized,
    {
      codec,
      binding: options.binding,
      scanBound,
      ...(visible === undefined ? {} : { filter: (record: R) => shown.has(record.name) }),
    },
  );
  return {
    edges: connection.edges.map((edge) => ({
      cursor: edge.cursor,
      node: options.toNode(edge.node),
    })),
    pageInfo: connection.pageInfo,
  };
}
