import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { bearer, pemAuthenticator, pemKeyPair } from '../../helpers/idp.js';

const SECRET = 'router-shared-secret-for-auth-tests';

/** stack-a has fleet-1 and fleet-shared; stack-b has fleet-b and fleet-shared. */
const dataset = datasetBuilder()
  .stack('stack-a')
  .stack('stack-b')
  .fleet('fleet-1')
  .fleet('fleet-b')
  .fleet('fleet-shared')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-shared')
  .associate('stack-b', 'fleet-b')
  .associate('stack-b', 'fleet-shared')
  .sessions('stack-a', 'fleet-1', 3)
  .sessions('stack-b', 'fleet-b', 3)
  .build();
const sessionOf = (stackName: string) =>
  dataset.sessions.find((session) => session.StackName === stackName)?.Id ?? '';

let stack: TestStack;
let onlyA: Record<string, string>;
let everything: Record<string, string>;

beforeAll(async () => {
  const { pem, sign } = await pemKeyPair('ES256');
  const authenticator = pemAuthenticator(pem);
  stack = await startTestStack({
    emulator: { dataset },
    authenticator,
    subgraph: { secret: SECRET },
  });
  onlyA = { ...bearer(await sign({ appstream_stacks: ['stack-a'] })), 'x-subgraph-secret': SECRET };
  everything = { ...bearer(await sign({ appstream_stacks: ['*'] })), 'x-subgraph-secret': SECRET };
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.calls.reset());

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Stack { name }
    ... on Fleet { name }
    ... on Session { sessionId }
  }
}`;

const representations = [
  { __typename: 'Stack', name: 'stack-a' },
  { __typename: 'Stack', name: 'stack-b' },
  { __typename: 'Fleet', name: 'fleet-1' },
  { __typename: 'Fleet', name: 'fleet-b' },
  { __typename: 'Fleet', name: 'fleet-shared' },
  {
    __typename: 'Session',
    stackName: 'stack-a',
    fleetName: 'fleet-1',
    sessionId: sessionOf('stack-a'),
  },
  {
    __typename: 'Session',
    stackName: 'stack-b',
    fleetName: 'fleet-b',
    sessionId: sessionOf('stack-b'),
  },
];

describe('_entities under the stack allow-list (the router forwards Authorization)', () => {
  it('answers hidden stacks, fleets and sessions as null, as if they did not exist', async () => {
    const response = await stack.subgraph<{ _entities: unknown[] }>(
      ENTITIES,
      { representations },
      onlyA,
    );
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { name: 'stack-a' },
      null,
      { name: 'fleet-1' },
      null,
      { name: 'fleet-shared' },
      { sessionId: sessionOf('stack-a') },
      null,
    ]);
    // The hidden session's listing is never read.
    expect(stack.emulator.calls.count('DescribeSessions', { StackName: 'stack-b' })).toBe(0);
  });

  it('answers everything to a caller who may see every stack', async () => {
    const response = await stack.subgraph<{ _entities: unknown[] }>(
      ENTITIES,
      { representations },
      everything,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities.every((entity) => entity !== null)).toBe(true);
  });

  it('wants both the shared secret and a valid token', async () => {
    const noToken = await stack.subgraph(
      ENTITIES,
      { representations },
      { 'x-subgraph-secret': SECRET },
    );
    expect(noToken.status).toBe(401);
    expect(noToken.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const noSecret = await stack.subgraph(
      ENTITIES,
      { representations },
      { authorization: onlyA.authorization ?? '' },
    );
    expect(noSecret.status).toBe(401);
    expect(noSecret.errors?.[0]?.message).toMatch(/x-subgraph-secret/);
    expect(stack.emulator.calls.count()).toBe(0);
  });
});
