import { makeFleet, makeSession, makeStack, SESSION_EPOCH } from './factories.js';
import { createPrng } from './prng.js';
import { userForIndex } from './users.js';
import type { Association, Dataset, Fleet, Session, Stack } from './types.js';

/** Per-session overrides: one object for every session, or a function of the 0-based index. */
export type SessionOverrides = Partial<Session> | ((index: number) => Partial<Session>);

/** Fluent builder of an exact {@link Dataset}; see {@link datasetBuilder}. */
export interface DatasetBuilder {
  /** Adds a stack with generated fields; `overrides` win. Names must be unique. */
  stack(name: string, overrides?: Partial<Stack>): DatasetBuilder;
  /** Adds a fleet with generated fields; `overrides` win. Names must be unique. */
  fleet(name: string, overrides?: Partial<Fleet>): DatasetBuilder;
  /** Associates an existing stack and fleet (idempotent). */
  associate(stackName: string, fleetName: string): DatasetBuilder;
  /**
   * Appends `count` sessions to an associated pair, after every session added so far (creation
   * order). Users rotate over a pool of `users` identities (default 5), so users repeat.
   */
  sessions(
    stackName: string,
    fleetName: string,
    count: number,
    overrides?: SessionOverrides,
    options?: { users?: number },
  ): DatasetBuilder;
  /** The dataset built so far (a fresh copy of the arrays each call). */
  build(): Dataset;
}

/**
 * Starts an empty dataset. Generated fields are deterministic in `seed` and the call sequence.
 * Every method throws an `Error` naming the problem for unknown or duplicate names and for
 * sessions on a pair that is not associated.
 *
 * @example datasetBuilder().stack('s1').fleet('f1').associate('s1', 'f1').sessions('s1', 'f1', 137).build()
 */
export function datasetBuilder(options: { seed?: number } = {}): DatasetBuilder {
  const rng = createPrng(options.seed ?? 1);
  const stacks: Stack[] = [];
  const fleets: Fleet[] = [];
  const associations: Association[] = [];
  const sessions: Session[] = [];
  const fleetOrdinals = new Map<string, number>();
  let clock = SESSION_EPOCH;

  const findFleet = (name: string): number => {
    const i = fleets.findIndex((f) => f.Name === name);
    if (i < 0) throw new Error(`datasetBuilder: unknown fleet '${name}'`);
    return i;
  };
  const builder: DatasetBuilder = {
    stack(name, overrides) {
      if (stacks.some((s) => s.Name === name))
        throw new Error(`datasetBuilder: duplicate stack '${name}'`);
      stacks.push(makeStack(name, stacks.length, rng, overrides));
      return builder;
    },
    fleet(name, overrides) {
      if (fleets.some((f) => f.Name === name))
        throw new Error(`datasetBuilder: duplicate fleet '${name}'`);
      fleets.push(makeFleet(name, fleets.length, rng, overrides));
      return builder;
    },
    associate(stackName, fleetName) {
      if (!stacks.some((s) => s.Name === stackName)) {
        throw new Error(`datasetBuilder: unknown stack '${stackName}'`);
      }
      findFleet(fleetName);
      const exists = associations.some(
        (a) => a.StackName === stackName && a.FleetName === fleetName,
      );
      if (!exists) associations.push({ StackName: stackName, FleetName: fleetName });
      return builder;
    },
    sessions(stackName, fleetName, count, overrides, opts) {
      const associated = associations.some(
        (a) => a.StackName === stackName && a.FleetName === fleetName,
      );
      if (!associated) {
        throw new Error(`datasetBuilder: '${stackName}' and '${fleetName}' are not associated`);
      }
      const fleetIndex = findFleet(fleetName);
      const fleet = fleets[fleetIndex];
      if (fleet === undefined) throw new Error(`datasetBuilder: unknown fleet '${fleetName}'`);
      const users = Math.max(1, opts?.users ?? 5);
      for (let i = 0; i < count; i++) {
        const ordinal = fleetOrdinals.get(fleetName) ?? 0;
        fleetOrdinals.set(fleetName, ordinal + 1);
        clock += 60_000;
        const extra = typeof overrides === 'function' ? overrides(i) : overrides;
        const placement = {
          stackName,
          fleet,
          fleetIndex,
          startTime: clock,
          user: userForIndex(i % users),
          fleetOrdinal: ordinal,
        };
        sessions.push(makeSession(rng, placement, extra));
      }
      return builder;
    },
    build() {
      return {
        stacks: [...stacks],
        fleets: [...fleets],
        associations: [...associations],
        sessions: [...sessions],
      };
    },
  };
  return builder;
}
