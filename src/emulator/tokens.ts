import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { invalidNextToken } from './errors.js';

/**
 * The request members a token is bound to. A token continues only a request with the same
 * operation and the same binding; `Limit` is deliberately not part of it.
 */
export type TokenBinding = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Opaque NextToken encoding for one emulator instance. */
export interface TokenCodec {
  /**
   * A token for (operation, binding, offset); equal inputs give equal tokens. With `minLength`,
   * the token is at least that many characters (padding inside the encrypted payload).
   */
  encode(operation: string, binding: TokenBinding, offset: number, minLength?: number): string;
  /**
   * The offset a token continues from. Throws `ValidationException` "Invalid NextToken" when the
   * token is malformed, tampered with, from another emulator instance or for another request.
   */
  decode(token: string, operation: string, binding: TokenBinding): number;
}

interface TokenPayload {
  o: string;
  b: string;
  n: number;
  /** Padding (ignored), to make tokens as long as AppStream's may be. */
  p?: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Creates a codec: AES-256-GCM over `{operation, binding hash, offset}`, base64url. The IV is an
 * HMAC of the plaintext (deterministic tokens, safe because equal IVs imply equal plaintexts).
 * Keys are random per codec unless `secret` is given; tokens never expire.
 */
export function createTokenCodec(secret?: Buffer): TokenCodec {
  const root = secret ?? randomBytes(32);
  const encKey = createHmac('sha256', root).update('nexttoken-enc').digest();
  const macKey = createHmac('sha256', root).update('nexttoken-iv').digest();

  return {
    encode(operation, binding, offset, minLength = 0) {
      const payload: TokenPayload = { o: operation, b: bindingHash(binding), n: offset };
      // base64url of IV + tag + ciphertext: 4 characters per 3 bytes of payload JSON.
      const padding = Math.ceil((minLength * 3) / 4) - IV_BYTES - TAG_BYTES;
      if (padding > 0) payload.p = 'x'.repeat(padding);
      const plain = Buffer.from(JSON.stringify(payload), 'utf8');
      const iv = createHmac('sha256', macKey).update(plain).digest().subarray(0, IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    decode(token, operation, binding) {
      const payload = open(encKey, token);
      if (payload === undefined || payload.o !== operation || payload.b !== bindingHash(binding)) {
        throw invalidNextToken();
      }
      return payload.n;
    },
  };
}

function open(key: Buffer, token: string): TokenPayload | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    const value: unknown = JSON.parse(plain.toString('utf8'));
    return isPayload(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isPayload(value: unknown): value is TokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['o'] === 'string' &&
    typeof v['b'] === 'string' &&
    typeof v['n'] === 'number' &&
    Number.isSafeInteger(v['n']) &&
    v['n'] >= 0
  );
}

function bindingHash(binding: TokenBinding): string {
  const entries = Object.keys(binding)
    .sort()
    .map((k) => [k, binding[k] ?? null]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 22);
}
