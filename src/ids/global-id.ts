import { badUserInput } from '../errors.js';
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

const VERSION = 'v1';

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
}

/** Encodes a key as an opaque, URL-safe global id (`base64url("v1:" + JSON)`). */
export function encodeGlobalId(key: NodeKey): string {
  const parts =
    key.type === 'Session'
      ? [key.type, key.stackName, key.fleetName, key.sessionId]
      : [key.type, key.name];
  return Buffer.from(`${VERSION}:${JSON.stringify(parts)}`, 'utf8').toString('base64url');
}

/**
 * Decodes a global id made by {@link encodeGlobalId}. Anything else (wrong encoding, unknown
 * version or type, wrong arity) is a `BAD_USER_INPUT` error that says what to do.
 */
export function decodeGlobalId(id: string): NodeKey {
  const invalid = () =>
    badUserInput(
      'This id is not a global id issued by this gateway; use the `id` field of a Session, Stack or Fleet.',
    );
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(id)) throw invalid();
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Node decodes non-canonical spellings too; accept only the one spelling the gateway issues.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) throw invalid();
  if (!text.startsWith(`${VERSION}:`)) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(text.slice(VERSION.length + 1));
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
