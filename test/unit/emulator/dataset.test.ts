import { describe, expect, it } from 'vitest';
import { createDataset, datasetBuilder, withCapacityFor } from '../../../src/emulator/index.js';
import { createStore } from '../../../src/emulator/store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createDataset', () => {
  const dataset = createDataset();

  it('is deterministic in (seed, sessions) and varies with the seed', () => {
    expect(createDataset({ seed: 42 })).toEqual(createDataset({ seed: 42 }));
    expect(createDataset()).toEqual(dataset);
    expect(createDataset({ seed: 43 }).sessions).not.toEqual(createDataset({ seed: 42 }).sessions);
  });

  it('has 6 stacks, 8 fleets and 600 sessions by default', () => {
    expect([dataset.stacks.length, dataset.fleets.length, dataset.sessions.length]).toEqual([
      6, 8, 600,
    ]);
    expect(createDataset({ sessions: 0 }).sessions).toEqual([]);
  });

  it('associates many-to-many', () => {
    const fleetsPerStack = new Map<string, number>();
    const stacksPerFleet = new Map<string, number>();
    for (const a of dataset.associations) {
      fleetsPerStack.set(a.StackName, (fleetsPerStack.get(a.StackName) ?? 0) + 1);
      stacksPerFleet.set(a.FleetName, (stacksPerFleet.get(a.FleetName) ?? 0) + 1);
    }
    expect(Math.max(...fleetsPerStack.values())).toBeGreaterThan(1);
    expect(Math.max(...stacksPerFleet.values())).toBeGreaterThan(1);
    expect(fleetsPerStack.size).toBe(6);
  });

  it('puts every session on an associated pair, in StartTime (creation) order', () => {
    const pairs = new Set(dataset.associations.map((a) => `${a.StackName}/${a.FleetName}`));
    const starts = dataset.sessions.map((s) => s.StartTime?.getTime() ?? 0);
    expect(dataset.sessions.every((s) => pairs.has(`${s.StackName}/${s.FleetName}`))).toBe(true);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('fills realistic, varied session fields', () => {
    const s = dataset.sessions;
    expect(s.every((x) => UUID.test(x.Id))).toBe(true);
    expect(new Set(s.map((x) => x.Id)).size).toBe(600);
    expect(s.every((x) => /^i-0[0-9a-f]{16}$/.test(x.InstanceId ?? ''))).toBe(true);
    expect(
      s.every((x) => /^eni-0[0-9a-f]{16}$/.test(x.NetworkAccessConfiguration?.EniId ?? '')),
    ).toBe(true);
    expect(new Set(s.map((x) => x.State))).toEqual(new Set(['ACTIVE', 'PENDING', 'EXPIRED']));
    expect(new Set(s.map((x) => x.ConnectionState))).toEqual(
      new Set(['CONNECTED', 'NOT_CONNECTED']),
    );
    expect(new Set(s.map((x) => x.AuthenticationType))).toEqual(
      new Set(['API', 'SAML', 'USERPOOL', 'AWS_AD']),
    );
    expect(new Set(s.map((x) => x.InstanceDrainStatus))).toEqual(
      new Set(['ACTIVE', 'DRAINING', 'NOT_APPLICABLE']),
    );
    const perUser = new Map<string, number>();
    for (const x of s) perUser.set(x.UserId, (perUser.get(x.UserId) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeGreaterThan(3);
    expect(
      s.every((x) => (x.MaxExpirationTime?.getTime() ?? 0) > (x.StartTime?.getTime() ?? 0)),
    ).toBe(true);
  });

  it('fills the stack and fleet fields a user looks at', () => {
    for (const stack of dataset.stacks) {
      expect(stack).toMatchObject({
        Arn: `arn:aws:appstream:us-east-1:123456789012:stack/${stack.Name}`,
        DisplayName: expect.any(String),
        Description: expect.any(String),
        CreatedTime: expect.any(Date),
        StackErrors: expect.any(Array),
        UserSettings: expect.any(Array),
      });
    }
    expect(new Set(dataset.fleets.map((f) => f.FleetType))).toEqual(
      new Set(['ALWAYS_ON', 'ON_DEMAND', 'ELASTIC']),
    );
    for (const fleet of dataset.fleets) {
      expect(fleet).toMatchObject({
        Arn: `arn:aws:appstream:us-east-1:123456789012:fleet/${fleet.Name}`,
        ImageName: expect.any(String),
        InstanceType: expect.stringMatching(/^stream\./),
        State: expect.stringMatching(/^(RUNNING|STOPPED)$/),
        MaxUserDurationInSeconds: expect.any(Number),
        DisconnectTimeoutInSeconds: expect.any(Number),
        IdleDisconnectTimeoutInSeconds: expect.any(Number),
        EnableDefaultInternetAccess: expect.any(Boolean),
        StreamView: expect.stringMatching(/^(APP|DESKTOP)$/),
        Platform: expect.any(String),
      });
    }
  });

  it('derives fleet capacity from the fleet sessions', () => {
    const fleet = dataset.fleets.find((f) => f.MaxSessionsPerInstance !== undefined);
    const active = dataset.sessions.filter(
      (s) => s.FleetName === fleet?.Name && s.State === 'ACTIVE',
    );
    expect(fleet?.ComputeCapacityStatus.ActiveUserSessions).toBe(active.length);
    const stopped = dataset.fleets.find((f) => f.State === 'STOPPED');
    expect(
      stopped && withCapacityFor(stopped, dataset.sessions).ComputeCapacityStatus.Running,
    ).toBe(0);
  });

  it('rejects a session count out of range', () => {
    expect(() => createDataset({ sessions: -1 })).toThrow(RangeError);
    expect(() => createDataset({ sessions: 1.5 })).toThrow(RangeError);
  });
});

describe('datasetBuilder', () => {
  it('builds exactly what it is told, in order, with overrides', () => {
    const dataset = datasetBuilder()
      .stack('s1', { DisplayName: 'One' })
      .fleet('f1', { State: 'STOPPED' })
      .associate('s1', 'f1')
      .associate('s1', 'f1')
      .sessions('s1', 'f1', 137, (i) => (i === 0 ? { UserId: 'first@example.com' } : {}))
      .sessions('s1', 'f1', 2, { State: 'PENDING' })
      .build();
    expect(dataset.stacks.map((s) => [s.Name, s.DisplayName])).toEqual([['s1', 'One']]);
    expect(dataset.fleets[0]?.State).toBe('STOPPED');
    expect(dataset.associations).toEqual([{ StackName: 's1', FleetName: 'f1' }]);
    expect(dataset.sessions).toHaveLength(139);
    expect(dataset.sessions[0]?.UserId).toBe('first@example.com');
    expect(dataset.sessions.slice(137).map((s) => s.State)).toEqual(['PENDING', 'PENDING']);
  });

  it('is deterministic', () => {
    const make = () =>
      datasetBuilder().stack('a').fleet('b').associate('a', 'b').sessions('a', 'b', 5).build();
    expect(make()).toEqual(make());
  });

  it('throws for unknown, duplicate or unassociated names', () => {
    expect(() => datasetBuilder().stack('s').stack('s')).toThrow(/duplicate stack 's'/);
    expect(() => datasetBuilder().fleet('f').fleet('f')).toThrow(/duplicate fleet/);
    expect(() => datasetBuilder().fleet('f').associate('x', 'f')).toThrow(/unknown stack 'x'/);
    expect(() => datasetBuilder().stack('s').associate('s', 'x')).toThrow(/unknown fleet 'x'/);
    expect(() => datasetBuilder().stack('s').fleet('f').sessions('s', 'f', 1)).toThrow(
      /not associated/,
    );
  });
});

describe('createStore', () => {
  const dataset = datasetBuilder()
    .stack('s1')
    .stack('s2')
    .fleet('f1')
    .associate('s1', 'f1')
    .associate('s2', 'f1')
    .sessions('s1', 'f1', 4)
    .sessions('s2', 'f1', 2)
    .build();

  it('reads records, associations and per-pair sessions', () => {
    const store = createStore(dataset);
    expect(store.stacks()).toEqual(dataset.stacks);
    expect(store.associatedFleets('s1')).toEqual(['f1']);
    expect(store.associatedStacks('f1')).toEqual(['s1', 's2']);
    expect(store.sessions('s1', 'f1')).toEqual(dataset.sessions.slice(0, 4));
    expect(store.sessions('nope', 'f1')).toEqual([]);
    expect(store.session(dataset.sessions[5]?.Id ?? '')).toBe(dataset.sessions[5]);
  });

  it('adds and ends sessions', () => {
    const store = createStore(dataset);
    const added = store.addSession({ StackName: 's1', FleetName: 'f1', UserId: 'new@example.com' });
    expect(added).toMatchObject({ UserId: 'new@example.com', State: 'ACTIVE', StackName: 's1' });
    expect(store.sessions('s1', 'f1').at(-1)).toBe(added);
    expect(store.endSession(added.Id)).toBe(true);
    expect(store.endSession(added.Id)).toBe(false);
    expect(store.allSessions()).toHaveLength(6);
    expect(() => store.addSession({ StackName: 's1', FleetName: 'zz' })).toThrow(/not associated/);
    const id = dataset.sessions[0]?.Id ?? '';
    expect(() => store.addSession({ StackName: 's1', FleetName: 'f1', Id: id })).toThrow(
      /duplicate/,
    );
  });

  it('removes stacks and fleets with their associations and sessions', () => {
    const store = createStore(dataset);
    expect(store.removeStack('s1')).toBe(true);
    expect(store.removeStack('s1')).toBe(false);
    expect(store.associatedStacks('f1')).toEqual(['s2']);
    expect(store.allSessions()).toHaveLength(2);
    expect(store.removeFleet('f1')).toBe(true);
    expect(store.associations()).toEqual([]);
    expect(store.allSessions()).toEqual([]);
  });

  it('rejects inconsistent datasets', () => {
    const session = dataset.sessions[0];
    if (session === undefined) throw new Error('fixture');
    expect(() =>
      createStore({ ...dataset, stacks: [...dataset.stacks, ...dataset.stacks] }),
    ).toThrow(/duplicate stack/);
    expect(() =>
      createStore({ ...dataset, associations: [{ StackName: 'x', FleetName: 'f1' }] }),
    ).toThrow(/unknown stack/);
    expect(() => createStore({ ...dataset, sessions: [session, session] })).toThrow(
      /duplicate session id/,
    );
    expect(() => createStore({ ...dataset, associations: [] })).toThrow(/unassociated pair/);
  });
});
