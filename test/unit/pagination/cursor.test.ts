import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { toBase64Url, fromBase64Url } from '../../../src/pagination/base64url.js';
import {
  CURSOR_PREFIX,
  CURSOR_VERSION,
  MAX_CURSOR_LENGTH,
  createCursorCodec,
} from '../../../src/pagination/index.js';
import type { CursorPosition } from '../../../src/pagination/index.js';
import { createHmacSigner } from '../../../src/policy/signing.js';
import { OTHER_SECRET, TEST_SECRET, testSigner } from '../../helpers/signing.js';

const codec = createCursorCodec({ signer: testSigner });
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

/** A cursor text with a valid signature: what only a holder of the key could build. */
function forge(body: string): string {
  return toBase64Url(`${body}:${testSigner.sign(body)}`);
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
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(SECRET);
      expect(codec.decode(cursor, binding, 'after')).toEqual(position);
      expect(fromBase64Url(cursor)?.startsWith(`appstream:3:`)).toBe(true);
    });
  }

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

  it('rejects an edited payload re-encoded without a valid signature', () => {
    const cursor = codec.encode({ s: 0, t: null, i: 3, o: 3, id: 's003' }, binding);
    const text = fromBase64Url(cursor) ?? '';
    const edited = toBase64Url(text.replace('"i":3', '"i":4'));
    expect(rejection(edited)).toBe(
      '`after` cursor was modified or signed with another key (its signature does not match); pass cursors exactly as returned in edges or pageInfo, or request the first page again without after/before.',
    );
    expect(rejection(toBase64Url(text.slice(0, text.lastIndexOf(':'))))).toContain('was modified');
  });

  it('rejects a cursor of another query (other binding), saying what to change', () => {
    const cursor = codec.encode({ s: 0, t: null, i: 3, o: 3, id: 's003' }, binding);
    expect(rejection(cursor, 'sessions|stack-b/fleet-a|', 'before')).toBe(
      '`before` cursor belongs to a different query (other stack, fleet or filters); request the first page again without after/before, or restore the arguments the cursor came from.',
    );
  });

  it('rejects a cursor of another version or format', () => {
    const payload = '{"b":"x","s":0,"t":null,"i":0,"o":0,"id":"a"}';
    expect(rejection(forge(`${CURSOR_PREFIX}:1:${payload}`))).toBe(
      '`after` is a cursor of version 1; this server reads version 3 only. Request the first page again without after/before.',
    );
    expect(rejection(forge(`appstream-sessions:1:${payload}`))).toContain('(unknown format)');
    expect(rejection(forge(`${CURSOR_PREFIX}:v9:${payload}`))).toContain('an unknown version');
    expect(rejection(forge(`arrayconnection:1:${payload}`))).toContain('(unknown format)');
    expect(rejection(toBase64Url('arrayconnection:5'))).toContain('(unknown format)');
  });

  it('rejects malformed cursors with a clear reason', () => {
    const bindingHash = testSigner.sign(`binding:${binding}`);
    const body = (json: string) => `${CURSOR_PREFIX}:${CURSOR_VERSION}:${json}`;
    const valid = { b: bindingHash, s: 0, t: null, i: 0, o: 0, id: 'a' };
    const cases: Array<[string, string]> = [
      ['', '(unknown format)'],
      ['abc$', '(truncated or altered: not a cursor this gateway issued)'],
      ['YW=', '(truncated or altered: not a cursor this gateway issued)'],
      ['A', '(truncated or altered: not a cursor this gateway issued)'],
      ['YR', '(truncated or altered: not a cursor this gateway issued)'], // non-zero trailing bits: not canonical
      ['_-8', '(truncated or altered: not a cursor this gateway issued)'], // invalid UTF-8
      ['A'.repeat(MAX_CURSOR_LENGTH + 1), '(too long)'],
      [forge(body('{not json')), '(payload is not JSON)'],
      [forge(body('[1,2]')), '(payload is not an object)'],
      [forge(body(JSON.stringify({ ...valid, b: 1 }))), '(missing query binding)'],
      [
        forge(body(JSON.stringify({ ...valid, i: -1 }))),
        '(positions must be non-negative integers)',
      ],
      [
        forge(body(JSON.stringify({ ...valid, s: 1.5 }))),
        '(positions must be non-negative integers)',
      ],
      [
        forge(body(JSON.stringify({ ...valid, o: '3' }))),
        '(positions must be non-negative integers)',
      ],
      [forge(body(JSON.stringify({ ...valid, id: 7 }))), '(missing item id)'],
      [forge(body(JSON.stringify({ ...valid, t: 7 }))), '(page token must be a string or null)'],
      [forge(body(JSON.stringify({ ...valid, n: 7 }))), '(next token must be a string or null)'],
      [forge(body(JSON.stringify({ ...valid, p: null }))), '(neighbour ids must be strings)'],
      [forge(body(JSON.stringify({ ...valid, f: 7 }))), '(neighbour ids must be strings)'],
    ];
    for (const [cursor, reason] of cases) expect(rejection(cursor)).toContain(reason);
    expect(codec.decode(forge(body(JSON.stringify(valid))), binding, 'after')).toEqual({
      s: 0,
      t: null,
      i: 0,
      o: 0,
      id: 'a',
    });
  });

  it('rejects a cursor signed with another secret, and reads one signed with the previous secret', () => {
    const position = { s: 0, t: null, i: 1, o: 1, id: 'b' };
    const other = createCursorCodec({ signer: createHmacSigner({ secret: OTHER_SECRET }) });
    const cursor = other.encode(position, binding);
    expect(other.decode(cursor, binding, 'after')).toEqual(position);
    expect(rejection(cursor)).toContain('signed with another key');
    // After a rotation to OTHER_SECRET, with TEST_SECRET kept as the previous key:
    const rotated = createCursorCodec({
      signer: createHmacSigner({ secret: OTHER_SECRET, previous: TEST_SECRET }),
    });
    expect(rotated.decode(codec.encode(position, binding), binding, 'after')).toEqual(position);
    expect(() => rotated.decode(codec.encode(position, binding), 'other', 'after')).toThrow(
      /belongs to a different query/,
    );
    // ... and it signs with the new key only.
    expect(rejection(rotated.encode(position, binding))).toContain('signed with another key');
  });

  it('signs once per encoded cursor and once per binding, not per edge', () => {
    let signatures = 0;
    const counting = createCursorCodec({
      signer: {
        sign: (data) => ((signatures += 1), testSigner.sign(data)),
        verify: (data, tag) => testSigner.verify(data, tag),
      },
    });
    for (let i = 0; i < 20; i++) counting.encode({ s: 0, t: null, i, o: i, id: `s${i}` }, binding);
    expect(signatures).toBe(21);
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
