import { badUserInput, ErrorCode, GatewayError } from '../errors.js';
import { fromBase64Url } from './base64url.js';
import { MAX_INDEXED_HOLDERS } from './sealer.js';
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

/** Most edges sealed together in one payload (each adds about 30 bytes to every cursor of it). */
export const RUN_MAX_EDGES = 8;

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
 * another: a cursor whose region is not that of its stream in this query is refused, before
 * the binding is compared, with a message naming both regions.
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
 * then the edge's index in the run and its tag. The encryption authenticates the digest with the rest: a cursor opens only for the query
 * it was issued for, and shows nothing of its position (upstream tokens, session ids) to
 * whoever holds it; the tag binds the index, so no character of a cursor can be changed.
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
    for (const run of runsOf(positions)) {
      const count = run.e?.length ?? (run.k ?? '').length / FINGERPRINT_LENGTH;
      const tokens = sealer.sealIndexed(JSON.stringify({ b, ...run }), SEAL_CONTEXT, count);
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

/** Characters of a fingerprint: 48 bits of base64url. */
const FINGERPRINT_LENGTH = 8;
const FINGERPRINTS = /^(?:[A-Za-z0-9_-]{8})+$/;

/** One entry of a run: index, key, and the predecessor's key (0: the previous entry's key). */
type Entry = [number, string] | [number, string, string | 0];

/**
 * What one sealed payload holds besides the binding digest: `e`, or, for the usual run of
 * consecutive items each preceded by the one before, the packed form `i` (first index), `k`
 * (their fingerprints, concatenated) and `q` (the first one's predecessor).
 */
interface Run {
  s: number;
  t: string | null;
  d: number;
  e?: Entry[];
  i?: number;
  k?: string;
  q?: string;
  x?: number;
  n?: string | null;
  f?: string;
  /** The region of the run's stream, when the query names one (see {@link CursorPosition.r}). */
  r?: string;
}

/** `run` with its entries packed when they are consecutive fingerprints, else as it is. */
function packed(run: Run & { e: Entry[] }): Run {
  const [first, ...rest] = run.e;
  if (first === undefined) return run;
  const [i, id, q] = first;
  const keys = [id];
  for (const [k, [index, key, p]] of rest.entries()) {
    if (index !== i + k + 1 || p !== 0) return run;
    keys.push(key);
  }
  const k = keys.join('');
  if (q === 0 || !FINGERPRINTS.test(k) || k.length !== keys.length * FINGERPRINT_LENGTH) {
    return run;
  }
  if (q !== undefined && (q.length !== FINGERPRINT_LENGTH || !FINGERPRINTS.test(q))) return run;
  const { s, t, d, x, n, f, r } = run;
  return {
    s,
    t,
    d,
    i,
    k,
    ...(q === undefined ? {} : { q }),
    ...(x === undefined ? {} : { x, n }),
    ...(f === undefined ? {} : { f }),
    ...(r === undefined ? {} : { r }),
  };
}

/**
 * Splits positions into runs sealed together: consecutive positions of one page (same stream,
 * region, token and offset-minus-index), at most one of them page-final, at most {@link RUN_MAX_EDGES}.
 */
function runsOf(positions: readonly CursorPosition[]): Run[] {
  const runs: Array<Run & { e: Entry[] }> = [];
  let run: (Run & { e: Entry[] }) | undefined;
  for (const position of positions) {
    const { s, t, i, o, id, p, n, f, r } = position;
    if (
      run === undefined ||
      run.s !== s ||
      run.t !== t ||
      run.r !== r ||
      run.d !== o - i ||
      run.e.length >= Math.min(RUN_MAX_EDGES, MAX_INDEXED_HOLDERS) ||
      (n !== undefined && run.x !== undefined)
    ) {
      run = { s, t, d: o - i, e: [], ...(r === undefined ? {} : { r }) };
      runs.push(run);
    }
    const previous = run.e.at(-1);
    run.e.push(
      p === undefined ? [i, id] : [i, id, previous !== undefined && previous[1] === p ? 0 : p],
    );
    if (n !== undefined) {
      run.x = i;
      run.n = n;
      if (f !== undefined) run.f = f;
    }
  }
  return runs.map(packed);
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

type Payload = CursorPosition & { readonly b: string };

/** The validated position of entry `index` of the payload, or a short reason (no values) why not. */
function parsePayload(json: string, index: number): Payload | string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'payload is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'payload is not an object';
  }
  const { b, s, t, d, x, n, f, r } = value as Record<string, unknown>;
  if (typeof b !== 'string') return 'missing query binding';
  if (!isIndex(s) || typeof d !== 'number' || !Number.isSafeInteger(d)) {
    return 'positions must be integers';
  }
  if (t !== null && typeof t !== 'string') return 'page token must be a string or null';
  const edge = entryAt(value as Record<string, unknown>, index);
  if (typeof edge === 'string') return edge;
  const { i, id, p } = edge;
  const o = i + d;
  if (!isIndex(o)) return 'positions must be non-negative integers';
  if (x !== undefined && !isIndex(x)) return 'positions must be non-negative integers';
  if (n !== undefined && n !== null && typeof n !== 'string') {
    return 'next token must be a string or null';
  }
  if (f !== undefined && typeof f !== 'string') return 'neighbour ids must be strings';
  const final = x === i && n !== undefined;
  if (r !== undefined && typeof r !== 'string') return 'region must be a string';
  return {
    b,
    s,
    t,
    i,
    o,
    id,
    ...(p === undefined ? {} : { p }),
    ...(final ? { n } : {}),
    ...(final && f !== undefined ? { f } : {}),
    ...(r === undefined ? {} : { r }),
  };
}

/** Index, key and predecessor's key of entry `index` of a payload (packed or not), or a reason. */
function entryAt(
  payload: Record<string, unknown>,
  index: number,
): { i: number; id: string; p: string | undefined } | string {
  const { e, i, k, q } = payload;
  if (e === undefined) {
    if (!isIndex(i) || typeof k !== 'string' || !FINGERPRINTS.test(k)) return 'malformed edge';
    if (q !== undefined && (typeof q !== 'string' || !FINGERPRINTS.test(q))) {
      return 'malformed edge';
    }
    const at = index * FINGERPRINT_LENGTH;
    if (at >= k.length) return 'missing edge';
    return {
      i: i + index,
      id: k.slice(at, at + FINGERPRINT_LENGTH),
      p: index === 0 ? q : k.slice(at - FINGERPRINT_LENGTH, at),
    };
  }
  if (!Array.isArray(e) || index >= e.length) return 'missing edge';
  const entry: unknown = e[index];
  const previous: unknown = index > 0 ? e[index - 1] : undefined;
  if (!isEntry(entry) || (previous !== undefined && !isEntry(previous))) return 'malformed edge';
  const [at, id, predecessor] = entry;
  const p = predecessor === 0 ? previous?.[1] : predecessor;
  if (predecessor === 0 && p === undefined) return 'malformed edge';
  return { i: at, id, p };
}

function isEntry(value: unknown): value is Entry {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  const [i, id, p] = value as unknown[];
  return (
    isIndex(i) && typeof id === 'string' && (value.length === 2 || p === 0 || typeof p === 'string')
  );
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

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
