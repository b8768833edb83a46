import {
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  type AppStreamClient,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { datasetBuilder, type Emulator } from '../../../src/emulator/index.js';
import { clientFor, ids, rejection, startEmulator, walk } from './helpers.js';

const builder = datasetBuilder().fleet('f1').fleet('f2');
for (let i = 1; i <= 25; i++) builder.stack(`s${i}`).associate(`s${i}`, 'f1');
builder
  .associate('s1', 'f2')
  .sessions('s1', 'f1', 137, undefined, { users: 9 })
  .sessions('s2', 'f1', 40)
  .sessions('s1', 'f2', 3);
const dataset = builder.build();
const PAIR = { StackName: 's1', FleetName: 'f1' };

let emulator: Emulator;
let client: AppStreamClient;

beforeAll(async () => {
  emulator = await startEmulator({ dataset });
  client = clientFor(emulator.url);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});
beforeEach(() => {
  emulator.options.emptyPageAtEnd = 'never';
});

describe('DescribeSessions paging', () => {
  it.each([1, 7, 20, 50, undefined])(
    'walks every session exactly once with Limit %s',
    async (Limit) => {
      const { sessions, pages } = await walk(client, {
        ...PAIR,
        ...(Limit === undefined ? {} : { Limit }),
      });
      expect(ids(sessions)).toEqual(ids(emulator.data.sessions('s1', 'f1')));
      expect(new Set(ids(sessions)).size).toBe(137);
      expect(pages[0]).toBe(Limit ?? 20);
    },
  );

  it('continues a token obtained with Limit 20 with Limit 50', async () => {
    const first = await client.send(new DescribeSessionsCommand({ ...PAIR, Limit: 20 }));
    const second = await client.send(
      new DescribeSessionsCommand({ ...PAIR, Limit: 50, NextToken: first.NextToken }),
    );
    expect(ids(second.Sessions ?? [])).toEqual(
      ids(emulator.data.sessions('s1', 'f1').slice(20, 70)),
    );
  });

  it('gives identical, opaque tokens when the same list is walked twice', async () => {
    const a = await walk(client, { ...PAIR, Limit: 30 });
    const b = await walk(client, { ...PAIR, Limit: 30 });
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).toHaveLength(4);
    for (const token of a.tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('DescribeSessions');
    }
  });

  it('applies filters before paging', async () => {
    const sample = emulator.data.sessions('s1', 'f1')[0];
    const filter = { UserId: sample?.UserId, AuthenticationType: sample?.AuthenticationType };
    const { sessions } = await walk(client, { ...PAIR, ...filter, Limit: 3 });
    const expected = emulator.data
      .sessions('s1', 'f1')
      .filter(
        (s) => s.UserId === filter.UserId && s.AuthenticationType === filter.AuthenticationType,
      );
    expect(expected.length).toBeGreaterThan(3);
    expect(ids(sessions)).toEqual(ids(expected));
  });
});
describe('empty page at the end', () => {
  const s2 = { StackName: 's2', FleetName: 'f1' }; // 40 sessions

  it.each<['never' | 'when-full' | 'always', number, number[]]>([
    ['never', 20, [20, 20]],
    ['never', 30, [30, 10]],
    ['when-full', 20, [20, 20, 0]],
    ['when-full', 30, [30, 10]],
    ['always', 20, [20, 20, 0]],
    ['always', 30, [30, 10, 0]],
    ['always', 50, [40, 0]],
  ])('%s with Limit %i gives pages %j', async (mode, Limit, pages) => {
    emulator.options.emptyPageAtEnd = mode;
    const walked = await walk(client, { ...s2, Limit });
    expect(walked.pages).toEqual(pages);
    expect(walked.sessions).toHaveLength(40);
  });

  it('returns no token for an empty listing, even with always', async () => {
    emulator.options.emptyPageAtEnd = 'always';
    const out = await client.send(
      new DescribeSessionsCommand({ StackName: 's3', FleetName: 'f1' }),
    );
    expect(out.Sessions).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('is set at creation with the emptyPageAtEnd option', async () => {
    const other = await startEmulator({ dataset, emptyPageAtEnd: 'always' });
    const otherClient = clientFor(other.url);
    try {
      const last = await otherClient.send(
        new DescribeSessionsCommand({ StackName: 's1', FleetName: 'f2' }),
      );
      expect(last.Sessions).toHaveLength(3);
      const empty = await otherClient.send(
        new DescribeSessionsCommand({
          StackName: 's1',
          FleetName: 'f2',
          NextToken: last.NextToken,
        }),
      );
      expect(empty.Sessions).toEqual([]);
      expect(empty.NextToken).toBeUndefined();
    } finally {
      otherClient.destroy();
      await other.close();
    }
  });
});

describe('paging over a changing list (offsets, as on AWS)', () => {
  it('shows a session added between pages and skips one when an earlier session ends', async () => {
    const other = await startEmulator({ dataset });
    const otherClient = clientFor(other.url);
    try {
      const pair = { StackName: 's2', FleetName: 'f1', Limit: 10 };
      const before = other.data.sessions('s2', 'f1');
      const page1 = await otherClient.send(new DescribeSessionsCommand(pair));
      const added = other.data.addSession({
        StackName: 's2',
        FleetName: 'f1',
        UserId: 'new.user@example.com',
      });
      expect(other.data.endSession(before[0]?.Id ?? '')).toBe(true);
      const page2 = await otherClient.send(
        new DescribeSessionsCommand({ ...pair, NextToken: page1.NextToken }),
      );
      expect(ids(page2.Sessions ?? [])).toEqual(ids(before.slice(11, 21)));
      const rest = await walk(otherClient, { ...pair, NextToken: page2.NextToken });
      expect(ids(rest.sessions).at(-1)).toBe(added.Id);
    } finally {
      otherClient.destroy();
      await other.close();
    }
  });
});

describe('paging of the lists without Limit (page size 10)', () => {
  it('DescribeStacks pages through 25 stacks with tokens bound to the request', async () => {
    const first = await client.send(new DescribeStacksCommand({}));
    const second = await client.send(new DescribeStacksCommand({ NextToken: first.NextToken }));
    const third = await client.send(new DescribeStacksCommand({ NextToken: second.NextToken }));
    expect([first, second, third].map((p) => p.Stacks?.length)).toEqual([10, 10, 5]);
    expect(third.NextToken).toBeUndefined();
    const err = await rejection(
      client.send(new DescribeStacksCommand({ Names: ['s1'], NextToken: first.NextToken })),
    );
    expect(err.message).toBe('Invalid NextToken');
  });

  it('ListAssociatedStacks pages and ListAssociatedFleets rejects its token', async () => {
    const first = await client.send(new ListAssociatedStacksCommand({ FleetName: 'f1' }));
    expect(first.Names).toHaveLength(10);
    let token = first.NextToken;
    const names = [...(first.Names ?? [])];
    while (token !== undefined) {
      const page = await client.send(
        new ListAssociatedStacksCommand({ FleetName: 'f1', NextToken: token }),
      );
      names.push(...(page.Names ?? []));
      token = page.NextToken;
    }
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `s${i + 1}`));
    const err = await rejection(
      client.send(new ListAssociatedFleetsCommand({ StackName: 's1', NextToken: first.NextToken })),
    );
    expect(err.message).toBe('Invalid NextToken');
    const otherFleet = await rejection(
      client.send(new ListAssociatedStacksCommand({ FleetName: 'f2', NextToken: first.NextToken })),
    );
    expect(otherFleet.message).toBe('Invalid NextToken');
  });
});
