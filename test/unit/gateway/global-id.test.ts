import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createGlobalIdCodec } from '../../../src/ids/global-id.js';
import type { NodeKey } from '../../../src/ids/global-id.js';
import { createHmacSigner, TAG_LENGTH } from '../../../src/policy/signing.js';
import { OTHER_SECRET, TEST_SECRET, testSigner } from '../../helpers/signing.js';

const INVALID_ID_MESSAGE =
  'This id is not a global id issued by this gateway (malformed, altered or signed with another key); use the `id` field of a Session, Stack or Fleet.';

const ids = createGlobalIdCodec({ signer: testSigner, tagLength: TAG_LENGTH });
const encodeGlobalId = (key: NodeKey) => ids.encode(key);
const decodeGlobalId = (id: string) => ids.decode(id);

/** An id built the way the codec builds one, signed with the test key, but from any text. */
function idOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url') + testSigner.sign(text);
}

function rejectionOf(id: string): GatewayError {
  try {
    decodeGlobalId(id);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`decodeGlobalId accepted ${JSON.stringify(id)}`);
}

const keys: Record<string, NodeKey> = {
  'a session': {
    type: 'Session',
    stackName: 'stack-a',
    fleetName: 'fleet-a',
    sessionId: '1f9a1e2c-7c1e-4b0a-9d3e-2a9d4c1b7e55',
  },
  'a located session': {
    type: 'Session',
    stackName: 's',
    fleetName: 'f',
    sessionId: 'id-1',
    userId: 'user@example.com',
    authenticationType: 'SAML',
    instanceId: 'i-0abc',
  },
  'a session located by its instance only': {
    type: 'Session',
    stackName: 's',
    fleetName: 'f',
    sessionId: 'id-2',
    instanceId: 'i-0abc',
  },
  'a stack': { type: 'Stack', name: 'stack-a' },
  'a fleet': { type: 'Fleet', name: 'fleet.b_2' },
  'a stack whose name uses every character AppStream allows': { type: 'Stack', name: 'a0_.-Z9' },
  'a session whose id holds quotes, colons, backslashes and unicode': {
    type: 'Session',
    stackName: 'stack.1',
    fleetName: 'fleet_2-b',
    sessionId: 'id:\\with"escapes ёлка 🚀',
  },
};

describe('encodeGlobalId', () => {
  for (const [name, key] of Object.entries(keys)) {
    it(`round-trips ${name} through an opaque base64url id`, () => {
      const id = encodeGlobalId(key);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeGlobalId(id)).toEqual(key);
    });
  }

  it('writes sessions as "v3:" and the JSON array of key parts and locator, then a 22-character signature', () => {
    const id = encodeGlobalId(keys['a session'] as NodeKey);
    expect(Buffer.from(id.slice(0, -TAG_LENGTH), 'base64url').toString()).toBe(
      'v3:["Session","stack-a","fleet-a","1f9a1e2c-7c1e-4b0a-9d3e-2a9d4c1b7e55",null,null,null]',
    );
    expect(encodeGlobalId(keys['a located session'] as NodeKey)).toBe(
      idOf('v3:["Session","s","f","id-1","user@example.com","SAML","i-0abc"]'),
    );
  });

  it('keeps writing stacks and fleets as "v2:" (their ids did not change)', () => {
    expect(encodeGlobalId({ type: 'Fleet', name: 'f' })).toBe(idOf('v2:["Fleet","f"]'));
    expect(encodeGlobalId({ type: 'Stack', name: 's' })).toBe(idOf('v2:["Stack","s"]'));
  });

  it('still reads session ids of the previous layout ("v2:", no locator)', () => {
    expect(decodeGlobalId(idOf('v2:["Session","s","f","id-1"]'))).toEqual({
      type: 'Session',
      stackName: 's',
      fleetName: 'f',
      sessionId: 'id-1',
    });
  });

  it.each([
    ['a userId without an authentication type', '["Session","s","f","id","user",null,null]'],
    ['an unknown authentication type', '["Session","s","f","id","user","LDAP",null]'],
    ['a one-character userId', '["Session","s","f","id","u","API",null]'],
    ['an empty instanceId', '["Session","s","f","id",null,null,""]'],
    ['a missing locator member', '["Session","s","f","id",null,null]'],
    ['a stack in the session layout', '["Stack","s"]'],
    ['a locator that is not a string', '["Session","s","f","id",7,"API",null]'],
  ])('rejects a signed v3 id with %s', (_name, json) => {
    expect(rejectionOf(idOf(`v3:${json}`)).message).toBe(INVALID_ID_MESSAGE);
  });

  it('gives a stack and a fleet of the same name different ids', () => {
    expect(encodeGlobalId({ type: 'Stack', name: 'same' })).not.toBe(
      encodeGlobalId({ type: 'Fleet', name: 'same' }),
    );
  });
});

describe('decodeGlobalId', () => {
  const malformed: Array<{ name: string; id: string }> = [
    { name: 'the empty string', id: '' },
    { name: 'text with characters outside base64url', id: 'djE6WyJTdGFjayIsImEiXQ==' },
    { name: 'standard base64 with "+" and "/"', id: 'ab+/cd' },
    { name: 'whitespace around a valid id', id: ` ${idOf('v2:["Stack","a"]')}` },
    { name: 'an id longer than 2048 characters', id: 'A'.repeat(2049) },
    { name: 'an id without its signature', id: idOf('v2:["Stack","a"]').slice(0, -TAG_LENGTH) },
    { name: 'a signature alone', id: testSigner.sign('v2:["Stack","a"]') },
    { name: 'a missing version', id: idOf('["Stack","a"]') },
    { name: 'an unknown version', id: idOf('v4:["Stack","a"]') },
    { name: 'a version without its colon', id: idOf('v2["Stack","a"]') },
    { name: 'JSON that does not parse', id: idOf('v2:["Stack","a"') },
    { name: 'JSON that is not an array', id: idOf('v2:{"type":"Stack","name":"a"}') },
    { name: 'an array with a non-string part', id: idOf('v2:["Stack",7]') },
    { name: 'an array with a null part', id: idOf('v2:["Stack",null]') },
    { name: 'an empty array', id: idOf('v2:[]') },
    { name: 'an unknown type', id: idOf('v2:["User","a"]') },
    { name: 'a type in the wrong case', id: idOf('v2:["stack","a"]') },
    { name: 'a stack with no name', id: idOf('v2:["Stack"]') },
    { name: 'a stack with an empty name', id: idOf('v2:["Stack",""]') },
    { name: 'a fleet with two names', id: idOf('v2:["Fleet","a","b"]') },
    { name: 'a session with three parts', id: idOf('v2:["Session","s","f"]') },
    { name: 'a session with five parts', id: idOf('v2:["Session","s","f","i","x"]') },
    { name: 'a session with an empty stack name', id: idOf('v2:["Session","","f","i"]') },
    { name: 'a session with an empty fleet name', id: idOf('v2:["Session","s","","i"]') },
    { name: 'a session with an empty session id', id: idOf('v2:["Session","s","f",""]') },
    { name: 'a valid id with trailing characters', id: `${idOf('v2:["Stack","a"]')}AAAA` },
  ];

  for (const { name, id } of malformed) {
    it(`rejects ${name} as BAD_USER_INPUT`, () => {
      const error = rejectionOf(id);
      expect({ code: error.code, message: error.message }).toEqual({
        code: ErrorCode.BAD_USER_INPUT,
        message: INVALID_ID_MESSAGE,
      });
    });
  }

  it('accepts an id of exactly 2048 characters when it decodes to a key', () => {
    const key = {
      type: 'Session',
      stackName: 's',
      fleetName: 'f',
      sessionId: 'x'.repeat(1479),
    } as const;
    const id = encodeGlobalId(key);
    expect(id).toHaveLength(2048);
    expect(decodeGlobalId(id)).toEqual(key);
  });

  it.each([
    ["a stack name that breaks AppStream's pattern", ['Stack', 'bad name!']],
    ['a fleet name that starts with a dot', ['Fleet', '.fleet']],
    ['a session whose stack name is too long', ['Session', 's'.repeat(102), 'f', 'id']],
  ])('rejects %s, so that forged ids never reach AppStream', (_name, parts) => {
    // Even signed with the key: the parts are checked behind the signature too.
    expect(() => decodeGlobalId(idOf(`v2:${JSON.stringify(parts)}`))).toThrow(GatewayError);
  });
});

describe('decodeGlobalId and non-canonical spellings', () => {
  it('rejects a spelling of the same bytes that the gateway never issues', () => {
    const id = encodeGlobalId({ type: 'Stack', name: 'a' });
    expect(id.slice(0, -TAG_LENGTH)).toBe('djI6WyJTdGFjayIsImEiXQ');
    const respelled = `djI6WyJTdGFjayIsImEiXR${id.slice(-TAG_LENGTH)}`;
    expect(() => decodeGlobalId(respelled)).toThrow(GatewayError);
  });
});

describe('signed global ids', () => {
  const stack: NodeKey = { type: 'Stack', name: 'stack-a' };

  it('rejects every single-character change of an id, without saying which part was wrong', () => {
    const id = encodeGlobalId(keys['a session'] as NodeKey);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let k = 0; k < id.length; k++) {
      const replacement = alphabet.charAt((alphabet.indexOf(id.charAt(k)) + 1 + (k % 63)) % 64);
      expect(rejectionOf(id.slice(0, k) + replacement + id.slice(k + 1)).code).toBe(
        ErrorCode.BAD_USER_INPUT,
      );
    }
  });

  it('rejects an id whose payload names another object under the original signature', () => {
    const id = encodeGlobalId(stack);
    const other = Buffer.from('v2:["Stack","stack-b"]').toString('base64url');
    expect(rejectionOf(other + id.slice(-TAG_LENGTH)).message).toBe(INVALID_ID_MESSAGE);
  });

  it('rejects an id signed with another secret, and reads one signed with the previous secret', () => {
    const other = createGlobalIdCodec({
      signer: createHmacSigner({ secret: OTHER_SECRET }),
      tagLength: TAG_LENGTH,
    });
    expect(rejectionOf(other.encode(stack)).message).toBe(INVALID_ID_MESSAGE);
    const rotated = createGlobalIdCodec({
      signer: createHmacSigner({ secret: OTHER_SECRET, previous: TEST_SECRET }),
      tagLength: TAG_LENGTH,
    });
    expect(rotated.decode(encodeGlobalId(stack))).toEqual(stack);
    expect(rejectionOf(rotated.encode(stack)).message).toBe(INVALID_ID_MESSAGE);
  });

  it('refuses the unsigned v1 ids of earlier releases with a message that says what to do', () => {
    const v1 = Buffer.from('v1:["Stack","stack-a"]').toString('base64url');
    expect(rejectionOf(v1)).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      message:
        'This id was issued by an earlier version of the gateway; fetch the object again and use its current `id`.',
    });
  });
});
