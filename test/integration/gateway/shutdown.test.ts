import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { Agent } from 'node:http';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Each test starts the real process through tsx: seconds on a loaded machine.
vi.setConfig({ testTimeout: 90_000 });

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Runs `src/main.ts` the way `npm start` does (through tsx); resolves with its URL once ready. */
async function startMain(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg?.startsWith('Gateway ready') === true) {
      return { child, url: String(entry.url).replace(/\/graphql$/, '') };
    }
  }
  throw new Error('the gateway ended before it was ready');
}

/** One GET or POST through `agent` (keep-alive when the agent keeps sockets). */
function call(
  agent: Agent,
  url: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        agent,
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const QUERY = JSON.stringify({ query: '{ __typename }' });

describe('SIGTERM: readiness goes 503 while GraphQL keeps serving for SHUTDOWN_GRACE_MS', () => {
  it('answers /readyz 503 and serves GraphQL on new and keep-alive connections during the grace period, then exits 0', async () => {
    const { child, url } = await startMain({ SHUTDOWN_GRACE_MS: '3000' });
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await call(keepAlive, url, '/readyz')).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const fresh = new Agent({ keepAlive: false });
    expect((await call(fresh, url, '/readyz')).status).toBe(503);
    expect((await call(keepAlive, url, '/readyz')).status).toBe(503);
    expect(await call(fresh, url, '/graphql', QUERY)).toEqual({
      status: 200,
      text: '{"data":{"__typename":"Query"}}\n',
    });
    expect((await call(keepAlive, url, '/graphql', QUERY)).status).toBe(200);

    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    await expect(call(new Agent(), url, '/healthz')).rejects.toThrow();
    keepAlive.destroy();
  });

  it('with SHUTDOWN_GRACE_MS=0 closes the listener at once', async () => {
    const { child } = await startMain({ SHUTDOWN_GRACE_MS: '0' });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
