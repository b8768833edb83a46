import { describe, expect, it } from 'vitest';
import { toWire } from '../../../src/emulator/wire.js';
import { validateInput } from '../../../src/emulator/validation.js';

describe('validateInput', () => {
  it('returns the known members, dropping unknown ones and nulls', () => {
    expect(
      validateInput('DescribeSessions', {
        StackName: 's1',
        FleetName: 'f1',
        Limit: 50,
        InstanceId: null,
        Extra: 'ignored',
      }),
    ).toEqual({ StackName: 's1', FleetName: 'f1', Limit: 50 });
  });

  it('names every violated member in one ValidationException', () => {
    expect(() => validateInput('DescribeSessions', { Limit: 0 })).toThrow(
      expect.objectContaining({
        type: 'ValidationException',
        message: expect.stringMatching(
          /^3 validation errors detected: .*'stackName'.*'fleetName'.*'limit'/,
        ),
      }),
    );
  });

  it.each([
    ['Limit', { Limit: '5' }],
    ['Limit', { Limit: 2.5 }],
    ['StackName', { StackName: 5 }],
  ])('throws SerializationException for %s of the wrong type', (_member, patch) => {
    expect(() =>
      validateInput('DescribeSessions', { StackName: 's', FleetName: 'f', ...patch }),
    ).toThrow(expect.objectContaining({ type: 'SerializationException' }));
  });

  it('throws SerializationException when Names is not a list', () => {
    expect(() => validateInput('DescribeStacks', { Names: 's1' })).toThrow(
      expect.objectContaining({ type: 'SerializationException' }),
    );
  });

  it('requires AuthenticationType with UserId', () => {
    expect(() =>
      validateInput('DescribeSessions', { StackName: 's', FleetName: 'f', UserId: 'ab' }),
    ).toThrow(expect.objectContaining({ type: 'InvalidParameterCombinationException' }));
    expect(
      validateInput('DescribeSessions', {
        StackName: 's',
        FleetName: 'f',
        AuthenticationType: 'SAML',
      }),
    ).toEqual({ StackName: 's', FleetName: 'f', AuthenticationType: 'SAML' });
  });

  it('does not apply the Name pattern where the model has none', () => {
    expect(validateInput('ListAssociatedFleets', { StackName: 'any name!' })).toEqual({
      StackName: 'any name!',
    });
  });
});

describe('toWire', () => {
  it('sends Dates as epoch seconds and drops undefined members', () => {
    expect(toWire({ a: new Date(1500), b: undefined, c: [{ d: new Date(0) }], e: 'x' })).toEqual({
      a: 1.5,
      c: [{ d: 0 }],
      e: 'x',
    });
  });
});
