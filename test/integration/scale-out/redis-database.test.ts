import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisLink } from '../../../src/shared/redis.js';
import type { RedisLink } from '../../../src/shared/redis.js';
import { describeWithRedis, startRedis } from '../../helpers/redis.js';
import type { TestRedis } from '../../helpers/redis.js';

describeWithRedis('REDIS_URL naming a database the server does not have', () => {
  let redis: TestRedis;
  const links: RedisLink[] = [];
  const lines: Array<{ msg: string; redis?: { state?: string; reason?: string } }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
        done();
      },
    }),
  );
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const link of links) link.close();
    await redis.stop();
  });

  it('never reports itself connected, and runs every command on the fallback', async () => {
    // redis-server has 16 databases (0 to 15) unless configured otherwise.
    const link = createRedisLink({
      url: `${redis.url}/99`,
      commandTimeoutMs: 500,
      logger,
      probeIntervalMs: 50,
    });
    links.push(link);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(link.status().state).toBe('unavailable');
    expect(lines.some((line) => line.redis?.state === 'connected')).toBe(false);
    expect(lines.map((line) => line.redis?.reason)).toContain(
      'database 99 cannot be selected (not on this server)',
    );
    const where = await link.run(
      () => Promise.resolve('redis'),
      () => 'fallback',
    );
    expect(where).toBe('fallback');
  });

  it('connects to a database the server has', async () => {
    const link = createRedisLink({ url: `${redis.url}/3`, commandTimeoutMs: 500, logger });
    links.push(link);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(link.status().state).toBe('connected');
    expect(
      await link.run(
        async (client) => client.ping(),
        () => 'fallback',
      ),
    ).toBe('PONG');
  });
});
