/** Child processes of the benchmark and what the OS says about their CPU time and memory. */
import { execFileSync, fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the OS has charged to a process so far (/proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory now and its peak so far, in MB (/proc/<pid>/status VmRSS and VmHWM). */
export function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const BASE_ENV = {
  ...process.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_ENV: 'production',
};

/** A process started by the benchmark. */
export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  /** Its GraphQL URL (servers), or undefined. */
  readonly url: string | undefined;
  /** Sends an IPC command and resolves with the answer (forked processes only). */
  ask<T>(message: unknown): Promise<T>;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      // Already ended: by itself (exitCode), or by a signal (signalCode, exitCode stays null).
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      // A child that ignores SIGTERM (or is stuck) is killed after 3 s, so the run always ends.
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Forks a TypeScript module (through tsx) that talks over IPC and sends a first message when ready. */
export async function forkProcess(
  name: string,
  module: string,
  env: Record<string, string> = {},
): Promise<BenchProcess & { readonly first: Record<string, unknown> }> {
  const child = fork(module, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: Error | undefined;
  let failPending: ((error: Error) => void) | undefined;
  child.once('exit', (code) => {
    exited = new Error(`${name} exited (${String(code)})`);
    failPending?.(exited);
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (exited !== undefined) {
        reject(exited);
        return;
      }
      failPending = reject;
      child.once('message', resolve);
    });
  const first = (await next()) as Record<string, unknown>;
  return {
    name,
    pid: child.pid ?? 0,
    url: typeof first.url === 'string' ? first.url : undefined,
    first,
    async ask<T>(message: unknown) {
      const answer = next();
      child.send(message as object);
      return (await answer) as T;
    },
    stop: stopper(child),
  };
}

/**
 * Starts a server process (`node <args>`) and waits for the JSON line on stdout that carries its
 * URL (`url`, as the gateway's "Gateway ready" log line and the peer print it). Later output is
 * read and dropped, as a log collector would.
 */
export async function startServer(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<BenchProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: unknown };
        if (typeof parsed.url === 'string') resolve(parsed.url);
      } catch {
        // not JSON: ignore
      }
    });
  });
  return {
    name,
    pid: child.pid ?? 0,
    url,
    ask: () => Promise.reject(new Error(`${name} takes no commands`)),
    stop: stopper(child),
  };
}
