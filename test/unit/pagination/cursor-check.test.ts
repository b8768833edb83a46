import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { toBase64Url } from '../../../src/pagination/base64url.js';
import {
  CURSOR_PREFIX,
  MAX_CURSOR_LENGTH,
  createCursorCodec,
} from '../../../src/pagination/index.js';
import type { CursorPosition } from '../../../src/pagination/index.js';
import { testCursorSealer, testSigner } from '../../helpers/signing.js';

const codec = createCursorCodec({ sealer: testCursorSealer });
const pageFinal: CursorPosition = {
  s: 0,
  t: 'tok-1',
  i: 49,
  o: 99,
  id: 's099',
  p: 's098',
  n: 'tok-2',
  f: 's100',
};
const bindings = ['', 'sessions|stack-a/fleet-a|', 'sessions|stack-b/fleet-a|state=ACTIVE'];

/** A cursor sealed with the test key from any payload (what only a holder of the key could build). */
function forge(json: string): string {
  return CURSOR_PREFIX + (testCursorSealer.sealIndexed(json, 'appstream-cursor:5', 1)[0] ?? '');
}

/** A readable cursor of the earlier releases' format, signed as version 3 cursors were. */
function readable(json: string, version: string, prefix = 'appstream'): string {
  const body = `${prefix}:${version}:${json}`;
  return toBase64Url(`${body}:${testSigner.sign(body)}`);
}

/** The error `run` throws (a BAD_USER_INPUT GatewayError), or a failure when it throws none. */
function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    return error as GatewayError;
  }
  throw new Error('cursor was accepted');
}

describe('CursorCodec.check', () => {
  it('accepts a valid cursor whatever binding it was issued for', () => {
    for (const binding of bindings) {
      for (const position of [pageFinal, { s: 3, t: null, i: 0, o: 0, id: 'a' }]) {
        const cursor = codec.encode(position, binding);
        expect(() => {
          codec.check(cursor, 'after');
          codec.check(cursor, 'before');
        }).not.toThrow();
      }
    }
  });

  it('leaves the binding to decode: a foreign cursor passes check and fails decode', () => {
    const cursor = codec.encode(pageFinal, bindings[1] ?? '');
    expect(() => codec.check(cursor, 'after')).not.toThrow();
    expect(thrown(() => codec.decode(cursor, bindings[2] ?? '', 'after')).message).toContain(
      'belongs to a different query',
    );
  });

  it('rejects every malformed or altered cursor with the very error decode gives', () => {
    const valid = codec.encode(pageFinal, bindings[1] ?? '');
    const [body = '', tail = ''] = valid.slice(CURSOR_PREFIX.length).split(/(?=\.)/);
    const sealed = Buffer.from(body, 'base64url');
    const edited = Buffer.from(sealed);
    edited[30] = (edited[30] ?? 0) ^ 0x80;
    const json = JSON.stringify({ b: 'x', s: 0, t: null, d: 0, e: [[0, 'a']] });
    const testCases: Array<[string, string]> = [
      ['A'.repeat(MAX_CURSOR_LENGTH + 1), '(too long)'],
      ['abc$', '(truncated or altered: not a cursor this gateway issued)'],
      ['YR', '(truncated or altered: not a cursor this gateway issued)'],
      ['', '(unknown format)'],
      [readable(json, '2', 'appstream-sessions'), '(unknown format)'],
      [readable(json, '1'), 'is a cursor of version 1; this server reads version 5 only'],
      [readable(json, '3'), 'is a cursor of version 3; this server reads version 5 only'],
      [readable(json, 'v9'), 'is a cursor of an unknown version'],
      [`c3_${valid.slice(CURSOR_PREFIX.length)}`, 'is a cursor of version 3'],
      [CURSOR_PREFIX + edited.toString('base64url') + tail, 'was modified'],
      [CURSOR_PREFIX + sealed.subarray(0, -1).toString('base64url') + tail, 'was modified'],
      [CURSOR_PREFIX + body, 'was modified'],
      [valid.slice(0, -1), 'was modified'],
      [valid.slice(0, 20) + (valid.charAt(20) === 'A' ? 'B' : 'A') + valid.slice(21), ''],
      [forge('{not json'), '(payload is not JSON)'],
      [forge('[]'), '(payload is not an object)'],
      [forge(json.replace('"b":"x"', '"b":1')), '(missing query binding)'],
      [forge(json.replace('"d":0', '"d":-1')), '(positions must be non-negative integers)'],
      [forge(json.replace('"a"', '7')), '(malformed edge)'],
      [forge(json.replace('"t":null', '"t":7')), '(page token must be a string or null)'],
      [forge(json.replace('}', ',"x":0,"n":7}')), '(next token must be a string or null)'],
      [forge(json.replace('}', ',"x":0,"n":"n","f":7}')), '(neighbour ids must be strings)'],
    ];
    for (const [cursor, reason] of testCases) {
      for (const argName of ['after', 'before'] as const) {
        const error = thrown(() => codec.check(cursor, argName));
        expect(error.message).toContain(reason);
        expect(error.message).toContain(`\`${argName}\``);
        expect(error.message).toBe(
          thrown(() => codec.decode(cursor, bindings[1] ?? '', argName)).message,
        );
      }
    }
  });
});
