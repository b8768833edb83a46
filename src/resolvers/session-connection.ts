import type { GraphQLResolveInfo } from 'graphql';
import { countItems, normalizeConnectionArgs, paginate } from '../pagination/index.js';
import type { PageSource } from '../pagination/index.js';
import { sessionQueryKey } from '../loaders/index.js';
import type { GatewayContext } from '../context.js';
import type { SessionQuery, SessionRecord } from '../upstream/types.js';
import { once } from './models.js';
import type { SessionConnectionModel } from './models.js';
import { cursorRegion } from './regions.js';
import { selectedFieldNames } from './selection.js';
import type { SessionFilter } from './validate.js';
import { assertStackVisible } from './visibility.js';

/** Relay arguments as GraphQL hands them over. */
export interface ConnectionArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * The listings behind one sessions connection as one page source: one stream per
 * DescribeSessions listing of `region`, read in order. Pages come through the request's page loader, so
 * every field of the request shares them.
 */
export function sessionSource(
  context: GatewayContext,
  region: string,
  queries: readonly SessionQuery[],
): PageSource<SessionRecord> {
  const { sessionPages } = context.loadersOf(region);
  return {
    streams: queries.length,
    async fetchPage(stream, token) {
      const query = queries[stream];
      if (query === undefined) throw new RangeError(`No stream ${stream}`);
      return sessionPages.load({ query, token });
    },
    idOf: (session) => session.id,
  };
}

/**
 * Resolves a sessions connection over `queries` (listings of `region` read one after the other;
 * its cursors carry the region, and a cursor of another region is refused).
 * Arguments and cursors are validated before any upstream call; a listing of a stack outside
 * the caller's scope is `NOT_FOUND`, also before any upstream call. The page is computed eagerly
 * when the selection needs it, so an upstream failure nulls this connection field (and only it);
 * `totalCount` is counted only when selected.
 */
export async function resolveSessionConnection(
  context: GatewayContext,
  region: string,
  queries: readonly SessionQuery[],
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
  filter?: SessionFilter,
): Promise<SessionConnectionModel> {
  const { codec, scanBound } = context.paging;
  const binding = `sessions|${queries.map(sessionQueryKey).join('+')}|${filter?.key ?? ''}`;
  const regions = cursorRegion(context, region);
  const normalized = normalizeConnectionArgs(args, { codec, binding, regions });
  // After validating the arguments, as AppStream's own NOT_FOUND comes after them too.
  for (const query of queries) assertStackVisible(context, query.stackName, query.fleetName);
  const source = sessionSource(context, region, queries);
  const options = {
    codec,
    binding,
    scanBound,
    regions,
    ...(filter ? { filter: filter.test } : {}),
  };
  const model: SessionConnectionModel = {
    page: once(() => paginate(source, normalized, options)),
    totalCount: once(() =>
      countItems(source, { scanBound, ...(filter ? { filter: filter.test } : {}) }),
    ),
  };
  const selected = selectedFieldNames(info);
  if (selected.has('edges') || selected.has('nodes') || selected.has('pageInfo'))
    await model.page();
  if (selected.has('totalCount')) await model.totalCount();
  return model;
}
