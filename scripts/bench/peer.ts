/**
 * The smallest thing a team would write by hand instead of the gateway: Apollo Server 5 with its
 * defaults (standalone server, cache-control plugin and all), one resolver that calls
 * DescribeSessions with `Limit` = `first`, base64 offsets as edge cursors and the base64 NextToken
 * as the end cursor. No batching, no validation, no cache, no look-ahead (`hasNextPage` is whether
 * AppStream returned a token). Prints `{"url": ...}` once listening.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { AppStreamClient, DescribeSessionsCommand } from '@aws-sdk/client-appstream';

const client = new AppStreamClient({
  endpoint: process.env.AWS_ENDPOINT_URL_APPSTREAM ?? '',
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

const typeDefs = `#graphql
  type Session { sessionId: String! userId: String! state: String! startTime: String }
  type SessionEdge { cursor: String! node: Session! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type SessionConnection { edges: [SessionEdge!]! pageInfo: PageInfo! }
  type Query {
    sessions(stackName: String!, fleetName: String!, first: Int, after: String): SessionConnection!
  }
`;

const encode = (text: string) => Buffer.from(text).toString('base64');
const decode = (cursor: string) => Buffer.from(cursor, 'base64').toString('utf8');

interface Args {
  stackName: string;
  fleetName: string;
  first?: number | null;
  after?: string | null;
}

const resolvers = {
  Query: {
    async sessions(_: unknown, args: Args) {
      const after = args.after
        ? (JSON.parse(decode(args.after)) as { token: string | null; offset: number })
        : null;
      const output = await client.send(
        new DescribeSessionsCommand({
          StackName: args.stackName,
          FleetName: args.fleetName,
          Limit: args.first ?? 20,
          ...(after?.token ? { NextToken: after.token } : {}),
        }),
      );
      const offset = after === null ? 0 : after.offset;
      const sessions = output.Sessions ?? [];
      const next = output.NextToken ?? null;
      const edges = sessions.map((session, i) => ({
        cursor:
          i === sessions.length - 1
            ? encode(JSON.stringify({ token: next, offset: offset + i + 1 }))
            : encode(String(offset + i + 1)),
        node: {
          sessionId: session.Id,
          userId: session.UserId,
          state: session.State,
          startTime: session.StartTime?.toISOString() ?? null,
        },
      }));
      return {
        edges,
        pageInfo: { hasNextPage: next !== null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.stdout.write(`${JSON.stringify({ url: url.replace(/\/$/, '') + '/graphql' })}\n`);
