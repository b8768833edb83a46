import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A second, test-only subgraph: an incident tracker that references this gateway's `Fleet`,
 * `Stack` and `Session` (by each of its keys) and extends each with a field of its own.
 */
export const INCIDENTS_SDL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "Open incidents."
    incidents: [Incident!]!
  }

  "An incident that names a fleet, a stack and possibly a session."
  type Incident {
    id: ID!
    title: String!
    fleet: Fleet
    stack: Stack
    session: Session
  }

  type Fleet @key(fields: "name") {
    name: String!
    "The cost center the fleet is billed to."
    costCenter: String!
  }

  type Stack @key(fields: "name") {
    name: String!
    "The team that owns the stack."
    owningTeam: String!
  }

  type Session @key(fields: "id") @key(fields: "stackName fleetName sessionId") {
    id: ID!
    stackName: String!
    fleetName: String!
    sessionId: String!
    "How many incidents name this session."
    incidentCount: Int!
  }
`;

/** A session as the incident tracker stored it: both of its keys. */
export interface SessionRef {
  readonly id: string;
  readonly stackName: string;
  readonly fleetName: string;
  readonly sessionId: string;
}

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly fleetName: string;
  readonly stackName: string;
  readonly session?: SessionRef;
}

export interface IncidentsSubgraph {
  readonly url: string;
  /** Every representation `_entities` received, in order. */
  readonly references: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the incidents subgraph on 127.0.0.1, any free port. */
export async function startIncidentsSubgraph(
  incidents: readonly Incident[],
): Promise<IncidentsSubgraph> {
  const references: Array<Record<string, unknown>> = [];
  const record = <T extends Record<string, unknown>>(reference: T): T => {
    references.push(reference);
    return reference;
  };
  const sameSession = (a: Partial<SessionRef>, b: SessionRef): boolean =>
    a.id !== undefined
      ? a.id === b.id
      : a.sessionId === b.sessionId && a.stackName === b.stackName && a.fleetName === b.fleetName;
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(INCIDENTS_SDL),
      resolvers: {
        Query: { incidents: () => incidents },
        Incident: {
          fleet: (incident: Incident) => ({ name: incident.fleetName }),
          stack: (incident: Incident) => ({ name: incident.stackName }),
          session: (incident: Incident) => incident.session ?? null,
        },
        Fleet: {
          __resolveReference: record,
          costCenter: (fleet: { name: string }) => `cc-${fleet.name}`,
        },
        Stack: {
          __resolveReference: record,
          owningTeam: (stack: { name: string }) => `team-${stack.name}`,
        },
        Session: {
          __resolveReference: record,
          incidentCount: (session: Partial<SessionRef>) =>
            incidents.filter(
              (incident) => incident.session && sameSession(session, incident.session),
            ).length,
        },
      },
    },
  ]);
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, references, close: () => server.stop() };
}
