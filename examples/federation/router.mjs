// A router (@apollo/gateway) in front of the gateway's subgraph and the incidents subgraph.
// Run: node examples/federation/router.mjs   (listens on ROUTER_PORT, default 4003)
// APPSTREAM_SUBGRAPH_URL (default http://127.0.0.1:4000/subgraph) and, when the gateway has a
// SUBGRAPH_SECRET, APPSTREAM_SUBGRAPH_SECRET with the same value.
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const appstreamUrl = process.env.APPSTREAM_SUBGRAPH_URL ?? 'http://127.0.0.1:4000/subgraph';
const secret = process.env.APPSTREAM_SUBGRAPH_SECRET;

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'appstream', url: appstreamUrl },
      { name: 'incidents', url: process.env.INCIDENTS_URL ?? 'http://127.0.0.1:4002/' },
    ],
  }),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request, context }) {
        if (url !== appstreamUrl) return;
        if (secret !== undefined) request.http?.headers.set('x-subgraph-secret', secret);
        // Forward the caller's token, so that the gateway applies the caller's stack allow-list.
        const authorization = context.authorization;
        if (authorization !== undefined) request.http?.headers.set('authorization', authorization);
      },
    }),
});

const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.ROUTER_PORT ?? 4003), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`router at ${url}`);
