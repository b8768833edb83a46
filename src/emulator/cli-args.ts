import { parseArgs } from 'node:util';
import type { EmptyPageAtEnd } from './operations.js';

/** Port of the standalone emulator when `--port` is not given (LocalStack's edge port). */
export const DEFAULT_CLI_PORT = 4566;

/** Parsed command line of `npm run emulator`. */
export interface CliOptions {
  port: number;
  host: string;
  seed: number | undefined;
  sessions: number | undefined;
  emptyPageAtEnd: EmptyPageAtEnd;
  help: boolean;
}

export const CLI_USAGE =
  'usage: npm run emulator -- [--port N (default 4566, 0 = any)] [--host H (default 127.0.0.1)] ' +
  '[--seed N] [--sessions N] [--empty-page-at-end never|when-full|always]';

const MODES: readonly EmptyPageAtEnd[] = ['never', 'when-full', 'always'];

/**
 * Parses CLI flags. Throws an `Error` with a one-line message for unknown flags, missing values
 * and out-of-range numbers (port 0..65535, seed a 32-bit integer, sessions 0..1000000).
 */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseFlags(argv);
  if (positionals.length > 0) throw new Error(`unexpected argument '${positionals[0] ?? ''}'`);
  const mode = values['empty-page-at-end'] ?? 'never';
  const emptyPageAtEnd = MODES.find((m) => m === mode);
  if (emptyPageAtEnd === undefined) {
    throw new Error(`--empty-page-at-end must be one of ${MODES.join(', ')}, got '${mode}'`);
  }
  if (values.host === '') throw new Error('--host must not be empty');
  return {
    port: values.port === undefined ? DEFAULT_CLI_PORT : integer('--port', values.port, 0, 65_535),
    host: values.host ?? '127.0.0.1',
    seed:
      values.seed === undefined
        ? undefined
        : integer('--seed', values.seed, -(2 ** 31), 2 ** 32 - 1),
    sessions:
      values.sessions === undefined
        ? undefined
        : integer('--sessions', values.sessions, 0, 1_000_000),
    emptyPageAtEnd,
    help: values.help === true,
  };
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be an integer in ${min}..${max}, got '${raw}'`);
  }
  return value;
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        sessions: { type: 'string' },
        'empty-page-at-end': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err: unknown) {
    const first = err instanceof Error ? err.message.split(/\.?\n|\. /)[0] : undefined;
    throw new Error(first ?? 'invalid arguments', { cause: err });
  }
}
