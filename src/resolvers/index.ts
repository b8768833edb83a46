import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Fleet } from './fleet.js';
import { nodeTypeOf } from './node.js';
import { Query } from './query.js';
import { Stack } from './stack.js';
import { SessionEvent, Subscription } from './subscription.js';
import { DateTime } from './scalars.js';
import {
  NetworkAccessConfiguration,
  PageInfo,
  Session,
  SessionConnection,
  SessionEdge,
} from './session.js';

/** Every resolver of the schema, by type. */
export const resolvers: Resolvers = {
  Query,
  Subscription,
  SessionEvent,
  DateTime,
  Session,
  NetworkAccessConfiguration,
  SessionConnection,
  SessionEdge,
  PageInfo,
  Stack,
  Fleet,
  StackConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
  },
  FleetConnection: {
    nodes: (connection) => connection.edges.map((edge) => edge.node),
  },
  Node: {
    __resolveType: nodeTypeOf,
  },
};
