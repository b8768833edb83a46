import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { Emulator } from '../../../src/emulator/index.js';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createAppStreamUpstream } from '../../../src/upstream/appstream.js';
import type { AppStreamUpstreamOptions } from '../../../src/upstream/appstream.js';
import { startEmulator } from '../emulator/helpers.js';

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .sessions('stack-a', 'fleet-1', 60)
  .build();

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ dataset });
});
afterAll(async () => {
  await emulator.close();
});

function upstreamFor(options: AppStreamUpstreamOptions = {}) {
  return createAppStreamUpstream({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...options,
  });
}

describe('createAppStreamUpstream against the emulator', () => {
  it('maps every operation to plain records, asking DescribeSessions for pages of 50', async () => {
    const upstream = upstreamFor();
    emulator.calls.reset();
    const first = await upstream.describeSessions(
      { stackName: 'stack-a', fleetName: 'fleet-1' },
      null,
    );
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toEqual({
      region: 'us-east-1',
      id: expect.any(String),
      userId: expect.any(String),
      stackName: 'stack-a',
      fleetName: 'fleet-1',
      state: expect.stringMatching(/^(ACTIVE|PENDING|EXPIRED)$/),
      connectionState: expect.any(String),
      startTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      maxExpirationTime: expect.stringMatching(/Z$/),
      authenticationType: expect.any(String),
      networkAccessConfiguration: expect.any(Object),
      instanceId: expect.stringMatching(/^i-/),
      instanceDrainStatus: expect.any(String),
    });
    const second = await upstream.describeSessions(
      { stackName: 'stack-a', fleetName: 'fleet-1' },
      first.nextToken,
    );
    expect([second.items.length, second.nextToken]).toEqual([10, null]);
    expect(emulator.calls.list().map((call) => call.input?.Limit)).toEqual([50, 50]);

    expect((await upstream.describeStacks(['stack-a'], null)).items.map((s) => s.name)).toEqual([
      'stack-a',
    ]);
    expect((await upstream.describeFleets(null, null)).items.map((f) => f.name)).toEqual([
      'fleet-1',
      'fleet-2',
    ]);
    expect((await upstream.listAssociatedFleets('stack-a', null)).items).toEqual([
      'fleet-1',
      'fleet-2',
    ]);
    expect((await upstream.listAssociatedStacks('fleet-2', null)).items).toEqual(['stack-a']);
    upstream.destroy();
  });

  it('throws only GatewayErrors with safe messages', async () => {
    const upstream = upstreamFor();
    await expect(upstream.describeStacks(['nope'], null)).rejects.toEqual(
      new GatewayError(ErrorCode.NOT_FOUND, 'AppStream found no stack "nope".'),
    );
    upstream.destroy();
  });

  it('keeps at most maxConcurrency calls in flight across all callers', async () => {
    const upstream = upstreamFor({ maxConcurrency: 2 });
    emulator.faults.add({ operation: 'DescribeStacks', latencyMs: 60 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => upstream.describeStacks(null, null)));
    const elapsed = performance.now() - started;
    emulator.faults.clear();
    // Six 60 ms calls, two at a time: at least three rounds. (A lower bound: noise only adds time.)
    expect(elapsed).toBeGreaterThanOrEqual(3 * 60 - 5);
    upstream.destroy();
  });

  it('retries a throttled call with the SDK standard mode when allowed more attempts', async () => {
    const upstream = upstreamFor({ maxAttempts: 3 });
    emulator.calls.reset();
    emulator.faults.add({ operation: 'DescribeFleets', error: 'ThrottlingException', times: 1 });
    expect((await upstream.describeFleets(['fleet-1'], null)).items).toHaveLength(1);
    expect(emulator.calls.count('DescribeFleets')).toBe(2);
    upstream.destroy();
  });
});
