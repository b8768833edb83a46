import {
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  type AppStreamClient,
  type DescribeSessionsCommandInput,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.js';
import { clientFor, rejection, startEmulator } from './helpers.js';

const STACK = 'engineering-desktops';
const FLEET = 'eng-win2022-ondemand';
const base = { StackName: STACK, FleetName: FLEET };

let emulator: Emulator;
let client: AppStreamClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = clientFor(emulator.url);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

interface Case {
  name: string;
  input: Partial<DescribeSessionsCommandInput>;
  error: string;
  message: RegExp;
}

// The SDK validates nothing client-side, so every bad input reaches the emulator as is.
const describeSessionsCases: Case[] = [
  {
    name: 'missing StackName',
    input: { FleetName: FLEET },
    error: 'ValidationException',
    message: /'stackName'.*must not be null/,
  },
  {
    name: 'missing FleetName',
    input: { StackName: STACK },
    error: 'ValidationException',
    message: /'fleetName'.*must not be null/,
  },
  {
    name: 'StackName with a space',
    input: { ...base, StackName: 'bad name' },
    error: 'ValidationException',
    message: /'stackName'.*regular expression pattern/,
  },
  {
    name: 'StackName starting with a dash',
    input: { ...base, StackName: '-s' },
    error: 'ValidationException',
    message: /'stackName'.*pattern/,
  },
  {
    name: 'FleetName of 102 characters',
    input: { ...base, FleetName: 'f'.repeat(102) },
    error: 'ValidationException',
    message: /'fleetName'.*pattern/,
  },
  {
    name: 'empty FleetName',
    input: { ...base, FleetName: '' },
    error: 'ValidationException',
    message: /'fleetName'/,
  },
  {
    name: 'UserId of 1 character',
    input: { ...base, UserId: 'a', AuthenticationType: 'API' },
    error: 'ValidationException',
    message: /'userId'.*greater than or equal to 2/,
  },
  {
    name: 'UserId of 129 characters',
    input: { ...base, UserId: 'u'.repeat(129), AuthenticationType: 'API' },
    error: 'ValidationException',
    message: /'userId'.*less than or equal to 128/,
  },
  {
    name: 'unknown AuthenticationType',
    input: { ...base, AuthenticationType: 'LDAP' as 'API' },
    error: 'ValidationException',
    message: /'authenticationType'.*enum value set: \[API, SAML, USERPOOL, AWS_AD\]/,
  },
  {
    name: 'Limit 0',
    input: { ...base, Limit: 0 },
    error: 'ValidationException',
    message: /'limit'.*greater than or equal to 1/,
  },
  {
    name: 'Limit 51',
    input: { ...base, Limit: 51 },
    error: 'ValidationException',
    message: /'limit'.*less than or equal to 50/,
  },
  {
    name: 'Limit -5',
    input: { ...base, Limit: -5 },
    error: 'ValidationException',
    message: /'limit'/,
  },
  {
    name: 'empty NextToken',
    input: { ...base, NextToken: '' },
    error: 'ValidationException',
    message: /'nextToken'.*greater than or equal to 1/,
  },
  {
    name: 'empty InstanceId',
    input: { ...base, InstanceId: '' },
    error: 'ValidationException',
    message: /'instanceId'/,
  },
  {
    name: 'UserId without AuthenticationType',
    input: { ...base, UserId: 'ana@example.com' },
    error: 'InvalidParameterCombinationException',
    message: /AuthenticationType/,
  },
];

describe('DescribeSessions validation', () => {
  it.each(describeSessionsCases)('rejects $name', async ({ input, error, message }) => {
    const err = await rejection(
      client.send(new DescribeSessionsCommand(input as DescribeSessionsCommandInput)),
    );
    expect(err.name).toBe(error);
    expect(err.message).toMatch(message);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('reports every violation in one message', async () => {
    const err = await rejection(
      client.send(new DescribeSessionsCommand({ StackName: 'a b', FleetName: '', Limit: 51 })),
    );
    expect(err.message).toMatch(/^3 validation errors detected: /);
  });

  it('accepts the boundaries: Limit 1 and 50, a 101-character name, UserId of 2 and 128', async () => {
    for (const input of [
      { ...base, Limit: 1 },
      { ...base, Limit: 50 },
      { ...base, UserId: 'ab', AuthenticationType: 'API' as const },
      { ...base, UserId: 'u'.repeat(128), AuthenticationType: 'USERPOOL' as const },
    ]) {
      await expect(client.send(new DescribeSessionsCommand(input))).resolves.toHaveProperty(
        'Sessions',
      );
    }
    const longName = await rejection(
      client.send(new DescribeSessionsCommand({ ...base, StackName: 's'.repeat(101) })),
    );
    expect(longName.name).toBe('ResourceNotFoundException'); // valid name, no such stack
  });

  it('validates before checking the combination of UserId and AuthenticationType', async () => {
    const err = await rejection(
      client.send(new DescribeSessionsCommand({ ...base, UserId: 'x', Limit: 0 })),
    );
    expect(err.name).toBe('ValidationException');
  });
});

describe('validation of the other operations', () => {
  it('requires StackName in ListAssociatedFleets and FleetName in ListAssociatedStacks', async () => {
    const fleets = await rejection(
      client.send(new ListAssociatedFleetsCommand({} as { StackName: string })),
    );
    expect(fleets.name).toBe('ValidationException');
    expect(fleets.message).toMatch(/'stackName'.*must not be null/);
    const stacks = await rejection(
      client.send(new ListAssociatedStacksCommand({} as { FleetName: string })),
    );
    expect(stacks.name).toBe('ValidationException');
    expect(stacks.message).toMatch(/'fleetName'.*must not be null/);
  });

  it('rejects empty strings (model minimum length 1)', async () => {
    const cases = [
      client.send(new ListAssociatedFleetsCommand({ StackName: '' })),
      client.send(new ListAssociatedStacksCommand({ FleetName: '' })),
      client.send(new DescribeStacksCommand({ Names: [''] })),
      client.send(new DescribeFleetsCommand({ Names: ['f', ''] })),
      client.send(new DescribeStacksCommand({ NextToken: '' })),
    ];
    for (const call of cases) {
      expect((await rejection(call)).name).toBe('ValidationException');
    }
    const err = await rejection(client.send(new DescribeFleetsCommand({ Names: ['f', ''] })));
    expect(err.message).toContain("'names.2.member'");
  });
});
