import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createEmulator } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { bearer, pemAuthenticator, pemKeyPair } from '../../helpers/idp.js';
import { describeWithRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { eventually, KEY_PREFIX, startReplica } from './support.js';
import type { Replica } from './support.js';

// Seeded demo data: stack A = engineering-desktops, stack B = finance-apps.
const A = 'engineering-desktops';
const B = 'finance-apps';
const QUERY = `query($stack: String!, $fleet: String!) {
  sessions(stackName: $stack, fleetName: $fleet, first: 20) { nodes { sessionId } }
}`;
const TTL_MS = 60_000;

describeWithRedis('the page cache shared by replicas through Redis', () => {
  let redis: TestRedis;
  let emulator: Emulator;
  let first: Replica;
  let second: Replica;
  let mint: (stacks: unknown) => Promise<Record<string, string>>;
  const calls = () => emulator.calls.count('DescribeSessions');

  beforeAll(async () => {
    redis = await startRedis();
    emulator = createEmulator();
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const { pem, sign } = await pemKeyPair('ES256');
    const authenticator = pemAuthenticator(pem);
    mint = async (stacks) => bearer(await sign({ appstream_stacks: stacks }));
    const options = {
      emulatorUrl: url,
      redisUrl: redis.url,
      pageCacheTtlMs: TTL_MS,
      authenticator,
    };
    [first, second] = await Promise.all([startReplica(options), startReplica(options)]);
    await eventually(() =>
      [first, second].every((replica) => replica.link?.status().state === 'connected'),
    );
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await emulator.close();
    await redis.stop();
  });
  beforeEach(() => emulator.calls.reset());

  it('serves a page fetched through one replica to another with no upstream call', async () => {
    const everything = await mint(['*']);
    const variables = { stack: A, fleet: 'eng-linux-alwayson' };
    const fetched = await first.graphql(QUERY, variables, everything);
    expect(fetched.errors).toBeUndefined();
    expect(calls()).toBe(1);

    const served = await second.graphql(QUERY, variables, everything);
    expect(served).toEqual(fetched);
    expect(calls()).toBe(1);
    expect(await second.metrics()).toMatch(
      /gateway_page_cache_shared_lookups_total\{operation="DescribeSessions",result="hit"\} 1/,
    );

    // Redis holds it for the rest of its TTL, under a key that names no stack, fleet or token.
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${KEY_PREFIX}page:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).not.toContain(A);
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(TTL_MS);
      }
    } finally {
      client.disconnect();
    }
  });

  it('never serves a page to a caller with another authorization scope', async () => {
    const variables = { stack: A, fleet: 'eng-win2022-ondemand' };
    const forAll = await first.graphql(QUERY, variables, await mint(['*']));
    expect(forAll.errors).toBeUndefined();
    expect(calls()).toBe(1);
    // Another allow-list is another scope: its own upstream call, then shared among its holders.
    const forA = await second.graphql(QUERY, variables, await mint([A]));
    expect(forA.data).toEqual(forAll.data);
    expect(calls()).toBe(2);
    const forAAgain = await first.graphql(QUERY, variables, await mint([A]));
    expect(forAAgain.data).toEqual(forAll.data);
    expect(calls()).toBe(2);

    // A page of stack B cached for a caller who may see it is not served to one who may not.
    const hidden = { stack: B, fleet: 'finance-win2019' };
    expect((await first.graphql(QUERY, hidden, await mint(['*']))).errors).toBeUndefined();
    const refused = await second.graphql(QUERY, hidden, await mint([A]));
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(refused.data?.sessions).toBeNull();
    expect(calls()).toBe(3);
  });
});
