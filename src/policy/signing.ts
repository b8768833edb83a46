import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Signer } from '../ids/global-id.js';

export type { Signer } from '../ids/global-id.js';

/**
 * Least length of `CURSOR_SECRET` and `CURSOR_SECRET_PREVIOUS`, in bytes: HMAC-SHA256's output
 * size, as RFC 2104 advises (and the size of the AES-256 and HMAC keys HKDF derives from it).
 */
export const MIN_SECRET_BYTES = 32;

/** Bytes of HMAC-SHA256 output kept in a tag: 128 bits, as NIST SP 800-107 allows. */
const TAG_BYTES = 16;

/** Length of every tag {@link createHmacSigner} returns: 16 bytes in unpadded base64url. */
export const TAG_LENGTH = 22;

/** Options of {@link createHmacSigner}. */
export interface HmacSignerOptions {
  /** The signing key (`CURSOR_SECRET`), at least {@link MIN_SECRET_BYTES} bytes. */
  readonly secret: string | Uint8Array;
  /** A key accepted for verification only (`CURSOR_SECRET_PREVIOUS`), during a rotation. */
  readonly previous?: string | Uint8Array | undefined;
}

/** The bytes of `secret` (UTF-8 for text); a RangeError naming `name` when it is too short. */
export function keyOf(name: string, secret: string | Uint8Array): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new RangeError(`${name} must be at least ${MIN_SECRET_BYTES} bytes long.`);
  }
  return key;
}

/**
 * The MAC of the readable global ids of layouts `v2` and `v3` (issued before ids were sealed, see
 * `src/policy/sealing.ts`), which the gateway still reads during a transition and no longer
 * issues: HMAC-SHA256 keyed with the secret itself (native, one `createHmac` per tag), truncated
 * to 128 bits, as unpadded base64url. `sign` always uses `secret`; `verify` accepts a tag made
 * with `secret` or with `previous`, comparing in constant time. Deterministic: the same data and
 * key give the same tag in every process.
 */
export function createHmacSigner(options: HmacSignerOptions): Signer {
  const keys = [keyOf('The signing secret', options.secret)];
  if (options.previous !== undefined) keys.push(keyOf('The previous secret', options.previous));
  const macOf = (key: Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data, 'utf8').digest().subarray(0, TAG_BYTES);
  const [current] = keys as [Buffer, ...Buffer[]];
  return {
    sign: (data) => macOf(current, data).toString('base64url'),
    verify(data, tag) {
      if (tag.length !== TAG_LENGTH) return false;
      const given = Buffer.from(tag, 'base64url');
      // Only the canonical spelling of the bytes is a valid tag.
      if (given.length !== TAG_BYTES || given.toString('base64url') !== tag) return false;
      // Which key matched is no secret; each comparison is constant-time.
      return keys.some((key) => timingSafeEqual(macOf(key, data), given));
    },
  };
}

/** A random secret, for a process started without `CURSOR_SECRET`. */
export function randomSecret(): Uint8Array {
  return randomBytes(MIN_SECRET_BYTES);
}
