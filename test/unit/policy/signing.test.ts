import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacSigner, TAG_LENGTH } from '../../../src/policy/signing.js';
import { OTHER_SECRET, TEST_SECRET } from '../../helpers/signing.js';

describe('createHmacSigner', () => {
  const signer = createHmacSigner({ secret: TEST_SECRET });

  it('signs with HMAC-SHA256 truncated to 128 bits, in base64url', () => {
    const expected = createHmac('sha256', TEST_SECRET)
      .update('data')
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(signer.sign('data')).toBe(expected);
    expect(signer.sign('data')).toHaveLength(TAG_LENGTH);
    expect(signer.verify('data', expected)).toBe(true);
    expect(signer.verify('datA', expected)).toBe(false);
  });

  it('refuses tags of another key, of another length, or in a non-canonical spelling', () => {
    const tag = signer.sign('data');
    expect(signer.verify('data', createHmacSigner({ secret: OTHER_SECRET }).sign('data'))).toBe(
      false,
    );
    expect(signer.verify('data', tag.slice(0, -1))).toBe(false);
    expect(signer.verify('data', `${tag}A`)).toBe(false);
    // The last character of 16 bytes in base64url carries 4 unused bits.
    const last = tag.charAt(TAG_LENGTH - 1);
    const alias = tag.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) ^ 1);
    expect(signer.verify('data', alias)).toBe(false);
  });

  it('verifies with the previous key during a rotation, and signs with the current one only', () => {
    const rotated = createHmacSigner({ secret: OTHER_SECRET, previous: TEST_SECRET });
    expect(rotated.verify('data', signer.sign('data'))).toBe(true);
    expect(rotated.sign('data')).toBe(createHmacSigner({ secret: OTHER_SECRET }).sign('data'));
    expect(signer.verify('data', rotated.sign('data'))).toBe(false);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => createHmacSigner({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => createHmacSigner({ secret: TEST_SECRET, previous: 'short' })).toThrow(
      /at least 32 bytes/,
    );
  });
});
