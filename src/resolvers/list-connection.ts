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
 */
export async function resolveListConnection<R extends { readonly name: string }, N>(
  context: GatewayContext,
  options: {
    readonly binding: string;
    readonly pages: DataLoader<string, UpstreamPage<R>>;
    readonly byName: DataLoader<string, R | null>;
    readonly toNode: (record: R) => N;
  },
  args: ConnectionArgs,
): Promise<ConnectionPageModel<{ readonly cursor: string; readonly node: N }>> {
  const { codec, scanBound } = context.paging;
  const normalized = normalizeConnectionArgs(args, { codec, binding: options.binding });
  const connection = await paginate(
    {
      streams: 1,
      async fetchPage(_stream, token) {
        const page = await options.pages.load(token ?? '');
        for (const record of page.items) options.byName.prime(record.name, record);
        return page;
      },
      idOf: (record) => record.name,
    },
    normalized,
    { codec, binding: options.binding, scanBound },
  );
  return {
    edges: connection.edges.map((edge) => ({
      cursor: edge.cursor,
      node: options.toNode(edge.node),
    })),
    pageInfo: connection.pageInfo,
  };
}
