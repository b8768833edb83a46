import { datasetBuilder } from '../../src/emulator/index.js';

/** One stack (`stack-a`) with one fleet (`fleet-1`) holding `sessions` sessions. */
export const oneFleetDataset = (sessions: number) =>
  datasetBuilder()
    .stack('stack-a')
    .fleet('fleet-1')
    .associate('stack-a', 'fleet-1')
    .sessions('stack-a', 'fleet-1', sessions)
    .build();
