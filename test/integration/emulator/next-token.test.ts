import {
  DescribeSessionsCommand,
  DescribeStacksCommand,
  type AppStreamClient,
  type DescribeSessionsCommandInput,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder, type Emulator } from '../../../src/emulator/index.js';
import { clientFor, rejection, startEmulator } from './helpers.js';

// Every unusable NextToken gets the same answer: ValidationException "Invalid NextToken".
const dataset = datasetBuilder()
  .stack('s1')
  .stack('s2')
  .fleet('f1')
  .fleet('f2')
  .associate('s1', 'f1')
  .associate('s2', 'f1')
  .associate('s1', 'f2')
  .sessions('s1', 'f1', 30, undefined, { users: 3 })
  .build();
const PAIR = { StackName: 's1', FleetName: 'f1' };

let emulator: Emulator;
let client: AppStreamClient;

beforeAll(async () => {
  emulator = await startEmulator({ dataset, listPageSize: 1 });
  client = clientFor(emulator.url);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('NextToken rejection', () => {
  let token: string;
  let filteredToken: string;
  const sample = dataset.sessions[0];
  const filter = {
    UserId: sample?.UserId ?? '',
    AuthenticationType: sample?.AuthenticationType ?? 'API',
  };

  beforeAll(async () => {
    token = (await client.send(new DescribeSessionsCommand({ ...PAIR, Limit: 5 }))).NextToken ?? '';
    filteredToken =
      (await client.send(new DescribeSessionsCommand({ ...PAIR, ...filter, Limit: 1 })))
        .NextToken ?? '';
    expect(token).not.toBe('');
    expect(filteredToken).not.toBe('');
  });

  const flip = (t: string, at: number) =>
    t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);

  it.each([
    ['garbage', () => 'not-a-token'],
    ['a readable offset', () => '20'],
    ['a tampered first character', () => flip(token, 0)],
    ['a tampered middle character', () => flip(token, Math.floor(token.length / 2))],
    ['a tampered last character', () => flip(token, token.length - 1)],
    ['a truncated token', () => token.slice(0, -4)],
    ['non-base64url characters', () => `${token}==`],
  ])('rejects %s', async (_label, make) => {
    const err = await rejection(
      client.send(new DescribeSessionsCommand({ ...PAIR, NextToken: make() })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Invalid NextToken');
  });

  it.each<[string, Partial<DescribeSessionsCommandInput>, () => string]>([
    ['another stack', { StackName: 's2' }, () => token],
    ['another fleet', { FleetName: 'f2' }, () => token],
    ['an added UserId filter', filter, () => token],
    ['a dropped UserId filter', {}, () => filteredToken],
    [
      'another AuthenticationType',
      { ...filter, AuthenticationType: 'AWS_AD' },
      () => filteredToken,
    ],
    ['an added InstanceId filter', { InstanceId: 'i-0123456789abcdef0' }, () => token],
  ])('rejects a token from %s', async (_label, change, make) => {
    const err = await rejection(
      client.send(new DescribeSessionsCommand({ ...PAIR, ...change, NextToken: make() })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Invalid NextToken');
  });

  it('rejects a token of another operation and of another emulator instance', async () => {
    const stacksToken = (await client.send(new DescribeStacksCommand({}))).NextToken;
    const err = await rejection(
      client.send(new DescribeSessionsCommand({ ...PAIR, NextToken: stacksToken })),
    );
    expect(err.message).toBe('Invalid NextToken');
    const other = await startEmulator({ dataset });
    const otherClient = clientFor(other.url);
    try {
      const foreign = (await otherClient.send(new DescribeSessionsCommand({ ...PAIR, Limit: 5 })))
        .NextToken;
      const err2 = await rejection(
        client.send(new DescribeSessionsCommand({ ...PAIR, NextToken: foreign })),
      );
      expect(err2.message).toBe('Invalid NextToken');
    } finally {
      otherClient.destroy();
      await other.close();
    }
  });
});
