import {
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  type AppStreamClient,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { clientFor, rawCall, rejection, startEmulator } from './helpers.js';

const PAIR = { StackName: 'engineering-desktops', FleetName: 'eng-win2022-ondemand' };
const OTHER_PAIR = { StackName: 'finance-apps', FleetName: 'finance-win2019' };

let emulator: Emulator;
let client: AppStreamClient; // maxAttempts 1: every fault surfaces
let retrying: AppStreamClient; // SDK default: 3 attempts

beforeAll(async () => {
  emulator = await startEmulator();
  client = clientFor(emulator.url, 1);
  retrying = clientFor(emulator.url);
});
afterAll(async () => {
  client.destroy();
  retrying.destroy();
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.calls.reset();
});

describe('injected errors', () => {
  it.each([
    ['ThrottlingException', 'ThrottlingException', 400],
    ['RequestLimitExceededException', 'RequestLimitExceededException', 400],
    ['http500', 'InternalServiceException', 500],
    ['http503', 'ServiceUnavailableException', 503],
  ] as const)('%s surfaces as %s with HTTP %i', async (error, name, status) => {
    emulator.faults.add({ operation: 'DescribeSessions', error });
    const err = await rejection(client.send(new DescribeSessionsCommand(PAIR)));
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(emulator.calls.list()).toMatchObject([
      { operation: 'DescribeSessions', status, outcome: 'error', errorType: name, faulted: true },
    ]);
  });

  it('drop destroys the connection and the SDK throws a network error', async () => {
    emulator.faults.add({ error: 'drop', times: 1 });
    const err = await rejection(client.send(new DescribeStacksCommand({})));
    expect(err.name).not.toMatch(/Exception$/);
    expect((err as { code?: string }).code ?? err.message).toMatch(/ECONNRESET|socket hang up/);
    expect(emulator.calls.list()).toMatchObject([{ status: 0, outcome: 'dropped' }]);
    await expect(client.send(new DescribeStacksCommand({}))).resolves.toHaveProperty('Stacks');
  });

  it('the wire error has __type, message and x-amzn-errortype', async () => {
    emulator.faults.add({ error: 'ThrottlingException' });
    const res = await rawCall(emulator.url, 'PhotonAdminProxyService.DescribeStacks', '{}');
    expect(res).toEqual({
      status: 400,
      errorType: 'ThrottlingException',
      json: { __type: 'ThrottlingException', message: 'Rate exceeded' },
    });
  });
});

describe('latency', () => {
  it('delays the response by at least latencyMs', async () => {
    emulator.faults.add({ operation: 'DescribeFleets', latencyMs: 150 });
    const started = performance.now();
    await client.send(new DescribeFleetsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(emulator.calls.list()).toMatchObject([{ outcome: 'success', faulted: true }]);
  });

  it('combines with an error', async () => {
    emulator.faults.add({ latencyMs: 100, error: 'ThrottlingException' });
    const started = performance.now();
    const err = await rejection(client.send(new DescribeFleetsCommand({})));
    expect(err.name).toBe('ThrottlingException');
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('scoping and times', () => {
  it('applies a stack-scoped fault to that stack only', async () => {
    emulator.faults.add({ stackName: PAIR.StackName, error: 'ThrottlingException' });
    const hit = await rejection(client.send(new DescribeSessionsCommand(PAIR)));
    expect(hit.name).toBe('ThrottlingException');
    await expect(client.send(new DescribeSessionsCommand(OTHER_PAIR))).resolves.toHaveProperty(
      'Sessions',
    );
    const listed = await rejection(
      client.send(new ListAssociatedFleetsCommand({ StackName: PAIR.StackName })),
    );
    expect(listed.name).toBe('ThrottlingException');
    const named = await rejection(
      client.send(new DescribeStacksCommand({ Names: [PAIR.StackName] })),
    );
    expect(named.name).toBe('ThrottlingException');
    await expect(client.send(new DescribeStacksCommand({}))).resolves.toHaveProperty('Stacks');
  });

  it('applies a fleet- and operation-scoped fault to matching calls only', async () => {
    emulator.faults.add({
      operation: 'DescribeSessions',
      fleetName: PAIR.FleetName,
      error: 'http503',
    });
    expect((await rejection(client.send(new DescribeSessionsCommand(PAIR)))).name).toBe(
      'ServiceUnavailableException',
    );
    await expect(client.send(new DescribeSessionsCommand(OTHER_PAIR))).resolves.toBeDefined();
    await expect(
      client.send(new DescribeFleetsCommand({ Names: [PAIR.FleetName] })),
    ).resolves.toBeDefined();
  });

  it('times limits a rule to the next N matching calls', async () => {
    emulator.faults.add({ error: 'RequestLimitExceededException', times: 2 });
    expect((await rejection(client.send(new DescribeStacksCommand({})))).name).toBe(
      'RequestLimitExceededException',
    );
    expect((await rejection(client.send(new DescribeStacksCommand({})))).name).toBe(
      'RequestLimitExceededException',
    );
    await expect(client.send(new DescribeStacksCommand({}))).resolves.toHaveProperty('Stacks');
    expect(emulator.faults.list()).toEqual([]);
  });

  it('rules given at creation are active from the first call', async () => {
    const other = await startEmulator({
      faults: [{ operation: 'DescribeStacks', error: 'http500', times: 1 }],
    });
    const otherClient = clientFor(other.url, 1);
    try {
      expect((await rejection(otherClient.send(new DescribeStacksCommand({})))).name).toBe(
        'InternalServiceException',
      );
      await expect(otherClient.send(new DescribeStacksCommand({}))).resolves.toBeDefined();
    } finally {
      otherClient.destroy();
      await other.close();
    }
  });
});

describe('SDK retries', () => {
  it('retries a ThrottlingException once and succeeds on attempt 2', async () => {
    emulator.faults.add({ operation: 'DescribeSessions', error: 'ThrottlingException', times: 1 });
    const out = await retrying.send(new DescribeSessionsCommand({ ...PAIR, Limit: 5 }));
    expect(out.Sessions).toHaveLength(5);
    expect(out.$metadata.attempts).toBe(2);
    expect(emulator.calls.list().map((c) => c.outcome)).toEqual(['error', 'success']);
    expect(emulator.calls.count('DescribeSessions', { Limit: 5 })).toBe(2);
  });

  it('does not retry RequestLimitExceededException', async () => {
    emulator.faults.add({ error: 'RequestLimitExceededException', times: 1 });
    const err = await rejection(retrying.send(new DescribeStacksCommand({})));
    expect(err.name).toBe('RequestLimitExceededException');
    expect(emulator.calls.count()).toBe(1);
  });
});

describe('call accounting', () => {
  it('records every request with its operation, parsed input and outcome', async () => {
    await client.send(new DescribeSessionsCommand({ ...PAIR, Limit: 3 }));
    await rejection(client.send(new DescribeSessionsCommand({ ...PAIR, Limit: 0 })));
    await client.send(new DescribeStacksCommand({}));
    await rawCall(emulator.url, 'PhotonAdminProxyService.Nope', '{');
    expect(emulator.calls.list()).toEqual([
      {
        seq: 1,
        operation: 'DescribeSessions',
        input: { ...PAIR, Limit: 3 },
        status: 200,
        outcome: 'success',
        faulted: false,
        receivedAt: expect.any(Number),
      },
      {
        seq: 2,
        operation: 'DescribeSessions',
        input: { ...PAIR, Limit: 0 },
        status: 400,
        outcome: 'error',
        errorType: 'ValidationException',
        faulted: false,
        receivedAt: expect.any(Number),
      },
      {
        seq: 3,
        operation: 'DescribeStacks',
        input: {},
        status: 200,
        outcome: 'success',
        faulted: false,
        receivedAt: expect.any(Number),
      },
      {
        seq: 4,
        operation: 'Nope',
        input: undefined,
        status: 400,
        outcome: 'error',
        errorType: 'UnknownOperationException',
        faulted: false,
        receivedAt: expect.any(Number),
      },
    ]);
    expect(emulator.calls.count()).toBe(4);
    expect(emulator.calls.count('DescribeSessions')).toBe(2);
    expect(emulator.calls.count('DescribeSessions', { Limit: 3 })).toBe(1);
    expect(emulator.calls.count('DescribeSessions', { StackName: 'other' })).toBe(0);
    emulator.calls.reset();
    expect(emulator.calls.list()).toEqual([]);
  });
});
