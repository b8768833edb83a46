import { DescribeSessionsCommand, type AppStreamClient } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataset, type Emulator } from '../../../src/emulator/index.js';
import { clientFor, startEmulator } from './helpers.js';

let emulator: Emulator;
let client: AppStreamClient;

beforeAll(async () => {
  emulator = await startEmulator({ sessions: 100_000, seed: 7 });
  client = clientFor(emulator.url);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('a 100,000-session dataset', () => {
  it('is generated in well under two seconds', () => {
    const started = performance.now();
    const dataset = createDataset({ sessions: 100_000, seed: 3 });
    const elapsed = performance.now() - started;
    expect(dataset.sessions).toHaveLength(100_000);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('pages through its largest pair with Limit 50, every session exactly once', async () => {
    const pairs = emulator.data.associations().map((a) => ({
      ...a,
      size: emulator.data.sessions(a.StackName, a.FleetName).length,
    }));
    expect(pairs.reduce((sum, p) => sum + p.size, 0)).toBe(100_000);
    const largest = pairs.reduce((a, b) => (b.size > a.size ? b : a));
    const seen: string[] = [];
    let NextToken: string | undefined;
    let calls = 0;
    do {
      const out = await client.send(
        new DescribeSessionsCommand({
          StackName: largest.StackName,
          FleetName: largest.FleetName,
          Limit: 50,
          NextToken,
        }),
      );
      calls++;
      for (const s of out.Sessions ?? []) seen.push(s.Id ?? '');
      NextToken = out.NextToken;
    } while (NextToken !== undefined);
    expect(seen).toHaveLength(largest.size);
    expect(new Set(seen).size).toBe(largest.size);
    expect(calls).toBe(Math.ceil(largest.size / 50));
  });

  it('answers a filtered query for a frequent user', async () => {
    const sessions = emulator.data.sessions('support-tools', 'support-multisession');
    const user = sessions[0];
    const out = await client.send(
      new DescribeSessionsCommand({
        StackName: 'support-tools',
        FleetName: 'support-multisession',
        UserId: user?.UserId,
        AuthenticationType: user?.AuthenticationType,
        Limit: 50,
      }),
    );
    const expected = sessions.filter(
      (s) => s.UserId === user?.UserId && s.AuthenticationType === user.AuthenticationType,
    );
    expect(out.Sessions?.map((s) => s.Id)).toEqual(expected.slice(0, 50).map((s) => s.Id));
  });
});
