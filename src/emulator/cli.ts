/**
 * Standalone emulator: `npm run emulator -- --port N`. Prints one line with the URL and the
 * environment variable that points the AWS SDK at it; exits 0 on SIGINT/SIGTERM and 2 on bad flags.
 */
import { CLI_USAGE, parseCliArgs, type CliOptions } from './cli-args.js';
import { createEmulator } from './emulator.js';

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err: unknown) {
    process.stderr.write(
      `emulator: ${err instanceof Error ? err.message : String(err)}\n${CLI_USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return;
  }
  const emulator = createEmulator({
    emptyPageAtEnd: options.emptyPageAtEnd,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
  });
  const { url } = await emulator.listen({ port: options.port, host: options.host });
  process.stdout.write(
    `AppStream emulator listening on ${url} (${emulator.data.allSessions().length} sessions); ` +
      `point the SDK at it with AWS_ENDPOINT_URL_APPSTREAM=${url}\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`emulator: ${message}\n`);
  process.exitCode = 1;
});
