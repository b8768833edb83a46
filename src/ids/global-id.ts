import { badUserInput } from '../errors.js';
import type { Sealer } from '../pagination/index.js';
import type { AuthenticationType } from '../upstream/types.js';
import { namedKeyOf, parseParts, sessionKeyOf } from './key-parts.js';
import { decodeReadableId } from './readable-id.js';
import type { ReadableIdOptions } from './readable-id.js';

export type { ReadableIdOptions, Signer } from './readable-id.js';

/**
 * What a session id carries to narrow the listing that finds it again: its user (with the
 * authentication type, which AppStream requires beside `UserId`) and its instance, when AppStream
 * reported them. Ids of the `v2` layout carry none.
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
export type NodeKey = (
  | ({
      readonly type: 'Session';
      readonly stackName: string;
      readonly fleetName: string;
      readonly sessionId: string;
    } & SessionLocator)
  | { readonly type: 'Stack'; readonly name: string }
  | { readonly type: 'Fleet'; readonly name: string }
) & {
  /**
   * The AppStream region of the object. Ids issued before ids carried a region have none: they
   * name an object of the first configured region.
   */
  readonly region?: string | undefined;
};

/** Turns node keys into opaque, sealed global ids and back. */
export interface GlobalIdCodec {
  /** The global id of `key`: URL-safe, opaque (sealed), the same for the same key and secret. */
  encode(key: NodeKey): string;
  /**
   * The key of an id this gateway issued (with the current or the previous secret). Anything
   * else (wrong encoding, unknown or retired version, altered, sealed or signed with another
   * key, wrong arity, a name that breaks AppStream's pattern) is a `BAD_USER_INPUT` error that
   * says what to do; nothing forged ever reaches AppStream.
   */
  decode(id: string): NodeKey;
}

/** Layout `v4`, the one issued: this prefix, then the sealed JSON array of the key's parts. */
export const GLOBAL_ID_PREFIX = 'v4_';
/** What an id's encryption authenticates beside its payload: the format and its version. */
const SEAL_CONTEXT = 'appstream-global-id:4';
/** Sealed payloads are padded to a multiple of this many bytes, so an id's length says little. */
const PADDING_BYTES = 32;
/** Longer ids are rejected before decoding (the longest real id is about 700 characters). */
export const MAX_GLOBAL_ID_LENGTH = 2048;

/** Options of {@link createGlobalIdCodec}. */
export interface GlobalIdCodecOptions {
  /** Seals every id (with keys of its own, apart from the cursors'). */
  readonly sealer: Sealer;
  /**
   * How the readable `v2` and `v3` ids of earlier releases were signed: given, they are still
   * accepted (never issued), so that ids stored by clients keep working through the transition;
   * omitted, they are refused as ids of an earlier version.
   */
  readonly readable?: ReadableIdOptions | undefined;
}

/**
 * Creates the global id codec. An id is {@link GLOBAL_ID_PREFIX} followed by the sealed JSON
 * array of type and key parts (sessions: stack, fleet, session id and the locator, each member
 * null when unknown; stacks and fleets: the name), then the region when the key has one (ids
 * sealed before ids carried a region end without it), padded with spaces to a multiple of 32
 * bytes.
 * Sealing is deterministic, so a node's id is the same in every response and replica, and it
 * shows nothing of the key (user, instance, stack names) to whoever sees the id. Encoding and
 * decoding live here only: a new layout changes this pair, nothing else.
 */
export function createGlobalIdCodec(options: GlobalIdCodecOptions): GlobalIdCodec {
  const { sealer, readable } = options;
  const invalid = () =>
    badUserInput(
      'This id is not a global id issued by this gateway (malformed, altered or signed with ' +
        'another key); use the `id` field of a Session, Stack or Fleet.',
    );
  return {
    encode(key) {
      const parts =
        key.type === 'Session'
          ? [
              key.type,
              key.stackName,
              key.fleetName,
              key.sessionId,
              key.userId ?? null,
              key.authenticationType ?? null,
              key.instanceId ?? null,
            ]
          : [key.type, key.name];
      const json = JSON.stringify(key.region === undefined ? parts : [...parts, key.region]);
      const bytes = Buffer.byteLength(json, 'utf8');
      // JSON allows trailing whitespace: the padding needs no marker.
      const padded = json + ' '.repeat((PADDING_BYTES - (bytes % PADDING_BYTES)) % PADDING_BYTES);
      return GLOBAL_ID_PREFIX + sealer.seal(padded, SEAL_CONTEXT);
    },
    decode(id) {
      if (id.length > MAX_GLOBAL_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) throw invalid();
      if (!id.startsWith(GLOBAL_ID_PREFIX)) return decodeReadableId(id, readable, invalid);
      const json = sealer.open(id.slice(GLOBAL_ID_PREFIX.length), SEAL_CONTEXT);
      if (json === null) throw invalid();
      const parts = parseParts(json, invalid);
      return parts[0] === 'Session' ? sessionKeyOf(parts, invalid) : namedKeyOf(parts, invalid);
    },
  };
}
