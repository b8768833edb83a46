import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSubgraphSdl } from '../../../src/server/subgraph-schema.js';
import { INCIDENTS_SDL } from '../../helpers/incidents-subgraph.js';

/** A third subgraph with Relay connections of its own: the names our value types share. */
const TICKETS_SDL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])

  type Query { tickets(first: Int, after: String): TicketConnection! }
  type Ticket { id: ID! fleet: Fleet }
  type TicketConnection { edges: [TicketEdge!]! pageInfo: PageInfo! }
  type TicketEdge { cursor: String! node: Ticket! }
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type Fleet @key(fields: "name", resolvable: false) { name: String! }
`;

const appstream = (sdl = printSubgraphSdl()) => ({
  name: 'appstream',
  typeDefs: parse(sdl),
  url: 'http://appstream/subgraph',
});
const incidents = { name: 'incidents', typeDefs: parse(INCIDENTS_SDL), url: 'http://incidents/' };
const tickets = { name: 'tickets', typeDefs: parse(TICKETS_SDL), url: 'http://tickets/' };

describe('composition with other subgraphs', () => {
  it('composes with a subgraph that references Session (by each key), Fleet and Stack and extends each', () => {
    const result = composeServices([appstream(), incidents]);
    expect(result.errors).toBeUndefined();
    // No hints at all: both subgraphs agree on every shared field (key fields are shareable).
    expect(result.hints).toEqual([]);
    const supergraph = result.supergraphSdl ?? '';
    for (const field of ['costCenter: String!', 'owningTeam: String!', 'incidentCount: Int!']) {
      expect(supergraph).toContain(field);
    }
    // The cost hints reach the supergraph, where a router's demand control reads them.
    const sessionsField =
      '): SessionConnection @join__field(graph: APPSTREAM) @cost(weight: 10) @listSize(slicingArguments: ["first", "last"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false, assumedSize: 20)';
    expect(supergraph.split(sessionsField)).toHaveLength(4);
    expect(supergraph).toContain('totalCount: Int! @cost(weight: 50)');
  });

  it('composes with a subgraph that defines PageInfo too, because PageInfo is @shareable', () => {
    const result = composeServices([appstream(), incidents, tickets]);
    expect(result.errors).toBeUndefined();
    expect(result.hints).toEqual([]);
    // Without the overlay's @shareable, the same composition fails: the directive is what it needs.
    const unshared = printSubgraphSdl().replace(
      /type PageInfo\n {2}@shareable\n/,
      'type PageInfo\n',
    );
    expect(unshared).not.toBe(printSubgraphSdl());
    const failed = composeServices([appstream(unshared), tickets]);
    expect(failed.errors?.map((error) => error.extensions.code)).toContain('INVALID_FIELD_SHARING');
  });
});
