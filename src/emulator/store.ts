import { makeSession } from './factories.js';
import { createPrng } from './prng.js';
import { userForIndex } from './users.js';
import type { Association, Dataset, Fleet, Session, Stack } from './types.js';

/** A session to add at runtime: `StackName` and `FleetName` are required, the rest is generated. */
export type NewSession = Partial<Session> & Pick<Session, 'StackName' | 'FleetName'>;

/** Fields of a session that {@link EmulatorData.updateSession} may change (not its identity). */
export type SessionChanges = Partial<Omit<Session, 'Id' | 'StackName' | 'FleetName'>>;

/**
 * The emulator's live data: read access for tests and mutation for churn. Listings served after a
 * mutation reflect it immediately; paging is offset-based, so items shift as they do on AWS.
 * Returned arrays are copies; returned records are the stored objects (do not mutate them).
 */
export interface EmulatorData {
  stacks(): Stack[];
  fleets(): Fleet[];
  stack(name: string): Stack | undefined;
  fleet(name: string): Fleet | undefined;
  associations(): Association[];
  /** Fleet names associated with `stackName`, in association order. */
  associatedFleets(stackName: string): string[];
  /** Stack names associated with `fleetName`, in association order. */
  associatedStacks(fleetName: string): string[];
  /** The pair's sessions in listing (creation) order; empty for an unknown or unassociated pair. */
  sessions(stackName: string, fleetName: string): Session[];
  /** Every session in creation order. */
  allSessions(): Session[];
  session(id: string): Session | undefined;
  /**
   * Appends a session at the end of its pair's listing. Throws if the pair is not associated or
   * the `Id` is taken. Generated defaults: a fresh Id, `StartTime` now, state ACTIVE.
   */
  addSession(session: NewSession): Session;
  /** Removes a session from every listing; false when no such session. */
  endSession(id: string): boolean;
  /**
   * Changes fields of a listed session in place (same position in its listing), for example
   * `{ State: 'EXPIRED' }` or `{ ConnectionState: 'NOT_CONNECTED' }`; the stored record is
   * replaced, not mutated. Returns the new record, or undefined when no such session.
   */
  updateSession(id: string, changes: SessionChanges): Session | undefined;
  /** Removes a stack with its associations and sessions; false when no such stack. */
  removeStack(name: string): boolean;
  /** Removes a fleet with its associations and sessions; false when no such fleet. */
  removeFleet(name: string): boolean;
}

/** The store as the operations see it: {@link EmulatorData} plus O(1) access to live listings. */
export interface Store extends EmulatorData {
  /** The live, ordered session array of a pair (not a copy); undefined when not associated. */
  livePair(stackName: string, fleetName: string): readonly Session[] | undefined;
}

const pairKey = (stackName: string, fleetName: string): string => `${stackName}\u0000${fleetName}`;

/** Indexes `dataset`; throws an `Error` for duplicate names or ids and dangling references. */
export function createStore(dataset: Dataset, seed = 1): Store {
  const stacks = new Map<string, Stack>();
  const fleets = new Map<string, Fleet>();
  let associations: Association[] = [];
  const pairs = new Map<string, Session[]>();
  const byId = new Map<string, Session>();
  const rng = createPrng(seed ^ 0x5eed5eed);

  for (const s of dataset.stacks) {
    if (stacks.has(s.Name)) throw new Error(`dataset: duplicate stack '${s.Name}'`);
    stacks.set(s.Name, s);
  }
  for (const f of dataset.fleets) {
    if (fleets.has(f.Name)) throw new Error(`dataset: duplicate fleet '${f.Name}'`);
    fleets.set(f.Name, f);
  }
  for (const a of dataset.associations) {
    if (!stacks.has(a.StackName)) throw new Error(`dataset: unknown stack '${a.StackName}'`);
    if (!fleets.has(a.FleetName)) throw new Error(`dataset: unknown fleet '${a.FleetName}'`);
    const key = pairKey(a.StackName, a.FleetName);
    if (pairs.has(key)) continue;
    pairs.set(key, []);
    associations.push({ StackName: a.StackName, FleetName: a.FleetName });
  }
  const insert = (s: Session): void => {
    const list = pairs.get(pairKey(s.StackName, s.FleetName));
    if (list === undefined) {
      throw new Error(
        `dataset: session '${s.Id}' is on unassociated pair ${s.StackName}/${s.FleetName}`,
      );
    }
    if (byId.has(s.Id)) throw new Error(`dataset: duplicate session id '${s.Id}'`);
    list.push(s);
    byId.set(s.Id, s);
  };
  for (const s of dataset.sessions) insert(s);

  const dropPairs = (match: (a: Association) => boolean): void => {
    for (const a of associations.filter(match)) {
      const key = pairKey(a.StackName, a.FleetName);
      for (const s of pairs.get(key) ?? []) byId.delete(s.Id);
      pairs.delete(key);
    }
    associations = associations.filter((a) => !match(a));
  };

  return {
    stacks: () => [...stacks.values()],
    fleets: () => [...fleets.values()],
    stack: (name) => stacks.get(name),
    fleet: (name) => fleets.get(name),
    associations: () => associations.map((a) => ({ ...a })),
    associatedFleets: (name) =>
      associations.filter((a) => a.StackName === name).map((a) => a.FleetName),
    associatedStacks: (name) =>
      associations.filter((a) => a.FleetName === name).map((a) => a.StackName),
    sessions: (stackName, fleetName) => [...(pairs.get(pairKey(stackName, fleetName)) ?? [])],
    allSessions: () => [...byId.values()],
    session: (id) => byId.get(id),
    livePair: (stackName, fleetName) => pairs.get(pairKey(stackName, fleetName)),
    addSession(partial) {
      const fleet = fleets.get(partial.FleetName);
      const list = pairs.get(pairKey(partial.StackName, partial.FleetName));
      if (fleet === undefined || list === undefined) {
        throw new Error(`addSession: ${partial.StackName}/${partial.FleetName} is not associated`);
      }
      const fleetIndex = [...fleets.keys()].indexOf(fleet.Name);
      const session = makeSession(
        rng,
        {
          stackName: partial.StackName,
          fleet,
          fleetIndex,
          startTime: Date.now(),
          user: userForIndex(rng.int(50)),
          fleetOrdinal: 100_000 + byId.size,
        },
        { State: 'ACTIVE', ConnectionState: 'CONNECTED', ...partial },
      );
      insert(session);
      return session;
    },
    endSession(id) {
      const s = byId.get(id);
      if (s === undefined) return false;
      byId.delete(id);
      const list = pairs.get(pairKey(s.StackName, s.FleetName));
      const at = list === undefined ? -1 : list.indexOf(s);
      if (list !== undefined && at >= 0) list.splice(at, 1);
      return true;
    },
    updateSession(id, changes) {
      const s = byId.get(id);
      if (s === undefined) return undefined;
      const updated: Session = {
        ...s,
        ...changes,
        Id: s.Id,
        StackName: s.StackName,
        FleetName: s.FleetName,
      };
      byId.set(id, updated);
      const list = pairs.get(pairKey(s.StackName, s.FleetName));
      const at = list === undefined ? -1 : list.indexOf(s);
      if (list !== undefined && at >= 0) list[at] = updated;
      return updated;
    },
    removeStack(name) {
      if (!stacks.delete(name)) return false;
      dropPairs((a) => a.StackName === name);
      return true;
    },
    removeFleet(name) {
      if (!fleets.delete(name)) return false;
      dropPairs((a) => a.FleetName === name);
      return true;
    },
  };
}
