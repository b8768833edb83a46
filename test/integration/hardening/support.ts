import { datasetBuilder } from '../../../src/emulator/index.js';

/** One stack on two fleets: faults scoped to fleet-1 must leave fleet-2's fields intact. */
export const twoFleets = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .fleet('fleet-2')
  .associate('stack-a', 'fleet-1')
  .associate('stack-a', 'fleet-2')
  .sessions('stack-a', 'fleet-1', 30)
  .sessions('stack-a', 'fleet-2', 10)
  .build();

/** Two sibling fields, `a` on fleet-1 and `b` on fleet-2. */
export const TWO = `{
  a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 2) { nodes { sessionId } }
  b: sessions(stackName: "stack-a", fleetName: "fleet-2", first: 2) { nodes { sessionId } }
}`;

/** Only the field on fleet-1. */
export const ONLY_A = `{ a: sessions(stackName: "stack-a", fleetName: "fleet-1", first: 2) { nodes { sessionId } } }`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
