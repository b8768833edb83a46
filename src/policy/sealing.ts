import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hash,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { MAX_INDEXED_HOLDERS } from '../pagination/index.js';
import type { Sealer } from '../pagination/index.js';
import { keyOf } from './signing.js';

export type { Sealer } from '../pagination/index.js';

/** What a sealer's keys are for: each purpose gets keys of its own, derived from one secret. */
export type SealingPurpose = 'cursor' | 'global-id';

/** Options of {@link createSealer}. */
export interface SealerOptions {
  /** The key (`CURSOR_SECRET`), at least 32 bytes: seals and opens. */
  readonly secret: string | Uint8Array;
  /** A key that still opens, never seals (`CURSOR_SECRET_PREVIOUS`), during a rotation. */
  readonly previous?: string | Uint8Array | undefined;
  readonly purpose: SealingPurpose;
}

/** GCM's 96-bit IV, taken from the synthetic IV (HMAC-SHA256 of the plaintext). */
const IV_BYTES = 12;
/** GCM's full 128-bit authentication tag. */
const TAG_BYTES = 16;
/** Fixed HKDF salt: domain separation from any other use of the same secret. */
const HKDF_SALT = 'appstream-graphql-gateway sealing';

interface Keys {
  /** AES-256-GCM key. */
  readonly encryption: KeyObject;
  /** HMAC-SHA256 key of the synthetic IV. */
  readonly iv: KeyObject;
  /** HMAC-SHA512 key of the index tags of {@link Sealer.sealIndexed}. */
  readonly tags: KeyObject;
}

function keysOf(name: string, secret: string | Uint8Array, purpose: SealingPurpose): Keys {
  const derive = (use: string): KeyObject =>
    createSecretKey(
      Buffer.from(hkdfSync('sha256', keyOf(name, secret), HKDF_SALT, `${purpose} ${use}`, 32)),
    );
  return {
    encryption: derive('aes-256-gcm'),
    iv: derive('siv hmac-sha256'),
    tags: derive('index tags hmac-sha512'),
  };
}

/** Bytes of one index tag (64 bits; 11 base64url characters). */
const TAG_OF_INDEX_BYTES = 8;
/** An indexed token: the sealed body, its index in decimal and the index's tag. */
const INDEXED_TOKEN = /^([A-Za-z0-9_-]+)\.(0|[1-9][0-9]{0,3})\.([A-Za-z0-9_-]{11})$/;

/** Tags one HMAC-SHA512 output holds. */
const TAGS_PER_BLOCK = 64 / TAG_OF_INDEX_BYTES;

/**
 * The tags of indexes `from` to `to` - 1 of the sealed `body`: tag k is bytes 8(k mod 8) to
 * 8(k mod 8) + 8 of HMAC-SHA512(tag key, block ‖ context ‖ body), block = floor(k / 8), each
 * part length-prefixed. A run of up to 8 holders costs one HMAC.
 */
function indexTags(keys: Keys, context: string, body: string, from: number, to: number): Buffer {
  const blocks: Buffer[] = [];
  const first = Math.floor(from / TAGS_PER_BLOCK);
  for (let block = first; block * TAGS_PER_BLOCK < to; block++) {
    blocks.push(
      createHmac('sha512', keys.tags)
        .update(`${String(block)}:${String(context.length)}:${context}:`, 'utf8')
        .update(body, 'utf8')
        .digest(),
    );
  }
  const start = (from - first * TAGS_PER_BLOCK) * TAG_OF_INDEX_BYTES;
  return Buffer.concat(blocks).subarray(start, start + (to - from) * TAG_OF_INDEX_BYTES);
}

/** The sealed token of `plaintext` under `keys`: base64url(IV ‖ ciphertext ‖ tag). */
function sealWith(keys: Keys, plaintext: string, context: string): string {
  const data = Buffer.from(plaintext, 'utf8');
  const iv = syntheticIv(keys, context, data);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The bytes of `token` when it is the one spelling of them that sealing writes, else null. */
function sealedBytes(token: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const sealed = Buffer.from(token, 'base64url');
  // Node decodes other spellings of the same bytes too; only the one sealing writes opens.
  if (sealed.length < IV_BYTES + TAG_BYTES || sealed.toString('base64url') !== token) return null;
  return sealed;
}

/** The synthetic IV: HMAC-SHA256 over the context's length, the context and the plaintext. */
function syntheticIv(keys: Keys, context: string, plaintext: Buffer): Buffer {
  return createHmac('sha256', keys.iv)
    .update(`${String(context.length)}:${context}`, 'utf8')
    .update(plaintext)
    .digest()
    .subarray(0, IV_BYTES);
}

/** The plaintext of `sealed` under `keys`, or null when it does not authenticate. */
function openWith(keys: Keys, sealed: Buffer, context: string): Buffer | null {
  const iv = sealed.subarray(0, IV_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return null;
  }
  // The SIV check: only the IV that sealing derives from this plaintext is accepted.
  return timingSafeEqual(iv, syntheticIv(keys, context, plaintext)) ? plaintext : null;
}

/**
 * The sealer of cursors or global ids: deterministic authenticated encryption by SIV
 * construction over AES-256-GCM. The IV is HMAC-SHA256(IV key, context, plaintext) truncated to
 * 96 bits, so the same plaintext always gives the same token (ids stay stable across requests
 * and replicas sharing the secret), and distinct plaintexts share an IV only with probability
 * 2^-96 per pair (GCM's own limit for random IVs is 2^32 messages per key); GCM encrypts with
 * the context as associated data and its 128-bit tag authenticates. Opening also recomputes the
 * IV from the plaintext, so even a GCM IV collision cannot be turned into a forgery. Token:
 * base64url(IV ‖ ciphertext ‖ tag), 28 bytes longer than the plaintext. Keys: HKDF-SHA256 of
 * the secret, one encryption key, one IV key and one index-tag key per {@link SealingPurpose}.
 * Indexed tokens (`sealIndexed`) add `.k.` and a 64-bit tag of `k` and the sealed body, eight
 * tags to one HMAC-SHA512 of the body: a run of cursors costs one sealing, not one per cursor.
 *
 * `digest` is SHA-256 truncated to 128 bits, unkeyed: it only ever travels inside a sealed
 * payload, and so stays the same across a rotation.
 */
export function createSealer(options: SealerOptions): Sealer {
  const current = keysOf('The secret', options.secret, options.purpose);
  const accepted = [current];
  if (options.previous !== undefined) {
    accepted.push(keysOf('The previous secret', options.previous, options.purpose));
  }
  /** The plaintext of `token` and the keys that opened it, or null. */
  const openAny = (token: string, context: string) => {
    const sealed = sealedBytes(token);
    if (sealed === null) return null;
    for (const keys of accepted) {
      const plaintext = openWith(keys, sealed, context);
      if (plaintext !== null) return { keys, plaintext: plaintext.toString('utf8') };
    }
    return null;
  };
  return {
    seal: (plaintext, context) => sealWith(current, plaintext, context),
    open: (token, context) => openAny(token, context)?.plaintext ?? null,
    sealIndexed(plaintext, context, count) {
      if (!Number.isSafeInteger(count) || count < 1 || count > MAX_INDEXED_HOLDERS) {
        throw new RangeError(`sealIndexed serves 1 to ${String(MAX_INDEXED_HOLDERS)} holders`);
      }
      const body = sealWith(current, plaintext, context);
      const tags = indexTags(current, context, body, 0, count);
      const tokens: string[] = [];
      for (let k = 0; k < count; k++) {
        const tag = tags.subarray(k * TAG_OF_INDEX_BYTES, (k + 1) * TAG_OF_INDEX_BYTES);
        tokens.push(`${body}.${String(k)}.${tag.toString('base64url')}`);
      }
      return tokens;
    },
    openIndexed(token, context) {
      const match = INDEXED_TOKEN.exec(token);
      if (match === null) return null;
      const [, body = '', digits = '', tag = ''] = match;
      const index = Number(digits);
      const given = Buffer.from(tag, 'base64url');
      if (index >= MAX_INDEXED_HOLDERS || given.toString('base64url') !== tag) return null;
      const opened = openAny(body, context);
      if (opened === null) return null;
      const expected = indexTags(opened.keys, context, body, index, index + 1);
      return timingSafeEqual(expected, given) ? { plaintext: opened.plaintext, index } : null;
    },
    digest: (data) => hash('sha256', data, 'base64url').slice(0, 22),
  };
}
