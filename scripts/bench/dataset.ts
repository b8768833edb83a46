/** The benchmark's data: a small dashboard account, and one stack whose fleets are walked. */
export const DASHBOARD = {
  stacks: ['dash-1', 'dash-2', 'dash-3', 'dash-4', 'dash-5'],
  fleets: {
    'dash-1': ['dash-1-a', 'dash-1-b'],
    'dash-2': ['dash-2-a', 'dash-2-b'],
    'dash-3': ['dash-3-a', 'dash-3-b'],
    'dash-4': ['dash-4-a', 'dash-4-b'],
    'dash-5': ['dash-5-a', 'dash-5-b'],
  } as Record<string, readonly string[]>,
  sessions: 30,
} as const;

/** Fleets of the `bench` stack and their session counts (walks use a fleet each, so cached pages of one walk never serve another). */
export const BENCH_FLEETS: Record<string, number> = {
  load: 137,
  latency: 137,
  'walk-137': 137,
  'walk-1000-20': 1000,
  'walk-100-empty': 100,
  'walk-1000-50': 1000,
  'walk-1000-100': 1000,
  'grow-1000': 1000,
  'grow-10000': 10_000,
  'grow-100000': 100_000,
};
