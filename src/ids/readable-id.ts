import { badUserInput } from '../errors.js';
import type { NodeKey } from './global-id.js';
import { namedKeyOf, parseParts, sessionKeyOf, unlocatedSessionKeyOf } from './key-parts.js';

/** A keyed MAC over text (the gateway's is HMAC-SHA256, `src/policy/signing.ts`). */
export interface Signer {
  sign(data: string): string;
  /** True exactly when `tag` is `sign(data)` with the current key or a previous one. */
  verify(data: string, tag: string): boolean;
}

/** How the readable ids of earlier releases were signed (see {@link decodeReadableId}). */
export interface ReadableIdOptions {
  readonly signer: Signer;
  /** Length of every tag `signer` returns (22 for `createHmacSigner`). */
  readonly tagLength: number;
}

/**
 * The readable layouts of earlier releases: base64url(`<version>:` + JSON array) followed by a
 * signature over that text. `v3` held sessions with their locator, `v2` stacks, fleets and
 * sessions without locator; `v1` carried no signature and is refused.
 */
const READABLE_VERSIONS = ['v3', 'v2'];
const RETIRED_VERSIONS = ['v1'];

const earlierVersion = () =>
  badUserInput(
    'This id was issued by an earlier version of the gateway; fetch the object again and use ' +
      'its current `id`.',
  );

/**
 * The key of a readable id (`v2`, `v3`) that the gateway issued before ids were sealed: still
 * accepted, when `readable` is given, while the key that signed it is `CURSOR_SECRET` or
 * `CURSOR_SECRET_PREVIOUS`, so that ids stored by clients keep working through the transition.
 * A `v1` id, or a readable id when `readable` is not given, is refused as of an earlier version;
 * anything else (bad signature, non-canonical spelling, unknown version, bad parts) is
 * `invalid()`.
 */
export function decodeReadableId(
  id: string,
  readable: ReadableIdOptions | undefined,
  invalid: () => Error,
): NodeKey {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Node decodes non-canonical spellings too; accept only the one spelling the gateway issued.
  const canonical = (encoded: string, decoded: string) =>
    encoded !== '' && Buffer.from(decoded, 'utf8').toString('base64url') === encoded;
  if (RETIRED_VERSIONS.some((v) => text.startsWith(`${v}:[`)) && canonical(id, text)) {
    throw earlierVersion();
  }
  if (readable === undefined) {
    throw READABLE_VERSIONS.some((v) => text.startsWith(`${v}:`)) ? earlierVersion() : invalid();
  }
  const { signer, tagLength } = readable;
  const encoded = id.slice(0, -tagLength);
  const body = Buffer.from(encoded, 'base64url').toString('utf8');
  const version = READABLE_VERSIONS.find((v) => body.startsWith(`${v}:`));
  if (version === undefined || !canonical(encoded, body)) throw invalid();
  if (!signer.verify(body, id.slice(-tagLength))) throw invalid();
  const parts = parseParts(body.slice(version.length + 1), invalid);
  if (version === 'v3') return sessionKeyOf(parts, invalid);
  return parts[0] === 'Session'
    ? unlocatedSessionKeyOf(parts, invalid)
    : namedKeyOf(parts, invalid);
}
