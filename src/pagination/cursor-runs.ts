/**
 * The payload of a version 5 cursor: how the positions of a response's edges are grouped into
 * runs sealed together, packed, and read back. Pure; the codec (`cursor.ts`) seals and opens.
 */
import type { CursorPosition } from './cursor.js';
import { MAX_INDEXED_HOLDERS } from './sealer.js';

/** Most edges sealed together in one payload (each adds about 10 to 20 bytes to its cursors). */
export const RUN_MAX_EDGES = 8;

/** Characters of a fingerprint: 48 bits of base64url. */
export const FINGERPRINT_LENGTH = 8;
const FINGERPRINTS = /^(?:[A-Za-z0-9_-]{8})+$/;

/** One entry of a run: index, key, and the predecessor's key (0: the previous entry's key). */
type Entry = [number, string] | [number, string, string | 0];

/**
 * What one sealed payload holds besides the binding digest: `e`, or, for the usual run of
 * consecutive items each preceded by the one before, the packed form `i` (first index), `k`
 * (their fingerprints, concatenated) and `q` (the first one's predecessor).
 */
export interface Run {
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
 * region, token and offset-minus-index), at most one of them page-final, at most
 * {@link RUN_MAX_EDGES}. Each comes with the number of positions it holds.
 */
export function runsOf(
  positions: readonly CursorPosition[],
): Array<{ readonly payload: Run; readonly count: number }> {
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
  return runs.map((full) => ({ payload: packed(full), count: full.e.length }));
}

export type Payload = CursorPosition & { readonly b: string };

/** The validated position of entry `index` of the payload, or a short reason (no values) why not. */
export function parsePayload(json: string, index: number): Payload | string {
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

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
