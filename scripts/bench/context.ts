/** What every measurement group of the benchmark is given by `run.ts`. */
import type { BenchProcess } from './proc.js';

/** Sums over rounds of one measured system. */
export interface Totals {
  requests: number;
  cpuSeconds: number;
  seconds: number;
}

export interface BenchContext {
  /** The emulator process (IPC: count, reset, latency, emptyPageAtEnd). */
  readonly emulator: BenchProcess;
  /** Starts a gateway process: `node dist/main.js`, or `node --import tsx src/main.ts` (npm start). */
  readonly gateway: (
    name: string,
    env?: Record<string, string>,
    viaTsx?: boolean,
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
