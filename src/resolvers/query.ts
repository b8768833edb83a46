import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { node, nodes } from './node.js';
import { resolveSessionConnection } from './session-connection.js';
import { toSessionQuery } from './validate.js';

/** Root fields. Thin: validation and paging live in `validate.ts` and `src/pagination`. */
export const Query: QueryResolvers = {
  sessions: (_parent, args, context, info) => {
    const query = toSessionQuery(args.stackName, args.fleetName, args);
    return resolveSessionConnection(context, [query], args, info);
  },
  node,
  nodes,
};
