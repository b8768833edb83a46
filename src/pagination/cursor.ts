import { badUserInput, ErrorCode, GatewayError } from '../errors.js';
import { fromBase64Url } from './base64url.js';
import { FINGERPRINT_LENGTH, parsePayload, runsOf } from './cursor-runs.js';
import type { Payload } from './cursor-runs.js';
import type { Sealer } from './sealer.js';

/** Version of the cursor format; cursors of another version are rejected, never guessed at. */
export const CURSOR_VERSION = 5;
/**
 * How every cursor of this version starts; the rest is an indexed sealed token (see
 * {@link Sealer.sealIndexed}): the sealed payload of a run of edges of one upstream page, `.`,
 * the edge's index in that run, `.`, and the tag that binds the index to the payload.
 */
export const CURSOR_PREFIX = `c${String(CURSOR_VERSION)}_`;
/**
 * First field of the decoded text of the readable cursors of versions 1 to 3 (base64url of
 * `appstream:<version>:<json>:<tag>`), recognized only to say that they are of an old version.
 */
const READABLE_CURSOR_PREFIX = 'appstream';
/** What a cursor's encryption authenticates beside its payload: the format and its version. */
const SEAL_CONTEXT = `appstream-cursor:${String(CURSOR_VERSION)}`;
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
 * under 2 KiB of positions, ids, binding digest, prefix and sealing overhead (28 bytes with the gateway's sealer);
 * base64url makes 4 characters of 3 bytes: (2 x 16 KiB + 2 KiB) x 4 / 3 = 46 KiB, rounded up to
 * 48 KiB. The edges of a run ({@link RUN_MAX_EDGES} at most) add under 2 KiB of fingerprints.
 */
export const MAX_CURSOR_LENGTH = 50 * 1024;

export { RUN_MAX_EDGES } from './cursor-runs.js';

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
  /**
   * The item's key, to re-anchor when earlier items of the page ended: what the core compares,
   * the codec's {@link CursorCodec.fingerprint} of the source's id when `paginate` issued it.
   */
  readonly id: string;
  /** Key of the item just before the edge in its page (only when `i` > 0), when `id` ended. */
  readonly p?: string;
  /**
   * Present only when the edge is the last item of its page: the next page's token, or null
   * when the stream had ended. Resuming after such an edge refetches its page only on churn.
   */
  readonly n?: string | null;
  /**
   * With a string `n`, when the issuing call read it: the key of the first item of the next
   * non-empty page of the stream, to verify that page `n` did not shift before resuming there.
   */
  readonly f?: string;
  /**
   * The region the edge's stream reads (see {@link CursorRegions}); absent in cursors issued
   * before cursors carried one, which are read as of the first configured region.
   */
  readonly r?: string;
}

/**
 * The regions a query's streams read, for the check that a cursor of one region never reads
 * another: a cursor of this query whose region is not that of its stream is refused with a
 * message naming both regions (a cursor of another query is refused as such first).
 */
export interface CursorRegions {
  /** The region of cursors issued without one: the first configured region. */
  readonly fallback: string;
  /** The region stream `stream` of this query reads; undefined when it has no such stream. */
  of(stream: number): string | undefined;
}

/** Turns positions into opaque cursors bound to one query, and back. */
export interface CursorCodec {
  /** An opaque, sealed, URL-safe cursor for `position`, valid only with `binding`. */
  encode(position: CursorPosition, binding: string): string;
  /**
   * The cursors of `positions`, in order, as {@link CursorCodec.encode} would give them one by
   * one, but sealing each run of consecutive positions on the same upstream page once: a page of
   * edges costs one encryption and one key derivation, not one each.
   */
  encodeAll(positions: readonly CursorPosition[], binding: string): string[];
  /**
   * The short fixed-length key (48 bits, 8 base64url characters) an item id takes in cursors:
   * `paginate` compares items by it, so that a cursor carries a run of them cheaply. Two items
   * of one page share a key with probability about 2^-37 (it would make a resume under churn
   * re-anchor at the wrong one of them).
   */
  fingerprint(id: string): string;
  /**
   * The position in `cursor`. Throws BAD_USER_INPUT (naming `argName`, never echoing upstream
   * tokens) when the cursor is malformed, of another version, altered, or issued for another
   * binding (another stack, fleet list or filter set), or, with `regions`, of a region other
   * than the one its stream reads in this query.
   */
  decode(
    cursor: string,
    binding: string,
    argName: 'after' | 'before',
    regions?: CursorRegions,
  ): CursorPosition;
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
   * Seals every cursor: one `seal` per encoded cursor, one `open` per decoded one, one `digest`
   * per distinct binding. Without the key, nobody can read a cursor, make one the codec accepts,
   * or move one to another query.
   */
  readonly sealer: Sealer;
}

/** Most distinct bindings whose digests are remembered (one connection field uses one binding). */
const BINDING_MEMO_SIZE = 512;

/**
 * Creates the cursor codec. A cursor is {@link CURSOR_PREFIX} followed by an indexed sealed
 * token: the sealed JSON of a run of edges of one upstream page (the binding's digest `b`, the
 * stream `s`, the page token `t`, `d` = offset minus index, the entries `e` = [index, key, and
 * the predecessor's key, or 0 for "the previous entry's key"], and for the page-final entry at
 * index `x` the next token `n` and first key `f`; the region `r` when the query names one),
 * then the edge's index in the run and its tag. The encryption authenticates the digest with
 * the rest: a cursor opens only for the query it was issued for, and shows nothing of its
 * position (upstream tokens, session ids) to whoever holds it; the tag binds the index, so no
 * character of a cursor can be changed.
 */
export function createCursorCodec(options: CursorCodecOptions): CursorCodec {
  const { sealer } = options;
  const memo = new Map<string, string>();
  /** The binding's digest, computed once per binding (the same under every key). */
  const bindingDigest = (binding: string): string => {
    let digest = memo.get(binding);
    if (digest === undefined) {
      if (memo.size >= BINDING_MEMO_SIZE) memo.clear();
      digest = sealer.digest(binding);
      memo.set(binding, digest);
    }
    return digest;
  };
  const parse = (cursor: string, argName: 'after' | 'before'): Payload => {
    const malformed = (reason: string): GatewayError =>
      badUserInput(
        `\`${argName}\` is not a valid cursor (${reason}); pass a cursor exactly as returned in ` +
          `edges or pageInfo, or omit \`${argName}\`.`,
      );
    if (cursor.length > MAX_CURSOR_LENGTH) throw malformed('too long');
    if (!cursor.startsWith(CURSOR_PREFIX)) {
      const text = fromBase64Url(cursor);
      const version = versionOf(cursor, text);
      if (version === null) {
        throw malformed(
          text === null
            ? 'truncated or altered: not a cursor this gateway issued'
            : 'unknown format',
        );
      }
      throw badUserInput(
        `\`${argName}\` is a cursor of ${version === '' ? 'an unknown version' : `version ${version}`}; ` +
          `this server reads version ${String(CURSOR_VERSION)} only. Request the first page ` +
          'again without after/before.',
      );
    }
    const opened = sealer.openIndexed(cursor.slice(CURSOR_PREFIX.length), SEAL_CONTEXT);
    if (opened === null) {
      throw badUserInput(
        `\`${argName}\` cursor was modified or signed with another key (its signature does not ` +
          'match); pass cursors exactly as returned in edges or pageInfo, or request the first ' +
          'page again without after/before.',
      );
    }
    const parsed = parsePayload(opened.plaintext, opened.index);
    if (typeof parsed === 'string') throw malformed(parsed);
    return parsed;
  };
  const encodeAll = (positions: readonly CursorPosition[], binding: string): string[] => {
    const b = bindingDigest(binding);
    const cursors: string[] = [];
    for (const { payload, count } of runsOf(positions)) {
      const tokens = sealer.sealIndexed(JSON.stringify({ b, ...payload }), SEAL_CONTEXT, count);
      for (const token of tokens) {
        const cursor = CURSOR_PREFIX + token;
        // Never issue a cursor that decode would refuse as too long.
        if (cursor.length > MAX_CURSOR_LENGTH) {
          throw new GatewayError(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            `AppStream returned page tokens longer than a cursor of this gateway carries (about ` +
              `${String(MAX_UPSTREAM_TOKEN_LENGTH)} characters each); report this to its operator.`,
          );
        }
        cursors.push(cursor);
      }
    }
    return cursors;
  };
  return {
    encode(position, binding) {
      const [cursor = ''] = encodeAll([position], binding);
      return cursor;
    },
    encodeAll,
    fingerprint: (id) => sealer.digest(id).slice(0, FINGERPRINT_LENGTH),
    decode(cursor, binding, argName, regions) {
      const { b, ...position } = parse(cursor, argName);
      // The query first: a cursor of another query is that, whatever region it names.
      if (b !== bindingDigest(binding)) {
        throw badUserInput(
          `\`${argName}\` cursor belongs to a different query (other stack, fleet, filters or ` +
            '`region`: one region against every region); request the first page again without ' +
            'after/before, or restore the arguments the cursor came from.',
        );
      }
      if (regions !== undefined) checkRegion(position, regions, argName);
      return position;
    },
    check(cursor, argName) {
      parse(cursor, argName);
    },
  };
}

/**
 * The version a cursor of another version names: the digits of `c<digits>_`, or those of a
 * readable cursor of versions 1 to 3 (`appstream:<version>:`, `text` being the cursor decoded);
 * `''` when such a prefix names no version this server could mean; null when `cursor` is neither
 * (not a cursor of this gateway).
 */
function versionOf(cursor: string, text: string | null): string | null {
  const sealed = /^c(\d{1,6})_/.exec(cursor);
  if (sealed !== null) return sealed[1] ?? '';
  if (text === null) return null;
  const [prefix, version] = text.split(':', 2);
  if (prefix !== READABLE_CURSOR_PREFIX || version === undefined) return null;
  // A readable cursor of the current version never existed: that is no cursor of ours.
  if (version === String(CURSOR_VERSION)) return null;
  return /^\d{1,6}$/.test(version) ? version : '';
}

/** Refuses a cursor whose region is not the one its stream reads in this query. */
function checkRegion(
  position: CursorPosition,
  regions: CursorRegions,
  argName: 'after' | 'before',
): void {
  const issued = position.r ?? regions.fallback;
  const expected = regions.of(position.s);
  if (expected === undefined || issued === expected) return;
  throw badUserInput(
    `\`${argName}\` cursor was issued in region "${issued}", and this field reads region ` +
      `"${expected}" there; pass it with the region it came from, or request the first page ` +
      'again without after/before.',
  );
}
