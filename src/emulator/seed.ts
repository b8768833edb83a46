import { makeFleet, makeSession, makeStack, SESSION_EPOCH } from './factories.js';
import { createPrng, type Prng } from './prng.js';
import { ASSOCIATION_TEMPLATE, FLEET_TEMPLATES, STACK_TEMPLATES } from './templates.js';
import type { Association, Dataset, Fleet, Session } from './types.js';
import { userForIndex } from './users.js';

/** Options of {@link createDataset}. */
export interface DatasetOptions {
  /** PRNG seed; the same seed and size always give the same dataset. Default 1. */
  seed?: number;
  /** Total number of sessions, 0..1,000,000. Default 600. */
  sessions?: number;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_SESSION_COUNT = 600;
const SESSION_WINDOW_MS = 7 * 86_400_000;

/**
 * Generates the seeded dataset: 6 stacks, 8 fleets, 13 many-to-many associations (one stack with
 * three fleets, one fleet on three stacks, one STOPPED fleet whose pair has no sessions) and
 * `sessions` sessions spread unevenly over the other pairs, in creation (StartTime) order.
 * Users are drawn from a skewed pool, so some users have several sessions. Deterministic in
 * (seed, sessions); 100,000 sessions take well under a second.
 */
export function createDataset(options: DatasetOptions = {}): Dataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.sessions ?? DEFAULT_SESSION_COUNT;
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new RangeError(`sessions must be an integer in 0..1000000, got ${count}`);
  }
  const rng = createPrng(seed);
  const stacks = STACK_TEMPLATES.map((tpl, i) => makeStack(tpl.name, i, rng));
  const fleets = FLEET_TEMPLATES.map((tpl, i) => makeFleet(tpl.name, i, rng));
  const associations: Association[] = [];
  for (const [s, f] of ASSOCIATION_TEMPLATE) {
    const stack = stacks[s];
    const fleet = fleets[f];
    if (stack && fleet) associations.push({ StackName: stack.Name, FleetName: fleet.Name });
  }
  const sessions = seedSessions(rng, fleets, associations, count);
  return {
    stacks,
    fleets: fleets.map((f) => withCapacityFor(f, sessions)),
    associations,
    sessions,
  };
}

function seedSessions(
  rng: Prng,
  fleets: readonly Fleet[],
  associations: readonly Association[],
  count: number,
): Session[] {
  const fleetIndex = new Map(fleets.map((f, i) => [f.Name, i]));
  const pairs = associations.flatMap((a) => {
    const i = fleetIndex.get(a.FleetName);
    const fleet = i === undefined ? undefined : fleets[i];
    if (fleet === undefined || i === undefined || fleet.State === 'STOPPED') return [];
    return [{ stackName: a.StackName, fleet, fleetIndex: i, weight: 0.3 + rng.next() * 1.7 }];
  });
  const total = pairs.reduce((sum, p) => sum + p.weight, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const p of pairs) cumulative.push((acc += p.weight / total));
  const ordinals = new Array<number>(fleets.length).fill(0);
  const userPool = Math.max(8, Math.ceil(count / 2.5));
  const step = count === 0 ? 0 : SESSION_WINDOW_MS / count;
  const sessions = new Array<Session>(count);
  for (let n = 0; n < count; n++) {
    const r = rng.next();
    let k = 0;
    while (k < cumulative.length - 1 && (cumulative[k] ?? 1) <= r) k++;
    const pair = pairs[k];
    if (pair === undefined) throw new Error('no pair can hold sessions');
    const ordinal = ordinals[pair.fleetIndex] ?? 0;
    ordinals[pair.fleetIndex] = ordinal + 1;
    const u = rng.next();
    sessions[n] = makeSession(rng, {
      stackName: pair.stackName,
      fleet: pair.fleet,
      fleetIndex: pair.fleetIndex,
      startTime: SESSION_EPOCH + n * step + rng.next() * step,
      user: userForIndex(Math.floor(userPool * u * u)),
      fleetOrdinal: ordinal,
    });
  }
  return sessions;
}

/**
 * Returns `fleet` with ComputeCapacityStatus consistent with its non-expired sessions: instances
 * for single-session fleets, user-session counts for multi-session and elastic fleets.
 */
export function withCapacityFor(fleet: Fleet, sessions: readonly Session[]): Fleet {
  if (fleet.State === 'STOPPED') {
    return { ...fleet, ComputeCapacityStatus: { Desired: 0, Running: 0, InUse: 0, Available: 0 } };
  }
  let live = 0;
  let active = 0;
  for (const s of sessions) {
    if (s.FleetName !== fleet.Name || s.State === 'EXPIRED') continue;
    live++;
    if (s.State === 'ACTIVE') active++;
  }
  const perInstance = fleet.MaxSessionsPerInstance ?? 1;
  const inUse = Math.ceil(live / perInstance);
  const spare = Math.max(2, Math.ceil(inUse * 0.1));
  const running = inUse + spare;
  const capacity: Fleet['ComputeCapacityStatus'] = {
    Desired: running,
    Running: running,
    InUse: inUse,
    Available: spare,
  };
  if (perInstance > 1 || fleet.FleetType === 'ELASTIC') {
    capacity.DesiredUserSessions = running * perInstance;
    capacity.ActualUserSessions = running * perInstance;
    capacity.ActiveUserSessions = active;
    capacity.AvailableUserSessions = running * perInstance - live;
  }
  return { ...fleet, ComputeCapacityStatus: capacity };
}
