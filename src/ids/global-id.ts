import { badUserInput } from '../errors.js';
import type { Signer } from '../pagination/index.js';
import { APPSTREAM_NAME_PATTERN } from '../upstream/types.js';

/**
 * What a global id identifies: its type and the key that fetches it again. Session keys carry the
 * (stack, fleet) pair because AppStream lists sessions only per pair.
 */
export type NodeKey =
  | {
      readonly type: 'Session';
      readonly stackName: string;
      readonly fleetName: string;
      readonly sessionId: string;
    }
  | { readonly type: 'Stack'; readonly name: string }
  | { readonly type: 'Fleet'; readonly name: string };

/** Turns node keys into opaque, signed global ids and back. */
export interface GlobalIdCodec {
  /** The global id of `key`: URL-safe, opaque, signed. */
  encode(key: NodeKey): string;
  /**
   * The key of an id this gateway issued (with the current or the previous secret). Anything
   * else (wrong encoding, unknown or retired version, bad signature, wrong arity, a name that
   * breaks AppStream's pattern) is a `BAD_USER_INPUT` error that says what to do; nothing forged
   * ever reaches AppStream.
   */
  decode(id: string): NodeKey;
}

/** Current layout. `v1` ids carried no signature and are refused. */
const VERSION = 'v2';
const RETIRED_VERSIONS = ['v1'];
/** Longer ids are rejected before decoding. */
export const MAX_GLOBAL_ID_LENGTH = 2048;

/** Whether `id` is an unsigned id of a retired layout (the whole id is its base64url text). */
function isRetired(id: string): boolean {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  return (
    RETIRED_VERSIONS.some((version) => text.startsWith(`${version}:[`)) &&
    Buffer.from(text, 'utf8').toString('base64url') === id
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
}

/** Options of {@link createGlobalIdCodec}. */
export interface GlobalIdCodecOptions {
  /** The keyed MAC (shared with cursors); its tags have a fixed length, `tagLength`. */
  readonly signer: Signer;
  /** Length of every tag `signer` returns (22 for `createHmacSigner`). */
  readonly tagLength: number;
}

/**
 * Creates the global id codec. An id is base64url(`v2:` + JSON array of type and key parts)
 * followed by the signer's fixed-length tag over that text.
 */
export function createGlobalIdCodec(options: GlobalIdCodecOptions): GlobalIdCodec {
  const { signer, tagLength } = options;
  const invalid = () =>
    badUserInput(
      'This id is not a global id issued by this gateway (malformed, altered or signed with ' +
        'another key); use the `id` field of a Session, Stack or Fleet.',
    );
  return {
    encode(key) {
      const parts =
        key.type === 'Session'
          ? [key.type, key.stackName, key.fleetName, key.sessionId]
          : [key.type, key.name];
      const text = `${VERSION}:${JSON.stringify(parts)}`;
      return Buffer.from(text, 'utf8').toString('base64url') + signer.sign(text);
    },
    decode(id) {
      if (id.length > MAX_GLOBAL_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) throw invalid();
      if (isRetired(id)) {
        throw badUserInput(
          'This id was issued by an earlier version of the gateway; fetch the object again ' +
            'and use its current `id`.',
        );
      }
      const encoded = id.slice(0, -tagLength);
      const text = Buffer.from(encoded, 'base64url').toString('utf8');
      // Node decodes non-canonical spellings too; accept only the one spelling the gateway issues.
      if (encoded === '' || Buffer.from(text, 'utf8').toString('base64url') !== encoded) {
        throw invalid();
      }
      if (!text.startsWith(`${VERSION}:`) || !signer.verify(text, id.slice(-tagLength))) {
        throw invalid();
      }
      return parseKey(text.slice(VERSION.length + 1), invalid);
    },
  };
}

/** The key in a verified id's JSON; the checks stay as a second line behind the signature. */
function parseKey(json: string, invalid: () => Error): NodeKey {
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (!isStringArray(parts)) throw invalid();
  const [type, first, second, third] = parts;
  // Names the gateway issued always match AppStream's pattern; anything else is forged.
  const isName = (value: string | undefined): value is string =>
    value !== undefined && APPSTREAM_NAME_PATTERN.test(value);
  if (type === 'Session' && parts.length === 4 && isName(first) && isName(second) && third) {
    return { type, stackName: first, fleetName: second, sessionId: third };
  }
  if ((type === 'Stack' || type === 'Fleet') && parts.length === 2 && isName(first)) {
    return { type, name: first };
  }
  throw invalid();
}
