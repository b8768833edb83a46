import { describe } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Debian's redis-server package; `.ci/run` installs it, and fails when a Redis test was skipped.
 * Tests start their own server on a free loopback port, without persistence, and stop it.
 */
export const REDIS_SERVER = 'redis-server';
export const redisAvailable = spawnSync(REDIS_SERVER, ['--version']).status === 0;
export const REDIS_SKIP_REASON = `${REDIS_SERVER} is missing (apt-get install -y redis-server); the Redis tests are skipped`;
if (!redisAvailable) console.warn(`Skipped: ${REDIS_SKIP_REASON}`);

/** A redis-server of the test's own. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound, read and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves once something accepts TCP connections on the port (or throws after ~5 s). */
async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`redis-server did not listen on port ${port}`);
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save '' --appendonly no` on a free port, with
 * `extraArgs` after them (for example `['--requirepass', 'secret']`).
 */
export async function startRedis(extraArgs: readonly string[] = []): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...extraArgs,
    ];
    const started = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    child = started;
    await waitForPort(port);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * `describe` for tests that need `redis-server`: skipped, with {@link REDIS_SKIP_REASON} in its
 * title, when it is not installed (`.ci/run` fails on any skipped test).
 */
export function describeWithRedis(title: string, body: () => void): void {
  describe.skipIf(!redisAvailable)(redisAvailable ? title : `${title}: ${REDIS_SKIP_REASON}`, body);
}
