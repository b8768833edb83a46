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
/** What the encryption of a version 5 cursor authenticates beside its payload. */
const CONTEXT = 'appstream-cursor:5';
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
function forge(json: string, index = 0): string {
  return CURSOR_PREFIX + (testCursorSealer.sealIndexed(json, CONTEXT, index + 1)[index] ?? '');
}

/** A readable cursor of versions 1 to 3 (signed with the test key for version 3, as they were). */
function readable(body: string): string {
  return toBase64Url(`${body}:${testSigner.sign(body)}`);
}

/** Every string a cursor's bytes can show, decoded as UTF-8 and as Latin-1, prefix or not. */
function readings(cursor: string): string[] {
  const body = cursor.slice(CURSOR_PREFIX.length).split('.')[0] ?? '';
  return [cursor, cursor.slice(CURSOR_PREFIX.length), body].flatMap((text) =>
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
      expect(cursor).toMatch(/^c5_[A-Za-z0-9_-]+\.0\.[A-Za-z0-9_-]{11}$/);
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
    const [body = '', tail = ''] = cursor.slice(CURSOR_PREFIX.length).split(/(?=\.)/);
    const sealed = Buffer.from(body, 'base64url');
    const respell = (bytes: Buffer) => CURSOR_PREFIX + bytes.toString('base64url') + tail;
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
      d: 0,
      e: [[0, 'a']],
    });
    expect(codec.decode(forge(json), binding, 'after')).toEqual({
      s: 0,
      t: null,
      i: 0,
      o: 0,
      id: 'a',
    });
    const idSealer = createSealer({ secret: TEST_SECRET, purpose: 'global-id' });
    const [asId = ''] = idSealer.sealIndexed(json, CONTEXT, 1);
    expect(rejection(CURSOR_PREFIX + asId)).toContain('was modified');
    const [otherVersion = ''] = testCursorSealer.sealIndexed(json, 'appstream-cursor:6', 1);
    expect(rejection(CURSOR_PREFIX + otherVersion)).toContain('was modified');
    // A body sealed alone (no index and tag), or with a tag of another index.
    expect(rejection(CURSOR_PREFIX + testCursorSealer.seal(json, CONTEXT))).toContain(
      'was modified',
    );
    const [first = '', second = ''] = testCursorSealer.sealIndexed(json, CONTEXT, 2);
    const swapped = `${first.slice(0, first.lastIndexOf('.'))}${second.slice(second.lastIndexOf('.'))}`;
    expect(rejection(CURSOR_PREFIX + swapped)).toContain('was modified');
  });

  it('rejects a cursor of another query (other binding), saying what to change', () => {
    const cursor = codec.encode({ s: 0, t: null, i: 3, o: 3, id: 's003' }, binding);
    expect(rejection(cursor, 'sessions|stack-b/fleet-a|', 'before')).toBe(
      '`before` cursor belongs to a different query (other stack, fleet, filters or `region`: one region against every region); request the first page again without after/before, or restore the arguments the cursor came from.',
    );
  });

  it('rejects a cursor of another version or format', () => {
    const payload = '{"b":"x","s":0,"t":null,"i":0,"o":0,"id":"a"}';
    expect(rejection(readable(`appstream:1:${payload}`))).toBe(
      '`after` is a cursor of version 1; this server reads version 5 only. Request the first page again without after/before.',
    );
    // What the previous release issued: one sealed payload per cursor.
    expect(rejection(`c4_${testCursorSealer.seal(payload, 'appstream-cursor:4')}`)).toBe(
      '`after` is a cursor of version 4; this server reads version 5 only. Request the first page again without after/before.',
    );
    expect(rejection(`c6_${testCursorSealer.seal(payload, CONTEXT)}`)).toBe(
      '`after` is a cursor of version 6; this server reads version 5 only. Request the first page again without after/before.',
    );
    expect(rejection(readable(`appstream-sessions:1:${payload}`))).toContain('(unknown format)');
    expect(rejection(readable(`appstream:v9:${payload}`))).toContain('an unknown version');
    expect(rejection(readable(`appstream:5:${payload}`))).toContain('(unknown format)');
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
      '`before` is a cursor of version 3; this server reads version 5 only. Request the first page again without after/before.',
    );
  });

  it('rejects malformed cursors with a clear reason', () => {
    const valid = { b: testCursorSealer.digest(binding), s: 0, t: null, d: 0, e: [[0, 'a']] };
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
      [forge(JSON.stringify({ ...valid, s: 1.5 })), '(positions must be integers)'],
      [forge(JSON.stringify({ ...valid, d: '3' })), '(positions must be integers)'],
      [forge(JSON.stringify({ ...valid, d: -1 })), '(positions must be non-negative integers)'],
      [forge(JSON.stringify({ ...valid, x: -1 })), '(positions must be non-negative integers)'],
      [forge(JSON.stringify({ ...valid, t: 7 })), '(page token must be a string or null)'],
      [forge(JSON.stringify({ ...valid, e: 'a' })), '(missing edge)'],
      [forge(JSON.stringify(valid), 1), '(missing edge)'],
      [forge(JSON.stringify({ ...valid, e: [[-1, 'a']] })), '(malformed edge)'],
      [forge(JSON.stringify({ ...valid, e: [[0, 7]] })), '(malformed edge)'],
      [forge(JSON.stringify({ ...valid, e: [[0, 'a', null]] })), '(malformed edge)'],
      [forge(JSON.stringify({ ...valid, e: [[0, 'a', 0]] })), '(malformed edge)'],
      [forge(JSON.stringify({ ...valid, e: [7, [1, 'b', 0]] }), 1), '(malformed edge)'],
      [forge(JSON.stringify({ ...valid, x: 0, n: 7 })), '(next token must be a string or null)'],
      [forge(JSON.stringify({ ...valid, x: 0, n: 'n', f: 7 })), '(neighbour ids must be strings)'],
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

  it('seals each run of edges of one page once, and digests once per binding, not per edge', () => {
    const calls = { seal: 0, sealIndexed: 0, open: 0, openIndexed: 0, digest: 0 };
    const sealer: Sealer = {
      seal: (plaintext, context) => ((calls.seal += 1), testCursorSealer.seal(plaintext, context)),
      open: (token, context) => ((calls.open += 1), testCursorSealer.open(token, context)),
      sealIndexed: (plaintext, context, count) => (
        (calls.sealIndexed += 1),
        testCursorSealer.sealIndexed(plaintext, context, count)
      ),
      openIndexed: (token, context) => (
        (calls.openIndexed += 1),
        testCursorSealer.openIndexed(token, context)
      ),
      digest: (data) => ((calls.digest += 1), testCursorSealer.digest(data)),
    };
    const counting = createCursorCodec({ sealer });
    // 25 edges: 15 on the first page (its last one page-final), 10 on the next.
    const positions: CursorPosition[] = [];
    for (let i = 0; i < 15; i++) {
      positions.push({
        s: 0,
        t: null,
        i,
        o: i,
        id: `s${String(i)}`,
        ...(i > 0 ? { p: `s${String(i - 1)}` } : {}),
        ...(i === 14 ? { n: 'page-2', f: 's15' } : {}),
      });
    }
    for (let i = 0; i < 10; i++) {
      positions.push({ s: 0, t: 'page-2', i, o: 15 + i, id: `s${String(15 + i)}` });
    }
    const cursors = counting.encodeAll(positions, binding);
    expect(cursors.map((cursor) => counting.decode(cursor, binding, 'after'))).toEqual(positions);
    // Runs: 8 and 7 edges of the first page, 8 and 2 of the second.
    expect(calls).toEqual({ seal: 0, sealIndexed: 4, open: 0, openIndexed: 25, digest: 1 });
    // One by one, each cursor means the same.
    expect(positions.map((position) => codec.encode(position, binding))).not.toEqual(cursors);
    for (const [k, position] of positions.entries()) {
      expect(codec.decode(codec.encode(position, binding), binding, 'after')).toEqual(position);
      expect(codec.decode(cursors[k] ?? '', binding, 'after')).toEqual(position);
    }
  });

  it('keeps regions apart: a run never spans two regions, and each cursor keeps its own', () => {
    const positions: CursorPosition[] = [
      { s: 0, t: null, i: 0, o: 0, id: 'a', r: 'us-east-1' },
      { s: 0, t: null, i: 1, o: 1, id: 'b', p: 'a', r: 'us-east-1' },
      { s: 0, t: null, i: 2, o: 2, id: 'c', p: 'b', r: 'eu-west-1' },
      { s: 0, t: null, i: 3, o: 3, id: 'd', p: 'c' },
    ];
    const cursors = codec.encodeAll(positions, binding);
    expect(new Set(cursors.map((cursor) => cursor.split('.')[0])).size).toBe(3);
    expect(cursors.map((cursor) => codec.decode(cursor, binding, 'after'))).toEqual(positions);
  });

  it('fingerprints ids in 48 bits, the same under every key', () => {
    const other = createCursorCodec({
      sealer: createSealer({ secret: OTHER_SECRET, purpose: 'cursor' }),
    });
    expect(codec.fingerprint('s001')).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(other.fingerprint('s001')).toBe(codec.fingerprint('s001'));
    expect(codec.fingerprint('s002')).not.toBe(codec.fingerprint('s001'));
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
  const uuid = (k: number) => `${String(k).repeat(8)}-1111-4111-8111-111111111111`;
  const token = 'T'.repeat(200);

  it('stays under 900 characters for a lone page-final edge with UUID ids and 200-character tokens', () => {
    const base = { s: 3, t: token, i: 49, o: 4999, id: uuid(2), n: token };
    const full = codec.encode({ ...base, p: uuid(1), f: uuid(3) }, binding);
    expect(full.length).toBeLessThan(900);
    // The two neighbour ids (`p`, `f`) cost about 110 characters; the tokens dominate.
    expect(full.length - codec.encode(base, binding).length).toBeLessThan(120);
  });

  it('stays under 1,200 characters for a full run of fingerprinted edges with 200-character tokens', () => {
    const positions: CursorPosition[] = [];
    for (let i = 42; i < 50; i++) {
      positions.push({
        s: 3,
        t: token,
        i,
        o: 4950 + i,
        id: codec.fingerprint(uuid(i)),
        p: codec.fingerprint(uuid(i - 1)),
        ...(i === 49 ? { n: token, f: codec.fingerprint(uuid(50)) } : {}),
      });
    }
    const cursors = codec.encodeAll(positions, binding);
    expect(new Set(cursors.map((cursor) => cursor.split('.')[0])).size).toBe(1);
    expect(cursors.map((cursor) => codec.decode(cursor, binding, 'after'))).toEqual(positions);
    for (const cursor of cursors) expect(cursor.length).toBeLessThan(1200);
    // Consecutive fingerprinted items are packed: 8 characters each, where the general form
    // (any ids, gaps between indexes) takes about 20.
    const gapped = positions.map((position, k) => ({
      ...position,
      i: position.i - 42 + 2 * k,
      o: position.o - 42 + 2 * k,
    }));
    const general = codec.encodeAll(gapped, binding);
    expect(general.map((cursor) => codec.decode(cursor, binding, 'after'))).toEqual(gapped);
    expect((general[0] ?? '').length - (cursors[0] ?? '').length).toBeGreaterThan(70);
  });

  it('keeps a first-page run of 8 edges of a list view about as short as one v4 cursor', () => {
    const positions: CursorPosition[] = [];
    for (let i = 0; i < 8; i++) {
      positions.push({
        s: 0,
        t: null,
        i,
        o: i,
        id: codec.fingerprint(uuid(i)),
        ...(i > 0 ? { p: codec.fingerprint(uuid(i - 1)) } : {}),
      });
    }
    for (const cursor of codec.encodeAll(positions, binding)) {
      expect(cursor.length).toBeLessThan(260);
    }
  });
});
