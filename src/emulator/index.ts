/** Public surface of the AppStream 2.0 emulator. Importing it has no side effects. */
export { createEmulator, DEFAULT_LIST_PAGE_SIZE } from './emulator.js';
export type { Emulator, EmulatorOptions, LiveOptions } from './emulator.js';
export { createDataset, DEFAULT_SEED, DEFAULT_SESSION_COUNT, withCapacityFor } from './seed.js';
export type { DatasetOptions } from './seed.js';
export { datasetBuilder } from './builder.js';
export type { DatasetBuilder, SessionOverrides } from './builder.js';
export type { EmulatorData, NewSession, SessionChanges } from './store.js';
export type { CallLog, CallOutcome, CallRecord } from './calls.js';
export type { FaultController, FaultError, FaultRule } from './faults.js';
export type { EmptyPageAtEnd, UnknownNameInSessions } from './operations.js';
export type { ServiceErrorType } from './errors.js';
export { DEFAULT_LIMIT, MAX_LIMIT, NAME_PATTERN } from './validation.js';
export { TARGET_PREFIX } from './server.js';
export { ACCOUNT_ID, REGION } from './templates.js';
export { AUTHENTICATION_TYPES, OPERATIONS, isOperationName } from './types.js';
export type * from './types.js';
