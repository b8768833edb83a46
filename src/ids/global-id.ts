import { badUserInput } from '../errors.js';
import type { Signer } from '../pagination/index.js';
import { APPSTREAM_NAME_PATTERN } from '../upstream/types.js';
import type { AuthenticationType } from '../upstream/types.js';

/**
 * What a session id carries to narrow the listing that finds it again: its user (with the
 * authentication type, which AppStream requires beside `UserId`) and its instance, when AppStream
 * reported them. Ids of the previous layout carry none.
 */
export interface SessionLocator {
  readonly userId?: string | undefined;
  readonly authenticationType?: AuthenticationType | undefined;
  readonly instanceId?: string | undefined;
}

/**
 * What a global id identifies: its type and the key that fetches it again. Session keys carry the
 * (stack, fleet) pair because AppStream lists sessions only per pair, and what narrows that
 * listing ({@link SessionLocator}).
 */
export type NodeKey =
  | ({
      readonly type: 'Session';
      readonly stackName: string;
      readonly fleetName: string;
      readonly sessionId: string;
    } & SessionLocator)
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

/**
 * Layouts: `v3` for sessions (the key plus its {@link SessionLocator}), `v2` for stacks and
 * fleets (and for sessions issued before `v3`, still accepted: they carry no locator). `v1` ids
 * carried no signature and are refused.
 */
const SESSION_VERSION = 'v3';
const VERSION = 'v2';
const ACCEPTED_VERSIONS = [SESSION_VERSION, VERSION];
const RETIRED_VERSIONS = ['v1'];
/** Longer ids are rejected before decoding (the longest real id is about 700 characters). */
export const MAX_GLOBAL_ID_LENGTH = 2048;

const AUTHENTICATION_TYPES: readonly string[] = ['API', 'SAML', 'USERPOOL', 'AWS_AD'];

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
 * Creates the global id codec. An id is base64url(`<version>:` + JSON array of type and key
 * parts) followed by the signer's fixed-length tag over that text. Encoding and decoding live
 * here only: a new layout or a new signature changes this pair, nothing else.
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
      const text =
        key.type === 'Session'
          ? `${SESSION_VERSION}:${JSON.stringify([
              key.type,
              key.stackName,
              key.fleetName,
              key.sessionId,
              key.userId ?? null,
              key.authenticationType ?? null,
              key.instanceId ?? null,
            ])}`
          : `${VERSION}:${JSON.stringify([key.type, key.name])}`;
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
      const version = ACCEPTED_VERSIONS.find((v) => text.startsWith(`${v}:`));
      if (version === undefined || !signer.verify(text, id.slice(-tagLength))) throw invalid();
      const json = text.slice(version.length + 1);
      return version === SESSION_VERSION ? parseSessionKey(json, invalid) : parseKey(json, invalid);
    },
  };
}

/** A key's JSON array, or `invalid()`. */
function parseParts(json: string, invalid: () => Error): unknown[] {
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts)) throw invalid();
  return parts;
}

/** Names the gateway issued always match AppStream's pattern; anything else is forged. */
const isName = (value: unknown): value is string =>
  typeof value === 'string' && APPSTREAM_NAME_PATTERN.test(value);

/**
 * A verified `v3` session key: names, session id and a locator whose members are each null or
 * what AppStream accepts as a DescribeSessions filter (`userId` 2 to 128 characters and only
 * with an authentication type, a non-empty `instanceId`).
 */
function parseSessionKey(json: string, invalid: () => Error): NodeKey {
  const parts = parseParts(json, invalid);
  const [type, stackName, fleetName, sessionId, userId, authenticationType, instanceId] = parts;
  const optional = (value: unknown): value is string | null =>
    value === null || (typeof value === 'string' && value !== '');
  if (
    parts.length !== 7 ||
    type !== 'Session' ||
    !isName(stackName) ||
    !isName(fleetName) ||
    typeof sessionId !== 'string' ||
    sessionId === '' ||
    !optional(userId) ||
    !optional(authenticationType) ||
    !optional(instanceId) ||
    (userId !== null &&
      (userId.length < 2 || userId.length > 128 || authenticationType === null)) ||
    (authenticationType !== null && !isAuthenticationType(authenticationType))
  ) {
    throw invalid();
  }
  return {
    type,
    stackName,
    fleetName,
    sessionId,
    ...(userId === null ? {} : { userId }),
    ...(authenticationType === null ? {} : { authenticationType }),
    ...(instanceId === null ? {} : { instanceId }),
  };
}

function isAuthenticationType(value: string): value is AuthenticationType {
  return AUTHENTICATION_TYPES.includes(value);
}

/** The key in a verified `v2` id's JSON; the checks stay as a second line behind the signature. */
function parseKey(json: string, invalid: () => Error): NodeKey {
  const parts = parseParts(json, invalid);
  if (!isStringArray(parts)) throw invalid();
  const [type, first, second, third] = parts;
  if (type === 'Session' && parts.length === 4 && isName(first) && isName(second) && third) {
    return { type, stackName: first, fleetName: second, sessionId: third };
  }
  if ((type === 'Stack' || type === 'Fleet') && parts.length === 2 && isName(first)) {
    return { type, name: first };
  }
  throw invalid();
}
