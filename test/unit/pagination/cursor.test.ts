import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { toBase64Url, fromBase64Url } from '../../../src/pagination/base64url.js';
import {
  CURSOR_PREFIX,
  MAX_CURSOR_LENGTH,
  createCursorCodec,
} from '../../../src/pagination/index.js';
import type { CursorPosition, Sealer } from '../../../src/pagination/index.js';
import { createSealer } from '../../../src/policy/sealing.js';
import { OTHER_SECRET, TEST_SECRET, testCursorSealer, testSigner } from '../../helpers/signing.js';

const codec = createCursorCodec({ sealer: testCursorSealer });
/** What the encryption of a version 4 cursor authenticates beside its payload. */
const CONTEXT = 'appstream-cursor:4';
const binding = 'sessions|stack-a/fleet-a|state=ACTIVE';
const SECRET = 'SECRET-UPSTREAM-TOKEN:with/odd+chars';
const positions: Record<string, CursorPosition> = {
  'first-item on the first page': { s: 0, t: null, i: 0, o: 0, id: 's000' },
  'mid-page on the first page': { s: 0, t: null, i: 3, o: 3, id: 's003', p: 's002' },
  'page-final with a next token': {
    s: 1,
    t: SECRET,
    i: 49,
    o: 99,
    id: 'é-üñí:çødé',
    p: 'prev:"id"',
    n: 'next:tok',
    f: 'first-of-next',
  },
  'page-final without a read next page': { s: 0, t: 'tok', i: 9, o: 9, id: 'x', p: 'w', n: 'n' },
  'stream-final': { s: 2, t: 'tok', i: 0, o: 7, id: 'x', n: null },
};

/** A cursor sealed with the test key from any payload: what only a holder of the key could build. */
function forge(json: string): string {
  return CURSOR_PREFIX + testCursorSealer.seal(json, CONTEXT);
}

/** A readable cursor of versions 1 to 3 (signed with the test key for version 3, as they were). */
function readable(body: string): string {
  return toBase64Url(`${body}:${testSigner.sign(body)}`);
}

/** Every string a cursor's bytes can show, decoded as UTF-8 and as Latin-1, prefix or not. */
function readings(cursor: string): string[] {
  return [cursor, cursor.slice(CURSOR_PREFIX.length)].flatMap((text) =>
    (['utf8', 'latin1'] as const).map((encoding) =>
      Buffer.from(text, 'base64url').toString(encoding),
    ),
  );
}

function rejection(cursor: string, withBinding = binding, argName: 'after' | 'before' = 'after') {
  try {
    codec.decode(cursor, withBinding, argName);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    const { message } = error as GatewayError;
    expect(message).not.toContain(SECRET);
    expect(message).toContain(`\`${argName}\``);
    return message;
  }
  throw new Error('cursor was accepted');
}

describe('createCursorCodec', () => {
  for (const [name, position] of Object.entries(positions)) {
    it(`round-trips a ${name} position as opaque base64url`, () => {
      const cursor = codec.encode(position, binding);
      expect(cursor).toMatch(/^c4_[A-Za-z0-9_-]+$/);
      expect(codec.decode(cursor, binding, 'after')).toEqual(position);
    });
  }

  it('shows none of its position: no upstream token, session id or binding in its bytes', () => {
    for (const position of Object.values(positions)) {
      const cursor = codec.encode(position, binding);
      const shown = [position.t, position.id, position.p, position.n, position.f, binding];
      for (const reading of readings(cursor)) {
        for (const value of [...shown, 'stack-a', 'ACTIVE', '"s":', 'appstream']) {
          if (typeof value === 'string' && value.length > 1) expect(reading).not.toContain(value);
        }
      }
    }
  });

  it('gives the same cursor for the same position and query in every codec sharing the key', () => {
    const position = positions['page-final with a next token'] as CursorPosition;
    const replica = createCursorCodec({
      sealer: createSealer({ secret: TEST_SECRET, purpose: 'cursor' }),
    });
    expect(replica.encode(position, binding)).toBe(codec.encode(position, binding));
    const other = createCursorCodec({
      sealer: createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }),
    });
    expect(other.encode(position, binding)).not.toBe(codec.encode(position, binding));
  });

  it('rejects every single-character change of a cursor', () => {
    const cursor = codec.encode(
      positions['page-final with a next token'] as CursorPosition,
      binding,
    );
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let k = 0; k < cursor.length; k++) {
      const original = cursor.charAt(k);
      const replacement = alphabet.charAt((alphabet.indexOf(original) + 1 + (k % 63)) % 64);
      rejection(cursor.slice(0, k) + replacement + cursor.slice(k + 1));
    }
  });

  it('rejects every truncation of a cursor', () => {
    const cursor = codec.encode(positions['mid-page on the first page'] as CursorPosition, binding);
    for (let length = 0; length < cursor.length; length++) rejection(cursor.slice(0, length));
  });

  it('rejects a cursor whose sealed bytes were edited, truncated or extended', () => {
    const cursor = codec.encode({ s: 0, t: null, i: 3, o: 3, id: 's003' }, binding);
    const sealed = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url');
    const respell = (bytes: Buffer) => CURSOR_PREFIX + bytes.toString('base64url');
    const flipped = Buffer.from(sealed);
    flipped[20] = (flipped[20] ?? 0) ^ 1; // one bit of the ciphertext
    expect(rejection(respell(flipped))).toBe(
      '`after` cursor was modified or signed with another key (its signature does not match); pass cursors exactly as returned in edges or pageInfo, or request the first page again without after/before.',
    );
    for (const edited of [
      sealed.subarray(0, -1), // one byte of the authentication tag missing
      sealed.subarray(1), // one byte of the IV missing
      Buffer.concat([sealed, Buffer.from([0])]),
      sealed.subarray(0, 27), // shorter than IV and tag together
    ]) {
      expect(rejection(respell(edited))).toContain('was modified');
    }
  });

  it('rejects a payload sealed for ids or for another version (another context or key)', () => {
    const json = JSON.stringify({
      b: testCursorSealer.digest(binding),
      s: 0,
      t: null,
      i: 0,
      o: 0,
      id: 'a',
    });
    expect(codec.decode(forge(json), binding, 'after')).toEqual({
      s: 0,
      t: null,
      i: 0,
      o: 0,
      id: 'a',
    });
    const asId = createSealer({ secret: TEST_SECRET, purpose: 'global-id' }).seal(json, CONTEXT);
    expect(rejection(CURSOR_PREFIX + asId)).toContain('was modified');
    expect(rejection(CURSOR_PREFIX + testCursorSealer.seal(json, 'appstream-cursor:5'))).toContain(
      'was modified',
    );
  });

  it('rejects a cursor of another query (other binding), saying what to change', () => {
    const cursor = codec.encode({ s: 0, t: null, i: 3, o: 3, id: 's003' }, binding);
    expect(rejection(cursor, 'sessions|stack-b/fleet-a|', 'before')).toBe(
      '`before` cursor belongs to a different query (other stack, fleet or filters); request the first page again without after/before, or restore the arguments the cursor came from.',
    );
  });

  it('rejects a cursor of another version or format', () => {
    const payload = '{"b":"x","s":0,"t":null,"i":0,"o":0,"id":"a"}';
    expect(rejection(readable(`appstream:1:${payload}`))).toBe(
      '`after` is a cursor of version 1; this server reads version 4 only. Request the first page again without after/before.',
    );
    expect(rejection(`c5_${testCursorSealer.seal(payload, CONTEXT)}`)).toBe(
      '`after` is a cursor of version 5; this server reads version 4 only. Request the first page again without after/before.',
    );
    expect(rejection(readable(`appstream-sessions:1:${payload}`))).toContain('(unknown format)');
    expect(rejection(readable(`appstream:v9:${payload}`))).toContain('an unknown version');
    expect(rejection(readable(`appstream:4:${payload}`))).toContain('(unknown format)');
    expect(rejection(readable(`arrayconnection:1:${payload}`))).toContain('(unknown format)');
    expect(rejection(toBase64Url('arrayconnection:5'))).toContain('(unknown format)');
  });

  it('rejects the readable, signed cursors of version 3 with a message asking for the first page', () => {
    // What the previous release issued: base64url of `appstream:3:<json>:<HMAC tag>`.
    const json = JSON.stringify({
      b: testSigner.sign(`binding:${binding}`),
      s: 0,
      t: null,
      i: 3,
      o: 3,
      id: 's003',
    });
    const body = `appstream:3:${json}`;
    expect(fromBase64Url(readable(body))).toBe(`${body}:${testSigner.sign(body)}`);
    expect(rejection(readable(body), binding, 'before')).toBe(
      '`before` is a cursor of version 3; this server reads version 4 only. Request the first page again without after/before.',
    );
  });

  it('rejects malformed cursors with a clear reason', () => {
    const valid = { b: testCursorSealer.digest(binding), s: 0, t: null, i: 0, o: 0, id: 'a' };
    const cases: Array<[string, string]> = [
      ['', '(unknown format)'],
      ['abc$', '(truncated or altered: not a cursor this gateway issued)'],
      ['YW=', '(truncated or altered: not a cursor this gateway issued)'],
      ['A', '(truncated or altered: not a cursor this gateway issued)'],
      ['YR', '(truncated or altered: not a cursor this gateway issued)'], // non-zero trailing bits: not canonical
      ['_-8', '(truncated or altered: not a cursor this gateway issued)'], // invalid UTF-8
      ['A'.repeat(MAX_CURSOR_LENGTH + 1), '(too long)'],
      [forge('{not json'), '(payload is not JSON)'],
      [forge('[1,2]'), '(payload is not an object)'],
      [forge(JSON.stringify({ ...valid, b: 1 })), '(missing query binding)'],
      [forge(JSON.stringify({ ...valid, i: -1 })), '(positions must be non-negative integers)'],
      [forge(JSON.stringify({ ...valid, s: 1.5 })), '(positions must be non-negative integers)'],
      [forge(JSON.stringify({ ...valid, o: '3' })), '(positions must be non-negative integers)'],
      [forge(JSON.stringify({ ...valid, id: 7 })), '(missing item id)'],
      [forge(JSON.stringify({ ...valid, t: 7 })), '(page token must be a string or null)'],
      [forge(JSON.stringify({ ...valid, n: 7 })), '(next token must be a string or null)'],
      [forge(JSON.stringify({ ...valid, p: null })), '(neighbour ids must be strings)'],
      [forge(JSON.stringify({ ...valid, f: 7 })), '(neighbour ids must be strings)'],
    ];
    for (const [cursor, reason] of cases) expect(rejection(cursor)).toContain(reason);
    expect(codec.decode(forge(JSON.stringify(valid)), binding, 'after')).toEqual({
      s: 0,
      t: null,
      i: 0,
      o: 0,
      id: 'a',
    });
  });

  it('rejects a cursor sealed with another secret, and reads one sealed with the previous secret', () => {
    const position = { s: 0, t: null, i: 1, o: 1, id: 'b' };
    const other = createCursorCodec({
      sealer: createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }),
    });
    const cursor = other.encode(position, binding);
    expect(other.decode(cursor, binding, 'after')).toEqual(position);
    expect(rejection(cursor)).toContain('signed with another key');
    // After a rotation to OTHER_SECRET, with TEST_SECRET kept as the previous key:
    const rotated = createCursorCodec({
      sealer: createSealer({ secret: OTHER_SECRET, previous: TEST_SECRET, purpose: 'cursor' }),
    });
    expect(rotated.decode(codec.encode(position, binding), binding, 'after')).toEqual(position);
    expect(() => rotated.decode(codec.encode(position, binding), 'other', 'after')).toThrow(
      /belongs to a different query/,
    );
    // ... and it signs with the new key only.
    expect(rejection(rotated.encode(position, binding))).toContain('signed with another key');
  });

  it('seals once per encoded cursor and digests once per binding, not per edge', () => {
    const calls = { seal: 0, open: 0, digest: 0 };
    const sealer: Sealer = {
      seal: (plaintext, context) => ((calls.seal += 1), testCursorSealer.seal(plaintext, context)),
      open: (token, context) => ((calls.open += 1), testCursorSealer.open(token, context)),
      digest: (data) => ((calls.digest += 1), testCursorSealer.digest(data)),
    };
    const counting = createCursorCodec({ sealer });
    const cursors: string[] = [];
    for (let i = 0; i < 20; i++) {
      cursors.push(counting.encode({ s: 0, t: null, i, o: i, id: `s${i}` }, binding));
    }
    for (const cursor of cursors) counting.decode(cursor, binding, 'after');
    expect(calls).toEqual({ seal: 20, open: 20, digest: 1 });
  });
});

describe('toBase64Url / fromBase64Url', () => {
  it('round-trips text of every length modulo 3, including non-ASCII', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'é€𝄞', '\u0000~?>']) {
      expect(fromBase64Url(toBase64Url(text))).toBe(text);
    }
    expect(toBase64Url('~?>')).toBe('fj8-');
  });
});

describe('cursor size', () => {
  it('stays under 900 characters for a page-final edge with UUID ids and 200-character tokens', () => {
    const uuid = (k: number) => `${String(k).repeat(8)}-1111-4111-8111-111111111111`;
    const token = 'T'.repeat(200);
    const base = { s: 3, t: token, i: 49, o: 4999, id: uuid(2), n: token };
    const full = codec.encode({ ...base, p: uuid(1), f: uuid(3) }, binding);
    expect(full.length).toBeLessThan(900);
    // The two neighbour ids (`p`, `f`) cost about 110 characters; the tokens dominate.
    expect(full.length - codec.encode(base, binding).length).toBeLessThan(120);
  });
});
