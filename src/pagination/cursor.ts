import { badUserInput } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { fnv1a64 } from './hash.js';

/** First field of every cursor's decoded text; anything else is not one of our cursors. */
export const CURSOR_PREFIX = 'appstream-sessions';
/** Version of the payload layout; cursors of another version are rejected, never guessed at. */
export const CURSOR_VERSION = 1;
/** Longer strings are rejected before decoding (a real cursor is a few hundred characters). */
export const MAX_CURSOR_LENGTH = 4096;

/**
 * Where an edge sits upstream: enough to resume after it (or stop before it) without
 * re-reading anything but, at most, its own page.
 */
export interface CursorPosition {
  /** Index of the stream (fleet listing) the edge came from. */
  readonly s: number;
  /** Upstream token of the edge's page; null for the first page of the stream. */
  readonly t: string | null;
  /** Index of the edge within that page. */
  readonly i: number;
  /** Absolute upstream offset in the concatenated sequence when the cursor was issued. */
  readonly o: number;
  /** The item's id, to re-anchor when earlier items of the page ended. */
  readonly id: string;
  /**
   * Present only when the edge is the last item of its page: the next page's token, or null
   * when the stream had ended. Resuming after such an edge needs no refetch of its page.
   */
  readonly n?: string | null;
}

/** Turns positions into opaque cursors bound to one query, and back. */
export interface CursorCodec {
  /** An opaque, signed, base64url cursor for `position`, valid only with the same `binding`. */
  encode(position: CursorPosition, binding: string): string;
  /**
   * The position in `cursor`. Throws BAD_USER_INPUT (naming `argName`, never echoing upstream
   * tokens) when the cursor is malformed, of another version, altered, or issued for another
   * binding (another stack, fleet list or filter set).
   */
  decode(cursor: string, binding: string, argName: 'after' | 'before'): CursorPosition;
}

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions {
  /**
   * Checksum over the cursor text; must be deterministic and must not return ':'. Defaults to
   * keyless FNV-1a 64 (tamper-evident, not forgery-proof); inject an HMAC for the latter.
   */
  readonly sign?: ((data: string) => string) | undefined;
}

/** Creates the cursor codec. Cursor text: base64url(`prefix:version:json:signature`). */
export function createCursorCodec(options: CursorCodecOptions = {}): CursorCodec {
  const sign = options.sign ?? fnv1a64;
  return {
    encode(position, binding) {
      const { s, t, i, o, id } = position;
      const payload = { b: bindingHash(binding), s, t, i, o, id };
      const json = JSON.stringify(
        position.n === undefined ? payload : { ...payload, n: position.n },
      );
      const body = `${CURSOR_PREFIX}:${String(CURSOR_VERSION)}:${json}`;
      const signature = sign(body);
      if (signature.includes(':')) throw new Error('cursor sign function returned a ":"');
      return toBase64Url(`${body}:${signature}`);
    },
    decode(cursor, binding, argName) {
      const malformed = (reason: string): GatewayError =>
        badUserInput(
          `\`${argName}\` is not a valid cursor (${reason}); pass a cursor exactly as returned in ` +
            `edges or pageInfo, or omit \`${argName}\`.`,
        );
      if (cursor.length > MAX_CURSOR_LENGTH) throw malformed('too long');
      const text = fromBase64Url(cursor);
      if (text === null) throw malformed('not base64url text');
      const [prefix, version] = text.split(':', 2);
      if (prefix !== CURSOR_PREFIX || version === undefined) throw malformed('unknown format');
      if (version !== String(CURSOR_VERSION)) {
        throw badUserInput(
          `\`${argName}\` is a cursor of ${/^\d{1,6}$/.test(version) ? `version ${version}` : 'an unknown version'}; ` +
            `this server reads version ${String(CURSOR_VERSION)} only. Request the first page ` +
            'again without after/before.',
        );
      }
      const cut = text.lastIndexOf(':');
      const body = text.slice(0, cut);
      if (cut <= prefix.length + version.length + 1 || !sameText(sign(body), text.slice(cut + 1))) {
        throw badUserInput(
          `\`${argName}\` cursor was modified (its checksum does not match); pass cursors ` +
            'exactly as returned in edges or pageInfo.',
        );
      }
      const parsed = parsePayload(body.slice(prefix.length + version.length + 2));
      if (typeof parsed === 'string') throw malformed(parsed);
      if (parsed.b !== bindingHash(binding)) {
        throw badUserInput(
          `\`${argName}\` cursor belongs to a different query (other stack, fleet or filters); ` +
            'request the first page again without after/before, or restore the arguments the ' +
            'cursor came from.',
        );
      }
      const { s, t, i, o, id, n } = parsed;
      return n === undefined ? { s, t, i, o, id } : { s, t, i, o, id, n };
    },
  };
}

function bindingHash(binding: string): string {
  return fnv1a64(`binding:${binding}`).slice(0, 12);
}

/** Same text, comparing every character (no early exit: ready for a keyed `sign`). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let k = 0; k < a.length; k++) diff |= a.charCodeAt(k) ^ b.charCodeAt(k);
  return diff === 0;
}

type Payload = CursorPosition & { readonly b: string };

/** The validated payload, or a short reason (no payload values) why it is not one. */
function parsePayload(json: string): Payload | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'payload is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'payload is not an object';
  }
  const { b, s, t, i, o, id, n } = value as Record<string, unknown>;
  if (typeof b !== 'string') return 'missing query binding';
  if (!isIndex(s) || !isIndex(i) || !isIndex(o)) return 'positions must be non-negative integers';
  if (typeof id !== 'string') return 'missing item id';
  if (t !== null && typeof t !== 'string') return 'page token must be a string or null';
  if (n !== undefined && n !== null && typeof n !== 'string') {
    return 'next token must be a string or null';
  }
  const base = { b, s, t, i, o, id };
  return n === undefined ? base : { ...base, n };
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
