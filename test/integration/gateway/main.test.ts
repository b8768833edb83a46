import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const children: ChildProcess[] = [];

/** Runs `src/main.ts` the way `npm start` does (through tsx), with a controlled environment. */
function startMain(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function collect(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('npm start (src/main.ts)', () => {
  it('runs on the embedded emulator, says so in its first log line, and serves { __typename }', async () => {
    const child = startMain({ PORT: '0', HOST: '127.0.0.1' });
    const lines = createInterface({ input: child.stdout! });
    const logged: Array<{ msg: string; url?: string; upstream?: string }> = [];
    let url: string | undefined;
    for await (const line of lines) {
      const entry = JSON.parse(line) as { msg: string; url?: string; upstream?: string };
      logged.push(entry);
      if (entry.msg.startsWith('Gateway ready')) {
        url = entry.url;
        break;
      }
    }
    expect(logged[0]).toMatchObject({ upstream: 'emulator' });
    expect(logged[0]?.msg).toContain('embedded AppStream emulator');
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses to start in production without an explicit upstream', async () => {
    const { code, stderr } = await collect(startMain({ NODE_ENV: 'production', PORT: '0' }));
    expect(code).not.toBe(0);
    expect(stderr).toContain('APPSTREAM_UPSTREAM must be set when NODE_ENV=production');
  });

  it('exits non-zero with one line per configuration problem', async () => {
    const { code, stderr } = await collect(startMain({ PORT: 'x', APPSTREAM_UPSTREAM: 'gcp' }));
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      'PORT must be an integer from 0 to 65535; got "x".',
      'APPSTREAM_UPSTREAM must be "emulator" or "aws"; got "gcp".',
    ]);
  });
});
