/** A small seeded pseudo-random generator (mulberry32). Same seed, same sequence; never `Math.random`. */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

/** Creates a generator; `seed` is reduced to 32 bits. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError('pick() from an empty array');
      return item;
    },
    hex(length) {
      let out = '';
      while (out.length < length) out += hex8(Math.floor(next() * 4294967296));
      return out.slice(0, length);
    },
  };
}

/** A uuid-shaped (version 4 layout) identifier drawn from `rng`. */
export function prngUuid(rng: Prng): string {
  const h = rng.hex(32);
  const variant = '89ab'[rng.int(4)] ?? '8';
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The 8 lowercase hex digits of a 32-bit unsigned integer (table-driven: hot in seeding). */
export function hex8(n: number): string {
  return (
    (BYTE_HEX[(n >>> 24) & 255] ?? '') +
    (BYTE_HEX[(n >>> 16) & 255] ?? '') +
    (BYTE_HEX[(n >>> 8) & 255] ?? '') +
    (BYTE_HEX[n & 255] ?? '')
  );
}
