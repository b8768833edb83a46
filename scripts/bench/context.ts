/** What every measurement group of the benchmark is given by `run.ts`. */
import type { BenchProcess } from './proc.js';

/** How a gateway process is started. */
export type GatewayStart = 'production' | 'tsx' | 'bare';

/** Sums over rounds of one measured system. */
export interface Totals {
  requests: number;
  cpuSeconds: number;
  seconds: number;
}

export interface BenchContext {
  /** The emulator process (IPC: count, reset, latency, emptyPageAtEnd). */
  readonly emulator: BenchProcess;
  /**
   * Starts a gateway process: the production start (`npm run start:prod`'s node arguments), `tsx`
   * (`npm start`), or `bare` (`node dist/main.js` without the production start's flags).
   */
  readonly gateway: (
    name: string,
    env?: Record<string, string>,
    start?: GatewayStart,
  ) => Promise<BenchProcess>;
  /** Starts the hand-written peer (Apollo Server 5 defaults). */
  readonly peer: () => Promise<BenchProcess>;
  /** Starts the raw SDK process (IPC: load, walk). */
  readonly raw: () => Promise<BenchProcess>;
  /** CPU the OS charged `target` while `run` ran (run resolves with the requests it made). */
  readonly measure: (target: BenchProcess, run: () => Promise<number>) => Promise<Totals>;
  /** The stack whose fleets are walked. */
  readonly stack: string;
  /** Length of one load window. */
  readonly windowMs: number;
  /** How many alternating rounds of windows the CPU and 64-client groups measure (BENCH_ROUNDS). */
  readonly rounds: number;
  readonly log: (line?: string) => void;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Adds one window's totals to a system's sums. */
export function add(into: Map<string, Totals>, name: string, value: Totals): void {
  const sum = into.get(name) ?? { requests: 0, cpuSeconds: 0, seconds: 0 };
  into.set(name, {
    requests: sum.requests + value.requests,
    cpuSeconds: sum.cpuSeconds + value.cpuSeconds,
    seconds: sum.seconds + value.seconds,
  });
}

/** CPU per request in ms (NaN for a window without requests). */
export const cpuMs = (t: Totals) =>
  t.requests === 0 ? Number.NaN : (t.cpuSeconds * 1000) / t.requests;

/**
 * Measures each system once per round, in alternating order (forward, then backward), so a drift
 * of the machine's speed during the run falls on every system alike. Returns each system's
 * windows in round order.
 */
export async function alternate(
  rounds: number,
  systems: ReadonlyArray<readonly [name: string, measure: () => Promise<Totals>]>,
): Promise<Map<string, Totals[]>> {
  const windows = new Map<string, Totals[]>(systems.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? systems : [...systems].reverse();
    for (const [name, measure] of order) windows.get(name)?.push(await measure());
  }
  return windows;
}

/** Sums of each system's windows. */
export function totals(windows: Map<string, Totals[]>): Map<string, Totals> {
  const sums = new Map<string, Totals>();
  for (const [name, list] of windows) for (const window of list) add(sums, name, window);
  return sums;
}

/**
 * A ratio measured round by round: `of(numerator's window) ÷ of(denominator's window)` for each
 * round, reported as the median with the lowest and highest. Windows of one round run minutes
 * apart at most, so their ratio is steadier than a ratio of whole-run sums on a machine whose
 * speed moves by tens of percent between minutes.
 */
export function roundRatio(
  windows: Map<string, Totals[]>,
  numerator: string,
  denominator: string,
  of: (t: Totals) => number = cpuMs,
): { median: number; low: number; high: number; rounds: number[] } {
  const tops = windows.get(numerator) ?? [];
  const bottoms = windows.get(denominator) ?? [];
  const ratios = tops
    .map((top, i) => {
      const bottom = bottoms[i];
      return bottom === undefined ? Number.NaN : of(top) / of(bottom);
    })
    .filter((ratio) => Number.isFinite(ratio));
  return { ...spread(ratios), rounds: ratios.map((ratio) => round(ratio)) };
}

/** Median (the mean of the middle two for an even count), lowest and highest, rounded; NaN if none. */
export function spread(
  values: readonly number[],
  digits = 2,
): { median: number; low: number; high: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? Number.NaN)
      : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return {
    median: round(median, digits),
    low: round(sorted[0] ?? Number.NaN, digits),
    high: round(sorted[sorted.length - 1] ?? Number.NaN, digits),
  };
}

/** CPU per request (ms) and throughput (per second) of each system. */
export function summarize(totals: Map<string, Totals>) {
  return Object.fromEntries(
    [...totals].map(([name, t]) => [
      name,
      {
        requests: t.requests,
        cpuMsPerRequest: round((t.cpuSeconds * 1000) / Math.max(1, t.requests), 3),
        perSecond: round(t.requests / t.seconds, 1),
      },
    ]),
  );
}

/** Prints rows as `name  key value, key value`. */
export function table(log: (line: string) => void, rows: Record<string, Record<string, unknown>>) {
  for (const [name, row] of Object.entries(rows)) {
    const cells = Object.entries(row).map(([key, value]) => `${key} ${String(value)}`);
    log(`  ${name.padEnd(40)} ${cells.join(', ')}`);
  }
}
