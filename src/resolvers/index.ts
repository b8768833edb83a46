import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Query } from './query.js';
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
  DateTime,
  Session,
  NetworkAccessConfiguration,
  SessionConnection,
  SessionEdge,
  PageInfo,
  Node: {
    __resolveType: () => 'Session',
  },
};
