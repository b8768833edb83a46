/**
 * The raw SDK side of the benchmark, in a process of its own: one `AppStreamClient` (created once,
 * keep-alive sockets) calling DescribeSessions against the same emulator. Driven over IPC:
 * - `{ cmd: 'load', concurrency, durationMs, stackName, fleetName }`: first pages (Limit 50) from
 *   `concurrency` loops for `durationMs`; answers the calls made.
 * - `{ cmd: 'walk', stackName, fleetName, pages }`: reads `pages` pages in a row from the start,
 *   following NextToken; answers the elapsed milliseconds.
 */
import { AppStreamClient, DescribeSessionsCommand } from '@aws-sdk/client-appstream';

const client = new AppStreamClient({
  endpoint: process.env.AWS_ENDPOINT_URL_APPSTREAM ?? '',
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});

const page = (stackName: string, fleetName: string, token: string | undefined) =>
  client.send(
    new DescribeSessionsCommand({
      StackName: stackName,
      FleetName: fleetName,
      Limit: 50,
      ...(token === undefined ? {} : { NextToken: token }),
    }),
  );

type Command =
  | { cmd: 'load'; concurrency: number; durationMs: number; stackName: string; fleetName: string }
  | { cmd: 'walk'; stackName: string; fleetName: string; pages: number };

process.on('message', (message: Command) => {
  void (async () => {
    if (message.cmd === 'load') {
      const end = performance.now() + message.durationMs;
      let calls = 0;
      await Promise.all(
        Array.from({ length: message.concurrency }, async () => {
          while (performance.now() < end) {
            await page(message.stackName, message.fleetName, undefined);
            calls++;
          }
        }),
      );
      process.send?.({ calls });
    } else {
      const started = performance.now();
      let token: string | undefined;
      for (let i = 0; i < message.pages; i++) {
        const output = await page(message.stackName, message.fleetName, token);
        token = output.NextToken;
      }
      process.send?.({ ms: performance.now() - started });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
