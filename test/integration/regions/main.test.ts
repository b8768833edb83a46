import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, datasetBuilder } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { postGraphQL } from '../../helpers/gateway.js';
import { killMains, startMain, waitForLog } from '../../helpers/main-process.js';

const emulators: Emulator[] = [];

afterEach(async () => {
  killMains();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

/** An emulator on 127.0.0.1 port 0 holding the stacks named; resolves with its endpoint. */
async function emulatorWith(...stacks: string[]): Promise<{ emulator: Emulator; url: string }> {
  let builder = datasetBuilder();
  for (const name of stacks) builder = builder.stack(name);
  const emulator = createEmulator({ dataset: builder.build() });
  emulators.push(emulator);
  const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
  return { emulator, url };
}

interface Stacks {
  us: { nodes: Array<{ name: string; region: string }> };
  eu: { nodes: Array<{ name: string; region: string }> };
}

describe('npm start with APPSTREAM_REGIONS', () => {
  it('gives each region of APPSTREAM_UPSTREAM=aws its client, endpoint and breaker', async () => {
    const us = await emulatorWith('us-only');
    const eu = await emulatorWith('eu-only', 'eu-other');
    const child = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      APPSTREAM_UPSTREAM: 'aws',
      APPSTREAM_REGIONS: 'us-east-1,eu-west-1',
      APPSTREAM_ENDPOINT_US_EAST_1: us.url,
      APPSTREAM_ENDPOINT_EU_WEST_1: eu.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const logged = await waitForLog(child, 'Gateway ready');
    expect(logged[0]).toMatchObject({ upstream: 'aws', regions: ['us-east-1', 'eu-west-1'] });
    const url = String(logged.at(-1)?.url);
    const response = await postGraphQL<Stacks>(
      url,
      '{ us: stacks(region: "us-east-1") { nodes { name region } } eu: stacks(region: "eu-west-1") { nodes { name region } } }',
    );
    expect(response.data).toEqual({
      us: { nodes: [{ name: 'us-only', region: 'us-east-1' }] },
      eu: {
        nodes: [
          { name: 'eu-only', region: 'eu-west-1' },
          { name: 'eu-other', region: 'eu-west-1' },
        ],
      },
    });
    expect(us.emulator.calls.count('DescribeStacks')).toBe(1);
    expect(eu.emulator.calls.count('DescribeStacks')).toBe(1);
    const ready = await fetch(url.replace(/\/graphql$/, '/readyz'));
    expect(await ready.json()).toMatchObject({
      upstream: {
        breakers: [
          { region: 'us-east-1', state: 'closed' },
          { region: 'eu-west-1', state: 'closed' },
        ],
      },
    });
  });

  it('starts one embedded emulator per region, with the next seed for each', async () => {
    const child = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      APPSTREAM_REGIONS: 'us-east-1,eu-west-1',
      EMULATOR_SEED: '7',
    });
    const logged = await waitForLog(child, 'Gateway ready');
    expect(logged.filter((entry) => entry.upstream === 'emulator')).toEqual([
      expect.objectContaining({ region: 'us-east-1', seed: 7 }),
      expect.objectContaining({ region: 'eu-west-1', seed: 8 }),
    ]);
    const query = (region: string) =>
      `sessions(region: "${region}", stackName: "engineering-desktops", fleetName: "eng-linux-alwayson", first: 5) { nodes { sessionId region } }`;
    const response = await postGraphQL<{
      us: { nodes: Array<{ sessionId: string; region: string }> };
      eu: { nodes: Array<{ sessionId: string; region: string }> };
    }>(String(logged.at(-1)?.url), `{ us: ${query('us-east-1')} eu: ${query('eu-west-1')} }`);
    expect(response.errors).toBeUndefined();
    const usIds = response.data?.us.nodes.map(({ sessionId }) => sessionId) ?? [];
    const euIds = response.data?.eu.nodes.map(({ sessionId }) => sessionId) ?? [];
    expect(usIds.length).toBeGreaterThan(0);
    expect(euIds.length).toBeGreaterThan(0);
    expect(euIds.some((id) => usIds.includes(id))).toBe(false);
    expect(new Set(response.data?.eu.nodes.map(({ region }) => region))).toEqual(
      new Set(['eu-west-1']),
    );
  });

  it('refuses a malformed region list before starting, one line per problem', async () => {
    const child = startMain({ APPSTREAM_REGIONS: 'us-east-1,us-east-1' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('APPSTREAM_REGIONS names "us-east-1" twice; list each region once.');
  });
});
