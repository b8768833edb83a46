import { describe, expect, it } from 'vitest';
import { createGlobalIdCodec, GLOBAL_ID_PREFIX } from '../../../src/ids/global-id.js';
import type { NodeKey } from '../../../src/ids/global-id.js';
import { testIdSealer } from '../../helpers/signing.js';

const ids = createGlobalIdCodec({ sealer: testIdSealer });
const sealed = (parts: unknown[]) =>
  GLOBAL_ID_PREFIX + testIdSealer.seal(JSON.stringify(parts), 'appstream-global-id:4');

const KEYS: NodeKey[] = [
  { type: 'Stack', name: 'stack-a', region: 'eu-west-1' },
  { type: 'Fleet', name: 'fleet-1', region: 'ap-southeast-2' },
  {
    type: 'Session',
    stackName: 'stack-a',
    fleetName: 'fleet-1',
    sessionId: 'sess-1',
    userId: 'alice',
    authenticationType: 'SAML',
    region: 'us-gov-west-1',
  },
  {
    type: 'Session',
    stackName: 'stack-a',
    fleetName: 'fleet-1',
    sessionId: 'sess-1',
    region: 'eu-west-1',
  },
];

describe('global ids carry the region', () => {
  it.each(KEYS)('round-trips a $type key with its region', (key) => {
    expect(ids.decode(ids.encode(key))).toEqual(key);
  });

  it('gives the same object different ids in different regions', () => {
    const us = ids.encode({ type: 'Stack', name: 'stack-a', region: 'us-east-1' });
    const eu = ids.encode({ type: 'Stack', name: 'stack-a', region: 'eu-west-1' });
    expect(us).not.toBe(eu);
    expect(ids.decode(us)).toEqual({ type: 'Stack', name: 'stack-a', region: 'us-east-1' });
  });

  it('still reads ids sealed before ids carried a region, without one', () => {
    expect(ids.decode(sealed(['Stack', 'stack-a']))).toEqual({ type: 'Stack', name: 'stack-a' });
    expect(
      ids.decode(sealed(['Session', 'stack-a', 'fleet-1', 'sess-1', null, null, 'i-1'])),
    ).toEqual({
      type: 'Session',
      stackName: 'stack-a',
      fleetName: 'fleet-1',
      sessionId: 'sess-1',
      instanceId: 'i-1',
    });
  });

  it('refuses a sealed key whose region is not a region name, or with extra parts', () => {
    for (const parts of [
      ['Stack', 'stack-a', 'EU-WEST-1'],
      ['Stack', 'stack-a', 7],
      ['Stack', 'stack-a', null],
      ['Stack', 'stack-a', 'eu-west-1', 'more'],
      ['Session', 'stack-a', 'fleet-1', 'sess-1', null, null, null, 'not a region'],
      ['Session', 'stack-a', 'fleet-1', 'sess-1', null, null, null, 'eu-west-1', 'x'],
    ]) {
      expect(() => ids.decode(sealed(parts))).toThrow('is not a global id issued by this gateway');
    }
  });
});
