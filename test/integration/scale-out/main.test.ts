import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { collect, killMains, startMain } from '../../helpers/main-process.js';
import { describeWithRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';
import { TEST_SECRET } from '../../helpers/signing.js';

const PASSWORD = 'redis-password-never-logged';

afterEach(killMains);

describe('npm start with REDIS_URL', () => {
  it('refuses to start without CURSOR_SECRET, in one line', async () => {
    const { code, stderr } = await collect(
      startMain({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^REDIS_URL needs CURSOR_SECRET: .*same CURSOR_SECRET on every replica/,
      ),
    ]);
  });
});

describeWithRedis('npm start with REDIS_URL and a rate budget', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis(['--requirepass', PASSWORD]);
  });
  afterAll(() => redis.stop());

  it('shares its budget and pages in Redis, reports it in /readyz, and never logs the URL', async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
    const child = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: url,
      CURSOR_SECRET: TEST_SECRET,
      UPSTREAM_CALLS_PER_SECOND: '5',
    });
    const logged: Array<Record<string, unknown>> = [];
    if (child.stdout === null) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      logged.push(JSON.parse(line) as Record<string, unknown>);
    });
    const said = (prefix: string) => logged.find((entry) => String(entry.msg).startsWith(prefix));
    await expect.poll(() => said('Gateway ready'), { timeout: 20_000 }).toBeDefined();
    const base = String(said('Gateway ready')?.url).replace(/\/graphql$/, '');
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stacks(first: 2) { nodes { name } } }' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    await expect
      .poll(async () => (await (await fetch(`${base}/readyz`)).json()) as unknown)
      .toMatchObject({ upstream: { redis: { state: 'connected', budget: 'shared' } } });

    const client = new Redis(url);
    try {
      expect(await client.keys('appstream-gateway:budget:*')).toHaveLength(1);
      expect((await client.keys('appstream-gateway:page:*')).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
    child.kill('SIGTERM');
    await expect.poll(() => said('Shutting down')).toBeDefined();
    expect(said('Redis connected')).toBeDefined();
    expect(JSON.stringify(logged)).not.toContain(PASSWORD);
  });
});
