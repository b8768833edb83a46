import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `npm run token -- ...args` the way npm does (through tsx). */
function token(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run token', () => {
  it.each([
    [['stack-a', '--expires', '-2m'], "npm run token: Option '--expires' argument is ambiguous."],
    [
      ['stack-a', '--expires=banana'],
      'npm run token: --expires takes a duration such as 30m, 2h or 7d (an expired token: --expires=-2m); got "banana".',
    ],
    [['stack-a', '--nope'], "npm run token: Unknown option '--nope'."],
  ])('answers %j with one clear line and exit code 1, no stack trace', (args, start) => {
    const result = token(...args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(start)).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
