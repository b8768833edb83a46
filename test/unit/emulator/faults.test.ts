import { describe, expect, it } from 'vitest';
import { createCallLog } from '../../../src/emulator/calls.js';
import { createFaults } from '../../../src/emulator/faults.js';

const sessions = { StackName: 's1', FleetName: 'f1' };

describe('createFaults', () => {
  it('matches by operation, stack and fleet scope', () => {
    const faults = createFaults([
      { operation: 'DescribeSessions', stackName: 's1', error: 'http500' },
    ]);
    expect(faults.take('DescribeSessions', sessions).error).toBe('http500');
    expect(faults.take('DescribeSessions', { ...sessions, StackName: 's2' }).error).toBeUndefined();
    expect(faults.take('DescribeStacks', { Names: ['s1'] }).error).toBeUndefined();
    expect(faults.take('DescribeSessions', undefined).error).toBeUndefined();
  });

  it('matches DescribeStacks and DescribeFleets by their Names', () => {
    const faults = createFaults();
    faults.add({ stackName: 's1', error: 'drop' });
    faults.add({ fleetName: 'f1', error: 'http503' });
    expect(faults.take('DescribeStacks', { Names: ['s0', 's1'] }).error).toBe('drop');
    expect(faults.take('DescribeFleets', { Names: ['f1'] }).error).toBe('http503');
    expect(faults.take('DescribeStacks', {}).error).toBeUndefined();
    expect(faults.take('DescribeFleets', { Names: ['s1'] }).error).toBeUndefined();
  });

  it('applies a rule with a rate to that fraction of calls, drawn per call', () => {
    const draws = [0.05, 0.5, 0.09, 0.1, 0.95];
    const faults = createFaults(
      [{ error: 'http500', rate: 0.1, times: 2 }],
      () => draws.shift() ?? 1,
    );
    const errors = Array.from({ length: 5 }, () => faults.take('DescribeStacks', {}).error);
    // 0.05 and 0.09 fall under the rate; the draws above it neither fault nor use up `times`.
    expect(errors).toEqual(['http500', undefined, 'http500', undefined, undefined]);
    expect(faults.list()).toEqual([]);
    expect(() => createFaults([{ error: 'drop', rate: 1.5 }])).toThrow(RangeError);
  });

  it('adds latencies, lets the earliest error win and consumes times', () => {
    const faults = createFaults([
      { latencyMs: 10 },
      { latencyMs: 5, error: 'ThrottlingException', times: 1 },
      { error: 'http500', times: 2 },
    ]);
    expect(faults.take('DescribeStacks', {})).toEqual({
      latencyMs: 15,
      error: 'ThrottlingException',
    });
    expect(faults.take('DescribeStacks', {})).toEqual({ latencyMs: 10, error: 'http500' });
    expect(faults.take('DescribeStacks', {})).toEqual({ latencyMs: 10, error: undefined });
    expect(faults.list()).toEqual([{ latencyMs: 10 }]);
    faults.clear();
    expect(faults.take('DescribeStacks', {})).toEqual({ latencyMs: 0, error: undefined });
  });

  it('rejects invalid rules', () => {
    expect(() => createFaults([{ times: 0 }])).toThrow(RangeError);
    expect(() => createFaults([{ latencyMs: -1 }])).toThrow(RangeError);
  });

  it('keeps its own copy of a rule', () => {
    const rule = { error: 'drop' as const, times: 1 };
    const faults = createFaults([rule]);
    faults.take(undefined, undefined);
    expect(rule.times).toBe(1);
  });
});

describe('createCallLog', () => {
  it('counts by operation and by deep-equal input members', () => {
    const log = createCallLog();
    log.record({
      operation: 'DescribeStacks',
      input: { Names: ['a'] },
      status: 200,
      outcome: 'success',
      faulted: false,
      receivedAt: 1,
    });
    log.record({
      operation: 'DescribeSessions',
      input: sessions,
      status: 0,
      outcome: 'dropped',
      faulted: true,
      receivedAt: 2,
    });
    log.record({
      operation: undefined,
      input: undefined,
      status: 400,
      outcome: 'error',
      faulted: false,
      receivedAt: 3,
    });
    expect(log.count()).toBe(3);
    expect(log.count('DescribeStacks', { Names: ['a'] })).toBe(1);
    expect(log.count('DescribeStacks', { Names: ['b'] })).toBe(0);
    expect(log.count(undefined, { StackName: 's1' })).toBe(1);
    expect(log.list().map((c) => c.seq)).toEqual([1, 2, 3]);
    log.reset();
    expect(log.count()).toBe(0);
  });
});
