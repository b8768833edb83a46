import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { problemsOf } from '../../helpers/config.js';
import { TEST_SECRET } from '../../helpers/signing.js';

describe('REDIS_URL and the rate budget', () => {
  it('has no Redis and no rate budget by default', () => {
    expect(loadConfig({})).toMatchObject({ redis: undefined, rateBudget: undefined });
  });

  it('refuses REDIS_URL without CURSOR_SECRET, in one line saying what to set', () => {
    expect(problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      "REDIS_URL needs CURSOR_SECRET: replicas sharing Redis serve each other's clients, so set " +
        'the same CURSOR_SECRET on every replica.',
    ]);
  });

  it('reads REDIS_URL with its defaults', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://:pw@cache:6380/2',
      CURSOR_SECRET: TEST_SECRET,
    });
    expect(config.redis).toEqual({
      url: 'rediss://:pw@cache:6380/2',
      commandTimeoutMs: 250,
      keyPrefix: 'appstream-gateway:',
    });
  });

  it('refuses a REDIS_URL that is not a redis:// URL', () => {
    expect(problemsOf({ REDIS_URL: 'http://cache:6379', CURSOR_SECRET: TEST_SECRET })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379).',
    ]);
  });

  it('refuses a REDIS_URL whose path is not a database number, without echoing it', () => {
    for (const path of ['/x', '/0/extra', '/-1']) {
      expect(
        problemsOf({ REDIS_URL: `redis://:pw@cache:6379${path}`, CURSOR_SECRET: TEST_SECRET }),
      ).toEqual([
        'REDIS_URL may end in a database number only (redis://127.0.0.1:6379/0); its path is not one.',
      ]);
    }
    for (const path of ['', '/', '/15']) {
      const url = `redis://:pw@cache:6379${path}`;
      expect(loadConfig({ REDIS_URL: url, CURSOR_SECRET: TEST_SECRET }).redis?.url).toBe(url);
    }
  });

  it('bursts one second of the rate unless told otherwise', () => {
    expect(loadConfig({ UPSTREAM_CALLS_PER_SECOND: '20' }).rateBudget).toEqual({
      ratePerSecond: 20,
      burst: 20,
    });
    expect(
      loadConfig({ UPSTREAM_CALLS_PER_SECOND: '20', UPSTREAM_CALLS_BURST: '5' }).rateBudget,
    ).toEqual({ ratePerSecond: 20, burst: 5 });
  });

  it('refuses a burst without a rate', () => {
    expect(problemsOf({ UPSTREAM_CALLS_BURST: '5' })).toEqual([
      'UPSTREAM_CALLS_BURST needs UPSTREAM_CALLS_PER_SECOND (the budget it bursts).',
    ]);
  });
});
