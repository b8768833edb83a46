import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/policy/auth.js';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import { AUDIENCE, bearer, ISSUER, pemKeyPair } from '../../helpers/idp.js';
import { TEST_SECRET } from '../../helpers/signing.js';

// Seeded demo data: stack A = engineering-desktops, stack B = finance-apps.
const A = 'engineering-desktops';
const B = 'finance-apps';
const QUERY = `query($stack: String!, $fleet: String!) {
  sessions(stackName: $stack, fleetName: $fleet, first: 20) { nodes { sessionId } }
}`;

let stack: TestStack;
let mint: (stacks: unknown) => Promise<Record<string, string>>;

beforeAll(async () => {
  const { pem, sign } = await pemKeyPair('ES256');
  const authenticator = createAuthenticator({
    config: {
      mode: 'jwt',
      keys: { kind: 'pem', pem },
      issuer: ISSUER,
      audience: [AUDIENCE],
      stacksClaim: 'appstream_stacks',
    },
    logger: pino({ level: 'silent' }),
  });
  stack = await startTestStack({
    authenticator,
    signing: { secret: TEST_SECRET },
    pageCacheTtlMs: 60_000,
  });
  mint = async (stacks) => bearer(await sign({ appstream_stacks: stacks }));
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.gateway.pageCache?.clear();
  stack.emulator.calls.reset();
});

describe('the page cache and real authorization scopes', () => {
  it('shares pages between callers with the same allow-list, never with another one', async () => {
    const everything = await mint(['*']);
    const onlyA = await mint([A]);
    const onlyAAgain = await mint([A]);
    const variables = { stack: A, fleet: 'eng-linux-alwayson' };
    const calls = () => stack.emulator.calls.count('DescribeSessions');

    const forAll = await stack.graphql(QUERY, variables, everything);
    expect(forAll.errors).toBeUndefined();
    expect(calls()).toBe(1);
    const forA = await stack.graphql(QUERY, variables, onlyA);
    expect(forA.data).toEqual(forAll.data);
    expect(calls()).toBe(2);
    await stack.graphql(QUERY, variables, onlyAAgain);
    expect(calls()).toBe(2);
  });

  it('never serves a hidden stack from pages cached for a caller who may see it', async () => {
    const variables = { stack: B, fleet: 'finance-win2019' };
    const forAll = await stack.graphql(QUERY, variables, await mint(['*']));
    expect(forAll.errors).toBeUndefined();
    const forA = await stack.graphql(QUERY, variables, await mint([A]));
    expect(forA.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(forA.data?.sessions).toBeNull();
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
  });
});
