import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import type { UnknownNameInSessions } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';
import { rawCall } from '../emulator/helpers.js';

const dataset = datasetBuilder()
  .stack('engineering-desktops')
  .stack('support-tools')
  .fleet('eng-linux-alwayson')
  .fleet('shared-elastic-apps')
  .associate('engineering-desktops', 'eng-linux-alwayson')
  .associate('support-tools', 'shared-elastic-apps')
  .sessions('engineering-desktops', 'eng-linux-alwayson', 30)
  .build();

interface Sessions {
  sessions: { totalCount?: number; nodes: Array<{ sessionId: string }> } | null;
}

const sessionsOf = (stackName: string, fleetName: string) =>
  `{ sessions(stackName: "${stackName}", fleetName: "${fleetName}", first: 5) { nodes { sessionId } } }`;

// AppStream's model declares no error for DescribeSessions on an unknown stack or fleet: it may
// fail with ResourceNotFoundException (the emulator's 'error') or list nothing ('empty').
describe.each<UnknownNameInSessions>(['error', 'empty'])(
  'NOT_FOUND when DescribeSessions on an unknown name answers %s',
  (mode) => {
    const stack = useTestStack({ emulator: { dataset, unknownNameInSessions: mode } });

    it(`the emulator really answers that way (${mode})`, async () => {
      const reply = await rawCall(
        stack.emulator.url,
        'PhotonAdminProxyService.DescribeSessions',
        '{"StackName":"engineering-desktops","FleetName":"nope"}',
      );
      if (mode === 'empty') expect([reply.status, reply.json]).toEqual([200, { Sessions: [] }]);
      else expect([reply.status, reply.errorType]).toEqual([404, 'ResourceNotFoundException']);
    });

    it('names the unknown fleet, not the existing stack', async () => {
      const response = await stack.graphql<Sessions>(sessionsOf('engineering-desktops', 'nope'));
      expect(response.data).toEqual({ sessions: null });
      expect(response.errors).toEqual([
        expect.objectContaining({
          message: 'AppStream has no fleet "nope".',
          path: ['sessions'],
          extensions: { code: 'NOT_FOUND' },
        }),
      ]);
    });

    it('names the unknown stack, not the existing fleet', async () => {
      const response = await stack.graphql<Sessions>(sessionsOf('nope', 'eng-linux-alwayson'));
      expect(response.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        ['AppStream has no stack "nope".', 'NOT_FOUND'],
      ]);
    });

    it('names the stack when neither exists (as for a stack outside an allow-list)', async () => {
      const response = await stack.graphql<Sessions>(sessionsOf('nope-1', 'nope-2'));
      expect(response.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        ['AppStream has no stack "nope-1".', 'NOT_FOUND'],
      ]);
    });

    it('answers NOT_FOUND for totalCount too', async () => {
      const response = await stack.graphql<Sessions>(
        '{ sessions(stackName: "engineering-desktops", fleetName: "nope") { totalCount } }',
      );
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    });

    it('lists an existing but unassociated pair as empty, confirming both names in one batched call each', async () => {
      const response = await stack.graphql<Sessions>(
        sessionsOf('engineering-desktops', 'shared-elastic-apps'),
      );
      expect(response).toEqual({ status: 200, data: { sessions: { nodes: [] } } });
      expect(stack.emulator.calls.count('DescribeSessions')).toBe(1);
      expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
      expect(stack.emulator.calls.count('DescribeFleets')).toBe(1);
    });

    it('makes no extra call when the listing has sessions', async () => {
      const response = await stack.graphql<Sessions>(
        sessionsOf('engineering-desktops', 'eng-linux-alwayson'),
      );
      expect(response.data?.sessions?.nodes).toHaveLength(5);
      expect(stack.emulator.calls.count()).toBe(1);
    });

    it('batches the confirmations of several empty listings of one request', async () => {
      const response = await stack.graphql<Record<string, Sessions['sessions']>>(`{
        a: sessions(stackName: "engineering-desktops", fleetName: "shared-elastic-apps") { nodes { sessionId } }
        b: sessions(stackName: "support-tools", fleetName: "shared-elastic-apps") { nodes { sessionId } }
        c: sessions(stackName: "support-tools", fleetName: "nope") { nodes { sessionId } }
      }`);
      expect(response.data).toEqual({ a: { nodes: [] }, b: { nodes: [] }, c: null });
      expect(response.errors?.map((error) => [error.path, error.message])).toEqual([
        [['c'], 'AppStream has no fleet "nope".'],
      ]);
      expect(stack.emulator.calls.count('DescribeSessions')).toBe(3);
      // One batch per kind (the failing fleet name makes the loader ask name by name).
      expect(stack.emulator.calls.count('DescribeStacks')).toBe(1);
      expect(stack.emulator.calls.count('DescribeFleets')).toBeLessThanOrEqual(3);
    });
  },
);
