import { describe, expect, it } from 'vitest';
import { DEFAULT_CLI_PORT, parseCliArgs } from '../../../src/emulator/cli-args.js';

describe('parseCliArgs', () => {
  it('has defaults', () => {
    expect(parseCliArgs([])).toEqual({
      port: DEFAULT_CLI_PORT,
      host: '127.0.0.1',
      seed: undefined,
      sessions: undefined,
      emptyPageAtEnd: 'never',
      help: false,
    });
    expect(DEFAULT_CLI_PORT).toBe(4566);
  });

  it('parses every flag', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--seed',
        '9',
        '--sessions',
        '100000',
        '--empty-page-at-end',
        'always',
      ]),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      seed: 9,
      sessions: 100_000,
      emptyPageAtEnd: 'always',
      help: false,
    });
    expect(parseCliArgs(['--port=8080']).port).toBe(8080);
    expect(parseCliArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--port', 'x'], /--port must be an integer in 0\.\.65535, got 'x'/],
    [['--port', '70000'], /--port/],
    [['--port', '1.5'], /--port/],
    [['--sessions', '-1'], /--sessions/],
    [['--seed', 'abc'], /--seed/],
    [
      ['--empty-page-at-end', 'sometimes'],
      /--empty-page-at-end must be one of never, when-full, always/,
    ],
    [['--bogus'], /Unknown option '--bogus'$/],
    [['--port'], /--port/],
    [['--host', ''], /--host must not be empty/],
    [['stray'], /unexpected argument 'stray'/],
  ])('rejects %j with a one-line message', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
    try {
      parseCliArgs(argv);
    } catch (err: unknown) {
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
