import { badUserInput } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { fnv1a64 } from './hash.js';

/** First field of every cursor's decoded text (all connections); anything else is not ours. */
export const CURSOR_PREFIX = 'appstream';
/** Version of the payload layout; cursors of another version are rejected, never guessed at. */
export const CURSOR_VERSION = 2;
/** Longer strings are rejected before decoding (a real cursor is a few hundred characters). */
export const MAX_CURSOR_LENGTH = 4096;

/**
 * Where an edge sits upstream: enough to resume after it (or stop before it) reading, when
 * nothing changed, at most its own page, and to re-anchor when something did.
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
  /** Id of the item just before the edge in its page (only when `i` > 0), when `id` ended. */
  readonly p?: string;
  /**
   * Present only when the edge is the last item of its page: the next page's token, or null
   * when the stream had ended. Resuming after such an edge refetches its page only on churn.
   */
  readonly n?: string | null;
  /**
   * With a string `n`, when the issuing call read it: the id of the first item of the next
   * non-empty page of the stream, to verify that page `n` did not shift before resuming there.
   */
  readonly f?: string;
}

/** Turns positions into opaque cursors bound to one query, and back. */
export interface CursorCodec {
  /** An opaque, checksummed base64url cursor for `position`, valid only with `binding`. */
  encode(position: CursorPosition, binding: string): string;
  /**
   * The position in `cursor`. Throws BAD_USER_INPUT (naming `argName`, never echoing upstream
   * tokens) when the cursor is malformed, of another version, altered, or issued for another
   * binding (another stack, fleet list or filter set).
   */
  decode(cursor: string, binding: string, argName: 'after' | 'before'): CursorPosition;
  /**
   * Every check of {@link CursorCodec.decode} but the binding comparison, with the same errors:
   * rejects a malformed, foreign-format, other-version or altered cursor before the binding is
   * known. A cursor that passes may still be rejected by `decode` for another binding.
   */
  check(cursor: string, argName: 'after' | 'before'): void;
}

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions {
  /**
   * Integrity tag over the cursor text; must be deterministic and must not return ':'. Defaults
   * to a keyless FNV-1a 64 checksum: it detects altered cursors (tamper-evident) but anyone who
   * knows the algorithm can forge one. Inject a keyed MAC (an HMAC) to make cursors unforgeable.
   */
  readonly checksum?: ((data: string) => string) | undefined;
}

/** Creates the cursor codec. Cursor text: base64url(`prefix:version:json:checksum`). */
export function createCursorCodec(options: CursorCodecOptions = {}): CursorCodec {
  const checksum = options.checksum ?? fnv1a64;
  const parse = (cursor: string, argName: 'after' | 'before'): Payload => {
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
    if (
      cut <= prefix.length + version.length + 1 ||
      !sameText(checksum(body), text.slice(cut + 1))
    ) {
      throw badUserInput(
        `\`${argName}\` cursor was modified (its checksum does not match); pass cursors ` +
          'exactly as returned in edges or pageInfo.',
      );
    }
    const parsed = parsePayload(body.slice(prefix.length + version.length + 2));
    if (typeof parsed === 'string') throw malformed(parsed);
    return parsed;
  };
  return {
    encode(position, binding) {
      const { s, t, i, o, id, p, n, f } = position;
      const json = JSON.stringify({ b: bindingHash(binding), s, t, i, o, id, p, n, f });
      const body = `${CURSOR_PREFIX}:${String(CURSOR_VERSION)}:${json}`;
      const tag = checksum(body);
      if (tag.includes(':')) throw new Error('cursor checksum function returned a ":"');
      return toBase64Url(`${body}:${tag}`);
    },
    decode(cursor, binding, argName) {
      const { b, ...position } = parse(cursor, argName);
      if (b !== bindingHash(binding)) {
        throw badUserInput(
          `\`${argName}\` cursor belongs to a different query (other stack, fleet or filters); ` +
            'request the first page again without after/before, or restore the arguments the ' +
            'cursor came from.',
        );
      }
      return position;
    },
    check(cursor, argName) {
      parse(cursor, argName);
    },
  };
}

function bindingHash(binding: string): string {
  return fnv1a64(`binding:${binding}`).slice(0, 12);
}

/** Same text, comparing every character (no early exit: ready for a keyed checksum). */
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
  const { b, s, t, i, o, id, p, n, f } = value as Record<string, unknown>;
  if (typeof b !== 'string') return 'missing query binding';
  if (!isIndex(s) || !isIndex(i) || !isIndex(o)) return 'positions must be non-negative integers';
  if (typeof id !== 'string') return 'missing item id';
  if (t !== null && typeof t !== 'string') return 'page token must be a string or null';
  if (n !== undefined && n !== null && typeof n !== 'string') {
    return 'next token must be a string or null';
  }
  if ((p !== undefined && typeof p !== 'string') || (f !== undefined && typeof f !== 'string')) {
    return 'neighbour ids must be strings';
  }
  return {
    b,
    s,
    t,
    i,
    o,
    id,
    ...(p === undefined ? {} : { p }),
    ...(n === undefined ? {} : { n }),
    ...(f === undefined ? {} : { f }),
  };
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
