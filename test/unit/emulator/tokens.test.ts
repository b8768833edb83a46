import { describe, expect, it } from 'vitest';
import { createTokenCodec } from '../../../src/emulator/tokens.js';

const binding = { StackName: 's1', FleetName: 'f1', UserId: undefined };

describe('createTokenCodec', () => {
  const codec = createTokenCodec();

  it('round-trips the offset for the same operation and binding', () => {
    const token = codec.encode('DescribeSessions', binding, 40);
    expect(codec.decode(token, 'DescribeSessions', binding)).toBe(40);
    expect(
      codec.decode(token, 'DescribeSessions', {
        FleetName: 'f1',
        UserId: undefined,
        StackName: 's1',
      }),
    ).toBe(40);
  });

  it('is deterministic and opaque', () => {
    const a = codec.encode('DescribeSessions', binding, 20);
    expect(codec.encode('DescribeSessions', binding, 20)).toBe(a);
    expect(codec.encode('DescribeSessions', binding, 21)).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(a, 'base64url').toString('latin1')).not.toMatch(/s1|DescribeSessions/);
  });

  it('gives equal tokens for equal secrets and rejects tokens of another key', () => {
    const secret = Buffer.alloc(32, 7);
    const token = createTokenCodec(secret).encode('DescribeStacks', {}, 10);
    expect(createTokenCodec(secret).decode(token, 'DescribeStacks', {})).toBe(10);
    expect(() => codec.decode(token, 'DescribeStacks', {})).toThrow('Invalid NextToken');
  });

  it.each([
    ['another operation', 'DescribeFleets', binding],
    ['another binding', 'DescribeSessions', { ...binding, StackName: 's2' }],
    ['a binding with an extra filter', 'DescribeSessions', { ...binding, UserId: 'u1' }],
  ])('rejects %s', (_label, operation, other) => {
    const token = codec.encode('DescribeSessions', binding, 5);
    expect(() => codec.decode(token, operation, other)).toThrow(
      expect.objectContaining({ type: 'ValidationException', message: 'Invalid NextToken' }),
    );
  });

  it.each(['', 'x', '!!!!', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '5'])(
    'rejects junk %j',
    (junk) => {
      expect(() => codec.decode(junk, 'DescribeSessions', binding)).toThrow('Invalid NextToken');
    },
  );

  it('rejects every single-character tampering', () => {
    const token = codec.encode('DescribeSessions', binding, 5);
    for (let i = 0; i < token.length; i++) {
      const tampered = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
      if (Buffer.from(tampered, 'base64url').equals(Buffer.from(token, 'base64url'))) continue;
      expect(() => codec.decode(tampered, 'DescribeSessions', binding)).toThrow(
        'Invalid NextToken',
      );
    }
  });
});
