import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { fleet, fleets } from './fleet.js';
import { node, nodes } from './node.js';
import { regionArg } from './regions.js';
import { resolveSessionConnection } from './session-connection.js';
import { stack, stacks } from './stack.js';
import { toSessionFilter, toSessionQuery } from './validate.js';

/** Root fields. Thin: validation and paging live in `validate.ts` and `src/pagination`. */
export const Query: QueryResolvers = {
  sessions: (_parent, args, context, info) => {
    const region = regionArg(context, args.region);
    const query = toSessionQuery(args.stackName, args.fleetName, args);
    return resolveSessionConnection(context, region, [query], args, info, toSessionFilter(args));
  },
  stack,
  stacks,
  fleet,
  fleets,
  node,
  nodes,
};
