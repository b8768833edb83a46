import {
  DescribeFleetsCommand,
  DescribeSessionsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  type AppStreamClient,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder, type Emulator } from '../../../src/emulator/index.js';
import { clientFor, rawCall, rejection, startEmulator } from './helpers.js';

const dataset = datasetBuilder()
  .stack('s1')
  .stack('s2')
  .fleet('f1')
  .fleet('f2')
  .fleet('f3')
  .associate('s1', 'f1')
  .associate('s1', 'f2')
  .associate('s2', 'f1')
  .sessions('s1', 'f1', 3)
  .sessions('s2', 'f1', 2, { UserId: 'ana.alvarez@example.com', AuthenticationType: 'SAML' })
  .build();

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

describe('DescribeSessions', () => {
  it('returns the pair sessions in creation order with Date timestamps', async () => {
    const out = await client.send(
      new DescribeSessionsCommand({ StackName: 's1', FleetName: 'f1' }),
    );
    const expected = dataset.sessions.filter((s) => s.StackName === 's1' && s.FleetName === 'f1');
    expect(out.Sessions).toEqual(expected);
    expect(out.NextToken).toBeUndefined();
    expect(out.Sessions?.[0]?.StartTime).toBeInstanceOf(Date);
  });

  it('lists nothing for an associated pair without sessions or a known unassociated pair', async () => {
    for (const [StackName, FleetName] of [
      ['s1', 'f2'],
      ['s2', 'f3'],
    ] as const) {
      const out = await client.send(new DescribeSessionsCommand({ StackName, FleetName }));
      expect(out).toMatchObject({ Sessions: [] });
      expect(out.NextToken).toBeUndefined();
    }
  });

  it('rejects an unknown stack or fleet with ResourceNotFoundException', async () => {
    const noStack = await rejection(
      client.send(new DescribeSessionsCommand({ StackName: 'nope', FleetName: 'f1' })),
    );
    expect(noStack.name).toBe('ResourceNotFoundException');
    expect(noStack.message).toContain('nope');
    const noFleet = await rejection(
      client.send(new DescribeSessionsCommand({ StackName: 's1', FleetName: 'nope' })),
    );
    expect(noFleet.name).toBe('ResourceNotFoundException');
  });

  it('filters by UserId with AuthenticationType and by InstanceId', async () => {
    const byUser = await client.send(
      new DescribeSessionsCommand({
        StackName: 's2',
        FleetName: 'f1',
        UserId: 'ana.alvarez@example.com',
        AuthenticationType: 'SAML',
      }),
    );
    expect(byUser.Sessions).toHaveLength(2);
    const wrongType = await client.send(
      new DescribeSessionsCommand({
        StackName: 's2',
        FleetName: 'f1',
        UserId: 'ana.alvarez@example.com',
        AuthenticationType: 'API',
      }),
    );
    expect(wrongType.Sessions).toEqual([]);
    const target = dataset.sessions[1];
    const byInstance = await client.send(
      new DescribeSessionsCommand({
        StackName: 's1',
        FleetName: 'f1',
        InstanceId: target?.InstanceId,
      }),
    );
    expect(byInstance.Sessions).toEqual([target]);
  });
});

describe('DescribeStacks and DescribeFleets', () => {
  it('list every stack and fleet without Names', async () => {
    const stacks = await client.send(new DescribeStacksCommand({}));
    expect(stacks.Stacks).toEqual(dataset.stacks);
    const fleets = await client.send(new DescribeFleetsCommand({}));
    expect(fleets.Fleets).toEqual(dataset.fleets);
  });

  it('return the named records in request order', async () => {
    const stacks = await client.send(new DescribeStacksCommand({ Names: ['s2', 's1'] }));
    expect(stacks.Stacks?.map((s) => s.Name)).toEqual(['s2', 's1']);
    const fleets = await client.send(new DescribeFleetsCommand({ Names: ['f3'] }));
    expect(fleets.Fleets?.map((f) => f.Name)).toEqual(['f3']);
    expect(fleets.Fleets?.[0]?.Arn).toBe('arn:aws:appstream:us-east-1:123456789012:fleet/f3');
  });

  it('answer a named lookup in one page, however many names, and page only the full listing', async () => {
    const pageSize = emulator.options.listPageSize;
    emulator.options.listPageSize = 2;
    try {
      const names = ['f3', 'f1', 'f2'];
      const named = await client.send(new DescribeFleetsCommand({ Names: names }));
      expect([named.Fleets?.map((f) => f.Name), named.NextToken]).toEqual([names, undefined]);
      const listed = await client.send(new DescribeFleetsCommand({}));
      expect([listed.Fleets?.length, typeof listed.NextToken]).toEqual([2, 'string']);
    } finally {
      emulator.options.listPageSize = pageSize;
    }
  });

  it('fail the whole call when one name is unknown', async () => {
    const stackErr = await rejection(
      client.send(new DescribeStacksCommand({ Names: ['s1', 'zz'] })),
    );
    expect(stackErr.name).toBe('ResourceNotFoundException');
    expect(stackErr.message).toContain('zz');
    const fleetErr = await rejection(
      client.send(new DescribeFleetsCommand({ Names: ['f1', 'zz'] })),
    );
    expect(fleetErr.name).toBe('ResourceNotFoundException');
  });
});

describe('ListAssociatedFleets and ListAssociatedStacks', () => {
  it('return names in association order', async () => {
    const fleets = await client.send(new ListAssociatedFleetsCommand({ StackName: 's1' }));
    expect(fleets).toMatchObject({ Names: ['f1', 'f2'] });
    const stacks = await client.send(new ListAssociatedStacksCommand({ FleetName: 'f1' }));
    expect(stacks).toMatchObject({ Names: ['s1', 's2'] });
    expect(stacks.NextToken).toBeUndefined();
  });

  it('return an empty list for unknown names (the model declares no error)', async () => {
    const fleets = await client.send(new ListAssociatedFleetsCommand({ StackName: 'nope' }));
    expect(fleets.Names).toEqual([]);
    const stacks = await client.send(new ListAssociatedStacksCommand({ FleetName: 'f3' }));
    expect(stacks.Names).toEqual([]);
  });
});

describe('protocol', () => {
  it('answers an unknown target with UnknownOperationException', async () => {
    const res = await rawCall(emulator.url, 'PhotonAdminProxyService.DeleteStack', '{}');
    expect(res).toEqual({
      status: 400,
      errorType: 'UnknownOperationException',
      json: { __type: 'UnknownOperationException', message: 'Unknown operation' },
    });
    const noTarget = await rawCall(emulator.url, undefined, '{}');
    expect(noTarget.errorType).toBe('UnknownOperationException');
  });

  it('answers malformed JSON and non-object bodies with SerializationException', async () => {
    for (const body of ['{"StackName":', '[1,2]', '"s1"']) {
      const res = await rawCall(emulator.url, 'PhotonAdminProxyService.DescribeStacks', body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ __type: 'SerializationException' });
    }
  });

  it('answers a member of the wrong JSON type with SerializationException', async () => {
    const res = await rawCall(
      emulator.url,
      'PhotonAdminProxyService.DescribeSessions',
      '{"StackName":"s1","FleetName":"f1","Limit":"10"}',
    );
    expect(res.json).toMatchObject({ __type: 'SerializationException' });
  });

  it('treats an empty body as {} and sends epoch-second timestamps', async () => {
    const res = await rawCall(emulator.url, 'PhotonAdminProxyService.DescribeStacks', '');
    expect(res.status).toBe(200);
    const first = (res.json as { Stacks: { CreatedTime: unknown }[] }).Stacks[0];
    expect(first?.CreatedTime).toBe((dataset.stacks[0]?.CreatedTime?.getTime() ?? 0) / 1000);
  });
});
