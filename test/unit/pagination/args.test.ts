import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createCursorCodec, normalizeConnectionArgs } from '../../../src/pagination/index.js';
import type { ConnectionArgs } from '../../../src/pagination/index.js';
import { testCursorSealer } from '../../helpers/signing.js';

const codec = createCursorCodec({ sealer: testCursorSealer });
const binding = 'sessions|stack-a/fleet-a|';
const position = { s: 0, t: null, i: 3, o: 3, id: 's003' };
const cursor = codec.encode(position, binding);

function rejection(args: ConnectionArgs): unknown {
  try {
    normalizeConnectionArgs(args, { codec, binding });
  } catch (error) {
    return error;
  }
  return 'accepted';
}

describe('normalizeConnectionArgs', () => {
  it('defaults to the first 20 items when neither first nor last is given', () => {
    expect(normalizeConnectionArgs({}, { codec, binding })).toEqual({
      direction: 'forward',
      count: 20,
      after: null,
      before: null,
    });
  });

  it('accepts null like absent, and honours custom defaults', () => {
    const args = { first: null, last: null, after: null, before: null };
    expect(
      normalizeConnectionArgs(args, { codec, binding, defaultPageSize: 7, maxPageSize: 10 }),
    ).toEqual({ direction: 'forward', count: 7, after: null, before: null });
  });

  it('decodes cursors and allows after+before, first+before and last+after', () => {
    expect(
      normalizeConnectionArgs({ first: 5, after: cursor, before: cursor }, { codec, binding }),
    ).toEqual({ direction: 'forward', count: 5, after: position, before: position });
    expect(normalizeConnectionArgs({ last: 0, after: cursor }, { codec, binding })).toEqual({
      direction: 'backward',
      count: 0,
      after: position,
      before: null,
    });
  });

  const badCounts: Array<{ args: ConnectionArgs; message: string }> = [
    { args: { first: -1 }, message: '`first` must be an integer from 0 to 100; received -1.' },
    { args: { first: 101 }, message: '`first` must be an integer from 0 to 100; received 101.' },
    { args: { first: 2.5 }, message: '`first` must be an integer from 0 to 100; received 2.5.' },
    {
      args: { first: Number.NaN },
      message: '`first` must be an integer from 0 to 100; received NaN.',
    },
    { args: { last: -5 }, message: '`last` must be an integer from 0 to 100; received -5.' },
    {
      args: { last: 1e9 },
      message: '`last` must be an integer from 0 to 100; received 1000000000.',
    },
    { args: { last: 0.1 }, message: '`last` must be an integer from 0 to 100; received 0.1.' },
    {
      args: { first: 1, last: 1 },
      message: 'Pass either `first` (to page forward) or `last` (to page backward), not both.',
    },
    {
      args: { first: 1, after: 'not a cursor!' },
      message:
        '`after` is not a valid cursor (truncated or altered: not a cursor this gateway issued); pass a cursor exactly as returned in edges or pageInfo, or omit `after`.',
    },
  ];
  for (const { args, message } of badCounts) {
    it(`rejects ${JSON.stringify(args)} with BAD_USER_INPUT`, () => {
      const error = rejection(args);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message });
    });
  }

  it('rejects a cursor of another query through the codec', () => {
    const foreign = codec.encode(position, 'sessions|stack-b/fleet-b|');
    expect(rejection({ before: foreign })).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message: expect.stringContaining('`before` cursor belongs to a different query'),
    });
  });
});
