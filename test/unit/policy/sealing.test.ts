import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../../src/policy/sealing.js';
import { OTHER_SECRET, TEST_SECRET } from '../../helpers/signing.js';

const sealer = createSealer({ secret: TEST_SECRET, purpose: 'cursor' });
const CONTEXT = 'appstream-cursor:5';

/** The construction written out step by step, to pin the token format across releases. */
function byHand(secret: string, purpose: string, context: string, plaintext: string): string {
  const key = (use: string) =>
    Buffer.from(
      hkdfSync('sha256', secret, 'appstream-graphql-gateway sealing', `${purpose} ${use}`, 32),
    );
  const data = Buffer.from(plaintext, 'utf8');
  const iv = createHmac('sha256', key('siv hmac-sha256'))
    .update(`${context.length}:${context}`)
    .update(data)
    .digest()
    .subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key('aes-256-gcm'), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

describe('createSealer', () => {
  it('seals with AES-256-GCM under a synthetic IV, with HKDF-derived keys', () => {
    for (const plaintext of ['', 'a', '{"b":"x","t":"tok"}', 'é€𝄞'.repeat(40)]) {
      const token = sealer.seal(plaintext, CONTEXT);
      expect(token).toBe(byHand(TEST_SECRET, 'cursor', CONTEXT, plaintext));
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(Buffer.byteLength(plaintext) + 28);
      expect(sealer.open(token, CONTEXT)).toBe(plaintext);
    }
  });

  it('is deterministic per key, purpose and context, and hides the plaintext', () => {
    const plaintext = '["Session","engineering-desktops","ihaddad@corp.example.com"]';
    const token = sealer.seal(plaintext, CONTEXT);
    expect(createSealer({ secret: TEST_SECRET, purpose: 'cursor' }).seal(plaintext, CONTEXT)).toBe(
      token,
    );
    const others = [
      createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }).seal(plaintext, CONTEXT),
      createSealer({ secret: TEST_SECRET, purpose: 'global-id' }).seal(plaintext, CONTEXT),
      sealer.seal(plaintext, 'appstream-cursor:6'),
    ];
    expect(new Set([token, ...others]).size).toBe(4);
    for (const encoding of ['utf8', 'latin1'] as const) {
      const bytes = Buffer.from(token, 'base64url').toString(encoding);
      for (const part of ['Session', 'engineering', 'ihaddad', 'corp.example']) {
        expect(bytes).not.toContain(part);
      }
    }
  });

  it('opens only with the same purpose, context and key (or the previous key)', () => {
    const token = sealer.seal('payload', CONTEXT);
    expect(sealer.open(token, 'appstream-cursor:6')).toBeNull();
    expect(createSealer({ secret: TEST_SECRET, purpose: 'global-id' }).open(token, CONTEXT)).toBe(
      null,
    );
    expect(createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }).open(token, CONTEXT)).toBe(
      null,
    );
    const rotated = createSealer({
      secret: OTHER_SECRET,
      previous: TEST_SECRET,
      purpose: 'cursor',
    });
    expect(rotated.open(token, CONTEXT)).toBe('payload');
    expect(rotated.seal('payload', CONTEXT)).toBe(
      byHand(OTHER_SECRET, 'cursor', CONTEXT, 'payload'),
    );
    expect(sealer.open(rotated.seal('payload', CONTEXT), CONTEXT)).toBeNull();
  });

  it('returns null, never throws, for altered, truncated, respelled or malformed tokens', () => {
    const token = sealer.seal('a payload of some length', CONTEXT);
    const bytes = Buffer.from(token, 'base64url');
    const cases = ['', '!!!!', 'A', token.slice(0, -1), `${token}A`, token.slice(2)];
    for (let k = 0; k < bytes.length; k++) {
      const flipped = Buffer.from(bytes);
      flipped[k] = (flipped[k] ?? 0) ^ 0x01;
      cases.push(flipped.toString('base64url'));
    }
    // 24 + 28 = 52 bytes: the last character carries 2 unused bits; set one.
    expect(bytes.length % 3).toBe(1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = token.slice(0, -1) + alphabet.charAt(alphabet.indexOf(token.slice(-1)) + 1);
    expect(Buffer.from(respelled, 'base64url').equals(bytes)).toBe(true);
    cases.push(respelled);
    // A GCM-valid token whose IV is not the synthetic one (what a nonce-reusing forger could make).
    cases.push(Buffer.concat([Buffer.alloc(12), bytes.subarray(12)]).toString('base64url'));
    for (const bad of cases) expect(sealer.open(bad, CONTEXT)).toBeNull();
  });

  it('digests with SHA-256 truncated to 128 bits, the same under every key', () => {
    const expected = createHash('sha256').update('binding').digest('base64url').slice(0, 22);
    expect(sealer.digest('binding')).toBe(expected);
    expect(createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }).digest('binding')).toBe(
      expected,
    );
  });

  it('seals once for many holders: body, index and a 64-bit HMAC-SHA512 tag of the index', () => {
    const tokens = sealer.sealIndexed('{"run":1}', CONTEXT, 12);
    expect(tokens).toHaveLength(12);
    const body = sealer.seal('{"run":1}', CONTEXT);
    const tagKey = Buffer.from(
      hkdfSync(
        'sha256',
        TEST_SECRET,
        'appstream-graphql-gateway sealing',
        'cursor index tags hmac-sha512',
        32,
      ),
    );
    // Eight tags to one HMAC-SHA512 of (block, context, body): blocks 0 and 1 for 12 holders.
    const block = (n: number) =>
      createHmac('sha512', tagKey)
        .update(`${String(n)}:${String(CONTEXT.length)}:${CONTEXT}:${body}`)
        .digest();
    const tags = Buffer.concat([block(0), block(1)]);
    for (const [k, token] of tokens.entries()) {
      const tag = tags.subarray(k * 8, k * 8 + 8).toString('base64url');
      expect(token).toBe(`${body}.${String(k)}.${tag}`);
      expect(sealer.openIndexed(token, CONTEXT)).toEqual({ plaintext: '{"run":1}', index: k });
    }
    expect(() => sealer.sealIndexed('x', CONTEXT, 0)).toThrow(RangeError);
    expect(() => sealer.sealIndexed('x', CONTEXT, 1001)).toThrow(RangeError);
  });

  it('opens an indexed token only as issued: no other index, tag, key, context or spelling', () => {
    const [first = '', second = ''] = sealer.sealIndexed('payload', CONTEXT, 2);
    const [body = '', , tag = ''] = first.split('.');
    const rotated = createSealer({
      secret: OTHER_SECRET,
      previous: TEST_SECRET,
      purpose: 'cursor',
    });
    expect(rotated.openIndexed(first, CONTEXT)).toEqual({ plaintext: 'payload', index: 0 });
    const bad = [
      `${body}.1.${tag}`, // another index under index 0's tag
      `${body}.0.${second.split('.')[2] ?? ''}`, // index 0 under index 1's tag
      `${body}.00.${tag}`,
      `${body}.0.${tag}A`,
      `${body}.0.${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`,
      `${body}.0`,
      body,
      `${body}.1000.${tag}`,
      `x${first}`,
    ];
    for (const token of bad) expect(sealer.openIndexed(token, CONTEXT)).toBeNull();
    expect(sealer.openIndexed(first, 'appstream-global-id:4')).toBeNull();
    expect(
      createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }).openIndexed(first, CONTEXT),
    ).toBeNull();
    expect(
      createSealer({ secret: TEST_SECRET, purpose: 'global-id' }).openIndexed(first, CONTEXT),
    ).toBeNull();
  });

  it('refuses secrets shorter than 32 bytes', () => {
    expect(() => createSealer({ secret: 'short', purpose: 'cursor' })).toThrow(/at least 32 bytes/);
    expect(() =>
      createSealer({ secret: TEST_SECRET, previous: 'short', purpose: 'global-id' }),
    ).toThrow(/at least 32 bytes/);
  });
});
