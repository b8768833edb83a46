// A second subgraph that references the gateway's Fleet and adds a field to it.
// Run: node examples/federation/incidents.mjs   (listens on INCIDENTS_PORT, default 4002)
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    incidents: [Incident!]!
  }

  type Incident {
    id: ID!
    title: String!
    fleet: Fleet
  }

  # The gateway's Fleet, referenced by its key and extended with a field of this subgraph.
  type Fleet @key(fields: "name") {
    name: String!
    costCenter: String!
  }
`);

const incidents = [
  { id: 'INC-1', title: 'Slow logins', fleetName: 'eng-linux-alwayson' },
  { id: 'INC-2', title: 'Printer redirection broken', fleetName: 'finance-win2019' },
];

const resolvers = {
  Query: { incidents: () => incidents },
  Incident: { fleet: (incident) => ({ name: incident.fleetName }) },
  Fleet: {
    __resolveReference: (reference) => reference,
    costCenter: (fleet) => `cc-${fleet.name}`,
  },
};

const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs, resolvers }]) });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.INCIDENTS_PORT ?? 4002), host: '127.0.0.1' },
});
console.log(`incidents subgraph at ${url}`);
