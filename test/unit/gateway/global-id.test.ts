import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { createGlobalIdCodec, GLOBAL_ID_PREFIX } from '../../../src/ids/global-id.js';
import type { NodeKey } from '../../../src/ids/global-id.js';
import { createSealer } from '../../../src/policy/sealing.js';
import { createHmacSigner, TAG_LENGTH } from '../../../src/policy/signing.js';
import {
  OTHER_SECRET,
  TEST_SECRET,
  testCursorSealer,
  testIdSealer,
  testSigner,
} from '../../helpers/signing.js';

const INVALID_ID_MESSAGE =
  'This id is not a global id issued by this gateway (malformed, altered or signed with another key); use the `id` field of a Session, Stack or Fleet.';

const readable = { signer: testSigner, tagLength: TAG_LENGTH };
const ids = createGlobalIdCodec({ sealer: testIdSealer, readable });
const encodeGlobalId = (key: NodeKey) => ids.encode(key);
const decodeGlobalId = (id: string) => ids.decode(id);
/** What the encryption of a `v4` id authenticates beside its payload. */
const CONTEXT = 'appstream-global-id:4';

/**
 * A readable id of the layouts earlier releases issued (`v2`, `v3`), signed with the test key,
 * from any text: what those releases wrote, and what only a holder of the key could build.
 */
function idOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url') + testSigner.sign(text);
}

/** A `v4` id sealed with the test key from any JSON (what only a holder of the key could build). */
function sealedIdOf(json: string): string {
  return GLOBAL_ID_PREFIX + testIdSealer.seal(json, CONTEXT);
}

/** Every string an id's bytes can show, decoded as UTF-8 and as Latin-1, prefix or not. */
function readings(id: string): string[] {
  return [id, id.slice(GLOBAL_ID_PREFIX.length)].flatMap((text) =>
    (['utf8', 'latin1'] as const).map((encoding) =>
      Buffer.from(text, 'base64url').toString(encoding),
    ),
  );
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

  it('writes "v4_" and the sealed JSON array of key parts and locator, padded to 32 bytes', () => {
    const id = encodeGlobalId(keys['a located session'] as NodeKey);
    expect(id.startsWith('v4_')).toBe(true);
    const json = '["Session","s","f","id-1","user@example.com","SAML","i-0abc"]';
    expect(testIdSealer.open(id.slice(3), CONTEXT)).toBe(json.padEnd(64));
    expect(encodeGlobalId({ type: 'Fleet', name: 'f' })).toBe(
      sealedIdOf('["Fleet","f"]'.padEnd(32)),
    );
  });

  it('shows nothing of the key: no user, instance, stack, fleet or session id in its bytes', () => {
    const key = {
      type: 'Session',
      stackName: 'engineering-desktops',
      fleetName: 'eng-linux-alwayson',
      sessionId: 'b3d3a1c2-7c1e-4b0a-9d3e-2a9d4c1b7e55',
      userId: 'ihaddad@corp.example.com',
      authenticationType: 'AWS_AD',
      instanceId: 'i-0715d3c2b1a09f8e7',
    } as const;
    const secrets = ['engineering', 'eng-linux', 'b3d3a1c2', 'ihaddad', 'corp.example', 'i-0715'];
    for (const id of [
      encodeGlobalId(key),
      encodeGlobalId({ type: 'Stack', name: key.stackName }),
    ]) {
      for (const reading of readings(id)) {
        for (const secret of [...secrets, 'Session', 'Stack', 'AWS_AD']) {
          expect(reading).not.toContain(secret);
        }
      }
    }
  });

  it('gives the same id for the same key in every codec sharing the key, another with another key', () => {
    const replica = createGlobalIdCodec({
      sealer: createSealer({ secret: TEST_SECRET, purpose: 'global-id' }),
    });
    const other = createGlobalIdCodec({
      sealer: createSealer({ secret: OTHER_SECRET, purpose: 'global-id' }),
    });
    for (const key of Object.values(keys)) {
      expect(replica.encode(key)).toBe(encodeGlobalId(key));
      expect(other.encode(key)).not.toBe(encodeGlobalId(key));
    }
  });

  it("pads payloads to 32 bytes, so that an id's length does not give away a name's length", () => {
    const lengths = ['a', 'abcdefghij', 'a'.repeat(17)].map(
      (name) => encodeGlobalId({ type: 'Stack', name }).length,
    );
    expect(new Set(lengths).size).toBe(1);
  });

  it('still reads the readable ids of earlier releases ("v2:" and "v3:"), during a transition', () => {
    expect(decodeGlobalId(idOf('v2:["Session","s","f","id-1"]'))).toEqual({
      type: 'Session',
      stackName: 's',
      fleetName: 'f',
      sessionId: 'id-1',
    });
    expect(decodeGlobalId(idOf('v2:["Stack","s"]'))).toEqual({ type: 'Stack', name: 's' });
    expect(
      decodeGlobalId(idOf('v3:["Session","s","f","id-1","user@example.com","SAML","i-0abc"]')),
    ).toEqual(keys['a located session']);
  });

  it('refuses readable ids as of an earlier version once the codec stops reading them', () => {
    const sealedOnly = createGlobalIdCodec({ sealer: testIdSealer });
    for (const text of ['v2:["Stack","s"]', 'v3:["Session","s","f","id-1",null,null,null]']) {
      expect(() => sealedOnly.decode(idOf(text))).toThrow(
        'This id was issued by an earlier version of the gateway; fetch the object again and use its current `id`.',
      );
    }
    expect(sealedOnly.decode(encodeGlobalId({ type: 'Stack', name: 's' }))).toEqual({
      type: 'Stack',
      name: 's',
    });
  });

  const badLocators: Array<[string, string]> = [
    ['a userId without an authentication type', '["Session","s","f","id","user",null,null]'],
    ['an unknown authentication type', '["Session","s","f","id","user","LDAP",null]'],
    ['a one-character userId', '["Session","s","f","id","u","API",null]'],
    ['an empty instanceId', '["Session","s","f","id",null,null,""]'],
    ['a missing locator member', '["Session","s","f","id",null,null]'],
    ['a stack in the session layout', '["Stack","s"]'],
    ['a locator that is not a string', '["Session","s","f","id",7,"API",null]'],
  ];
  it.each(badLocators)('rejects a signed v3 id with %s', (_name, json) => {
    expect(rejectionOf(idOf(`v3:${json}`)).message).toBe(INVALID_ID_MESSAGE);
  });
  it.each(badLocators.filter(([, json]) => json.startsWith('["Session"')))(
    'rejects a sealed v4 id with %s',
    (_name, json) => {
      expect(rejectionOf(sealedIdOf(json)).message).toBe(INVALID_ID_MESSAGE);
    },
  );

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
    { name: 'the v4 prefix alone', id: 'v4_' },
    {
      name: 'a v4 id without its prefix',
      id: encodeGlobalId({ type: 'Stack', name: 'a' }).slice(3),
    },
    {
      name: 'a v4 id missing its last character',
      id: encodeGlobalId({ type: 'Stack', name: 'a' }).slice(0, -1),
    },
    {
      name: 'a v4 id with trailing characters',
      id: `${encodeGlobalId({ type: 'Stack', name: 'a' })}AAAA`,
    },
    {
      name: 'a v4 id of another version',
      id: `v5_${encodeGlobalId({ type: 'Stack', name: 'a' }).slice(3)}`,
    },
    {
      name: 'a cursor sealed as an id',
      id: `v4_${testCursorSealer.seal('["Stack","a"]', CONTEXT)}`,
    },
    {
      name: 'an id sealed for another context',
      id: `v4_${testIdSealer.seal('["Stack","a"]', 'appstream-global-id:5')}`,
    },
    { name: 'sealed JSON that does not parse', id: sealedIdOf('["Stack","a"') },
    { name: 'sealed JSON that is not an array', id: sealedIdOf('{"type":"Stack","name":"a"}') },
    { name: 'a sealed array with a non-string part', id: sealedIdOf('["Stack",7]') },
    { name: 'a sealed empty array', id: sealedIdOf('[]') },
    { name: 'a sealed unknown type', id: sealedIdOf('["User","a"]') },
    { name: 'a sealed fleet with two names', id: sealedIdOf('["Fleet","a","b"]') },
    {
      name: 'a sealed session of the v2 layout (no locator)',
      id: sealedIdOf('["Session","s","f","i"]'),
    },
    {
      name: 'a sealed stack whose name breaks the pattern',
      id: sealedIdOf('["Stack","bad name!"]'),
    },
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

  it('accepts the longest id it issues within 2048 characters, and refuses one over 2048', () => {
    const key = (length: number) =>
      ({ type: 'Session', stackName: 's', fleetName: 'f', sessionId: 'x'.repeat(length) }) as const;
    // 1504 bytes of padded payload + 28 of sealing: 2043 characters, with the prefix 2046.
    const longest = encodeGlobalId(key(1450));
    expect(longest).toHaveLength(2046);
    expect(decodeGlobalId(longest)).toEqual(key(1450));
    const tooLong = encodeGlobalId(key(1480));
    expect(tooLong.length).toBeGreaterThan(2048);
    expect(rejectionOf(tooLong).message).toBe(INVALID_ID_MESSAGE);
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
    const id = idOf('v2:["Stack","a"]');
    expect(decodeGlobalId(id)).toEqual({ type: 'Stack', name: 'a' });
    expect(id.slice(0, -TAG_LENGTH)).toBe('djI6WyJTdGFjayIsImEiXQ');
    const respelled = `djI6WyJTdGFjayIsImEiXR${id.slice(-TAG_LENGTH)}`;
    expect(() => decodeGlobalId(respelled)).toThrow(GatewayError);
  });

  it('rejects another spelling of a v4 id (unused bits of its last character set)', () => {
    const id = encodeGlobalId(keys['a session'] as NodeKey);
    const sealed = Buffer.from(id.slice(3), 'base64url');
    // 96 bytes of padded payload + 28: 124 bytes, so the last character carries 4 unused bits.
    expect(sealed.length % 3).toBe(1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = id.slice(0, -1) + alphabet.charAt(alphabet.indexOf(id.slice(-1)) + 1);
    expect(Buffer.from(respelled.slice(3), 'base64url').equals(sealed)).toBe(true);
    expect(rejectionOf(respelled).message).toBe(INVALID_ID_MESSAGE);
  });
});

describe('sealed global ids', () => {
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

  it('rejects a readable id whose payload names another object under the original signature', () => {
    const id = idOf('v2:["Stack","stack-a"]');
    const other = Buffer.from('v2:["Stack","stack-b"]').toString('base64url');
    expect(rejectionOf(other + id.slice(-TAG_LENGTH)).message).toBe(INVALID_ID_MESSAGE);
  });

  it("rejects a v4 id spliced from two ids (one's IV, the other's ciphertext and tag)", () => {
    const sealed = (key: NodeKey) => Buffer.from(encodeGlobalId(key).slice(3), 'base64url');
    const b = sealed({ type: 'Stack', name: 'stack-b' });
    const spliced = Buffer.concat([sealed(stack).subarray(0, 12), b.subarray(12)]);
    expect(rejectionOf(`v4_${spliced.toString('base64url')}`).message).toBe(INVALID_ID_MESSAGE);
  });

  it('rejects an id sealed or signed with another secret, and reads one of the previous secret', () => {
    const other = createGlobalIdCodec({
      sealer: createSealer({ secret: OTHER_SECRET, purpose: 'global-id' }),
    });
    expect(rejectionOf(other.encode(stack)).message).toBe(INVALID_ID_MESSAGE);
    const otherSigner = createHmacSigner({ secret: OTHER_SECRET });
    const otherReadable = `${Buffer.from('v2:["Stack","stack-a"]').toString('base64url')}${otherSigner.sign('v2:["Stack","stack-a"]')}`;
    expect(rejectionOf(otherReadable).message).toBe(INVALID_ID_MESSAGE);
    const rotated = createGlobalIdCodec({
      sealer: createSealer({ secret: OTHER_SECRET, previous: TEST_SECRET, purpose: 'global-id' }),
      readable: {
        signer: createHmacSigner({ secret: OTHER_SECRET, previous: TEST_SECRET }),
        tagLength: TAG_LENGTH,
      },
    });
    expect(rotated.decode(encodeGlobalId(stack))).toEqual(stack);
    expect(rotated.decode(idOf('v2:["Stack","stack-a"]'))).toEqual(stack);
    expect(rotated.decode(otherReadable)).toEqual(stack);
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
