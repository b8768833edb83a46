import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const children: ChildProcess[] = [];

/** Runs `src/main.ts` the way `npm start` does (through tsx), with a controlled environment. */
export function startMain(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Has {@link killMains} kill `child` too (another process a test started). */
export function track(child: ChildProcess): void {
  children.push(child);
}

/** Kills every process {@link startMain} started or {@link track} was given (for `afterEach`). */
export function killMains(): void {
  for (const child of children.splice(0)) child.kill('SIGKILL');
}

/** Reads JSON log lines from a child's stdout until one whose `msg` starts with `prefix`. */
export async function waitForLog(
  child: ChildProcess,
  prefix: string,
): Promise<Array<Record<string, unknown>>> {
  const logged: Array<Record<string, unknown>> = [];
  if (child.stdout === null) throw new Error('the process has no stdout');
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    logged.push(entry);
    if (typeof entry.msg === 'string' && entry.msg.startsWith(prefix)) return logged;
  }
  throw new Error(`the process ended before logging "${prefix}"`);
}

/** Waits for the process to exit; its exit code and everything it wrote to stderr. */
export async function collect(
  child: ChildProcess,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}
