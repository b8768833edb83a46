import { badUserInput, ErrorCode, GatewayError } from '../errors.js';
import { fromBase64Url, toBase64Url } from './base64url.js';

/** First field of every cursor's decoded text (all connections); anything else is not ours. */
export const CURSOR_PREFIX = 'appstream';
/** Version of the payload layout; cursors of another version are rejected, never guessed at. */
export const CURSOR_VERSION = 3;
/**
 * Longest upstream page token a cursor carries, in characters. AppStream documents no maximum for
 * `NextToken` (its tokens are a few hundred characters); a page whose token is longer cannot be
 * carried in a cursor: a cursor that would exceed {@link MAX_CURSOR_LENGTH} is never issued, its
 * page fails with `UPSTREAM_UNAVAILABLE` instead.
 */
export const MAX_UPSTREAM_TOKEN_LENGTH = 16_384;

/**
 * Longest cursor accepted, checked before any decoding, so an absurd input costs nothing. Sized
 * from what a cursor must carry: a page-final cursor holds two upstream tokens (its page's and the
 * next one's), each up to {@link MAX_UPSTREAM_TOKEN_LENGTH} characters of JSON string, plus
 * under 2 KiB of positions, ids, binding tag and signature; base64url makes 4 characters of 3
 * bytes: (2 x 16 KiB + 2 KiB) x 4 / 3 = 46 KiB, rounded up to 48 KiB.
 */
export const MAX_CURSOR_LENGTH = 48 * 1024;

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
  /** An opaque, signed base64url cursor for `position`, valid only with `binding`. */
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

/**
 * A keyed MAC over text, injected from outside this pure core (the gateway uses HMAC-SHA256
 * from `src/policy/signing.ts`). Contract: `sign` is deterministic for a given key and never
 * returns a `:`; `verify(data, tag)` is true exactly when `tag` is what `sign(data)` returns
 * with the current key or with a key still accepted during a rotation.
 */
export interface Signer {
  sign(data: string): string;
  verify(data: string, tag: string): boolean;
}

/** Options of {@link createCursorCodec}. */
export interface CursorCodecOptions {
  /**
   * Signs every cursor: once per encoded cursor, once (plus once per binding) per decoded one.
   * Without the key, nobody can make a cursor the codec accepts, nor move one to another query.
   */
  readonly signer: Signer;
}

/** Most distinct bindings whose tags are remembered (one connection field uses one binding). */
const BINDING_MEMO_SIZE = 512;

/**
 * Creates the cursor codec. Cursor text: base64url(`prefix:version:json:tag`), where the JSON
 * holds the position and `b`, a keyed tag of the binding, and `tag` signs everything before it.
 * So the signature covers the binding: a cursor verifies only for the query it was issued for.
 */
export function createCursorCodec(options: CursorCodecOptions): CursorCodec {
  const { signer } = options;
  const memo = new Map<string, string>();
  /** The binding's tag with the current key, computed once per binding. */
  const bindingTag = (binding: string): string => {
    let tag = memo.get(binding);
    if (tag === undefined) {
      if (memo.size >= BINDING_MEMO_SIZE) memo.clear();
      tag = signer.sign(bindingData(binding));
      memo.set(binding, tag);
    }
    return tag;
  };
  const parse = (cursor: string, argName: 'after' | 'before'): Payload => {
    const malformed = (reason: string): GatewayError =>
      badUserInput(
        `\`${argName}\` is not a valid cursor (${reason}); pass a cursor exactly as returned in ` +
          `edges or pageInfo, or omit \`${argName}\`.`,
      );
    if (cursor.length > MAX_CURSOR_LENGTH) throw malformed('too long');
    const text = fromBase64Url(cursor);
    if (text === null) throw malformed('truncated or altered: not a cursor this gateway issued');
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
    if (cut <= prefix.length + version.length + 1 || !signer.verify(body, text.slice(cut + 1))) {
      throw badUserInput(
        `\`${argName}\` cursor was modified or signed with another key (its signature does not ` +
          'match); pass cursors exactly as returned in edges or pageInfo, or request the first ' +
          'page again without after/before.',
      );
    }
    const parsed = parsePayload(body.slice(prefix.length + version.length + 2));
    if (typeof parsed === 'string') throw malformed(parsed);
    return parsed;
  };
  return {
    encode(position, binding) {
      const { s, t, i, o, id, p, n, f } = position;

      const json = JSON.stringify({ b: bindingTag(binding), s, t, i, o, id, p, n, f });
      const body = `${CURSOR_PREFIX}:${String(CURSOR_VERSION)}:${json}`;
      const tag = signer.sign(body);
      if (tag.includes(':')) throw new Error('the cursor signer returned a ":"');
      const cursor = toBase64Url(`${body}:${tag}`);
      // Never issue a cursor that decode would refuse as too long.
      if (cursor.length > MAX_CURSOR_LENGTH) {
        throw new GatewayError(
          ErrorCode.UPSTREAM_UNAVAILABLE,
          `AppStream returned page tokens longer than a cursor of this gateway carries (about ` +
            `${String(MAX_UPSTREAM_TOKEN_LENGTH)} characters each); report this to its operator.`,
        );
      }
      return cursor;
    },
    decode(cursor, binding, argName) {
      const { b, ...position } = parse(cursor, argName);
      // A cursor signed with a previous key carries a binding tag of that key too.
      if (b !== bindingTag(binding) && !signer.verify(bindingData(binding), b)) {
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

/** What a binding's tag signs; the prefix keeps it apart from every cursor body. */
function bindingData(binding: string): string {
  return `binding:${binding}`;
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
