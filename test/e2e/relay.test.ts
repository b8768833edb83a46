import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../helpers/gateway.js';

const run = promisify(execFile);
const RELAY_COMPILER = createRequire(import.meta.url).resolve('relay-compiler/cli.js');

/** What a Relay app writes: the three fragment shapes Relay's pagination and refetch APIs need. */
const APP_SOURCE = `
import { graphql } from 'react-relay';

// usePaginationFragment-style list over Query.sessions: a fragment with @connection.
export const sessionList = graphql\`
  fragment AppSessionList_query on Query
  @argumentDefinitions(
    stackName: { type: "String!" }
    fleetName: { type: "String!" }
    count: { type: "Int", defaultValue: 5 }
    cursor: { type: "String" }
  ) {
    sessions(stackName: $stackName, fleetName: $fleetName, first: $count, after: $cursor)
      @connection(key: "AppSessionList_sessions") {
      edges {
        node {
          id
          ...AppSession_session
        }
      }
    }
  }
\`;

// useRefetchableFragment on Session: refetched through Query.node(id:).
export const session = graphql\`
  fragment AppSession_session on Session @refetchable(queryName: "AppSessionRefetchQuery") {
    id
    sessionId
    userId
    state
    connectionState
    startTime
    fleet {
      name
    }
  }
\`;

// usePaginationFragment on Fleet.sessions: the pagination query goes through Query.node(id:).
export const fleetSessions = graphql\`
  fragment AppFleetSessions_fleet on Fleet
  @argumentDefinitions(
    stackName: { type: "String!" }
    count: { type: "Int", defaultValue: 3 }
    cursor: { type: "String" }
  )
  @refetchable(queryName: "AppFleetSessionsPaginationQuery") {
    name
    sessions(stackName: $stackName, first: $count, after: $cursor)
      @connection(key: "AppFleetSessions_sessions") {
      edges {
        node {
          ...AppSession_session
        }
      }
    }
  }
\`;

export const sessionsQuery = graphql\`
  query AppSessionsQuery($stackName: String!, $fleetName: String!) {
    ...AppSessionList_query @arguments(stackName: $stackName, fleetName: $fleetName)
  }
\`;

export const fleetQuery = graphql\`
  query AppFleetQuery($fleetName: String!, $stackName: String!) {
    fleet(name: $fleetName) {
      ...AppFleetSessions_fleet @arguments(stackName: $stackName)
    }
  }
\`;
`;

interface Artifact {
  readonly kind: string;
  readonly params?: {
    readonly name: string;
    readonly operationKind: string;
    readonly text: string;
  };
}

interface Connection {
  edges: Array<{ cursor: string; node: { id: string; sessionId: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

describe('Relay: relay-compiler against the schema the gateway serves', () => {
  const stack = useTestStack();
  let dir = '';
  let compile: { stdout: string; stderr: string } = { stdout: '', stderr: '' };
  const artifacts = new Map<string, Artifact>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-app-'));
    const introspection = await stack.graphql<IntrospectionQuery>(getIntrospectionQuery());
    if (!introspection.data) throw new Error('introspection failed');
    await mkdir(join(dir, 'src'));
    await writeFile(
      join(dir, 'schema.graphql'),
      printSchema(buildClientSchema(introspection.data)),
    );
    await writeFile(join(dir, 'src', 'App.js'), APP_SOURCE);
    await writeFile(
      join(dir, 'relay.config.json'),
      JSON.stringify({
        src: './src',
        schema: './schema.graphql',
        language: 'javascript',
        eagerEsModules: false,
        customScalarTypes: { DateTime: 'string' },
      }),
    );
    compile = await run(process.execPath, [RELAY_COMPILER], { cwd: dir });
    const generated = join(dir, 'src', '__generated__');
    const load = createRequire(join(generated, 'index.js'));
    for (const file of await readdir(generated)) {
      artifacts.set(file.replace(/\.graphql\.js$/, ''), load(join(generated, file)) as Artifact);
    }
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('compiles the @connection, @refetchable (through Node) and Fleet.sessions pagination fragments', () => {
    expect(compile.stderr).not.toMatch(/error/i);
    expect([...artifacts.keys()].sort()).toEqual([
      'AppFleetQuery',
      'AppFleetSessionsPaginationQuery',
      'AppFleetSessions_fleet',
      'AppSessionList_query',
      'AppSessionRefetchQuery',
      'AppSession_session',
      'AppSessionsQuery',
    ]);
    expect(artifacts.get('AppSessionRefetchQuery')?.params?.text).toMatch(/node\(id: \$id\)/);
    expect(artifacts.get('AppFleetSessionsPaginationQuery')?.params?.text).toMatch(
      /node\(id: \$id\)/,
    );
  });

  it("runs each generated query's text against the gateway", async () => {
    const text = (name: string): string => {
      const params = artifacts.get(name)?.params;
      if (params?.operationKind !== 'query') throw new Error(`${name} is not a query artifact`);
      return params.text;
    };
    const place = { stackName: 'engineering-desktops', fleetName: 'eng-linux-alwayson' };
    const queries = [...artifacts.values()].filter((a) => a.params?.operationKind === 'query');
    const ran = new Set<string>();
    const gql = async <D>(name: string, variables: Record<string, unknown>) => {
      const response = await stack.graphql<D>(text(name), variables);
      expect(response.errors, name).toBeUndefined();
      ran.add(name);
      if (!response.data) throw new Error(`${name} returned no data`);
      return response.data;
    };

    const list = await gql<{ sessions: Connection }>('AppSessionsQuery', place);
    expect(list.sessions.edges).toHaveLength(5);
    expect(list.sessions.pageInfo.hasNextPage).toBe(true);
    const first = list.sessions.edges[0]?.node;

    const refetched = await gql<{ node: { id: string; sessionId: string } | null }>(
      'AppSessionRefetchQuery',
      { id: first?.id },
    );
    expect(refetched.node).toMatchObject({ id: first?.id, sessionId: first?.sessionId });

    const fleet = await gql<{ fleet: { id: string; name: string; sessions: Connection } }>(
      'AppFleetQuery',
      place,
    );
    expect(fleet.fleet.sessions.edges).toHaveLength(3);
    const next = await gql<{ node: { id: string; sessions: Connection } }>(
      'AppFleetSessionsPaginationQuery',
      {
        id: fleet.fleet.id,
        stackName: place.stackName,
        count: 3,
        cursor: fleet.fleet.sessions.pageInfo.endCursor,
      },
    );
    expect(next.node.id).toBe(fleet.fleet.id);
    // The page after the first three is the sessions 4 to 6 of the same listing.
    const expected = stack.emulator.data
      .sessions(place.stackName, place.fleetName)
      .slice(3, 6)
      .map((s) => s.Id);
    expect(next.node.sessions.edges.map((e) => e.node.sessionId)).toEqual(expected);

    expect([...ran].sort()).toEqual(queries.map((q) => q.params?.name).sort());
  });
});
