import type {
  NetworkAccessConfigurationResolvers,
  PageInfoResolvers,
  SessionConnectionResolvers,
  SessionEdgeResolvers,
  SessionResolvers,
} from '../__generated__/resolvers-types.js';
import { loadFleetOfSession } from './fleet.js';
import { loadStack } from './stack.js';

export const Session: SessionResolvers = {
  id: (session, _args, context) =>
    context.ids.encode({
      type: 'Session',
      stackName: session.stackName,
      fleetName: session.fleetName,
      sessionId: session.id,
      region: session.region,
      // What narrows the lookup of `node(id)` to one filtered DescribeSessions call.
      ...(session.authenticationType === null
        ? {}
        : { userId: session.userId, authenticationType: session.authenticationType }),
      ...(session.instanceId === null ? {} : { instanceId: session.instanceId }),
    }),
  sessionId: (session) => session.id,
  networkAccessConfiguration: (session) => session.networkAccessConfiguration,
  // loadStack answers null for a stack outside the caller's scope, without an upstream call.
  stack: (session, _args, context) => loadStack(context, session.stackName, session.region),
  fleet: (session, _args, context) => loadFleetOfSession(context, session),
};

export const NetworkAccessConfiguration: NetworkAccessConfigurationResolvers = {};

export const SessionConnection: SessionConnectionResolvers = {
  edges: async (connection) => (await connection.page()).edges,
  nodes: async (connection) => (await connection.page()).edges.map((edge) => edge.node),
  pageInfo: async (connection) => (await connection.page()).pageInfo,
  totalCount: (connection) => connection.totalCount(),
};

export const SessionEdge: SessionEdgeResolvers = {};

export const PageInfo: PageInfoResolvers = {};
