import { isDeepStrictEqual } from 'node:util';
import type { OperationName } from './types.js';
import type { JsonObject } from './validation.js';

/** How one HTTP request ended. */
export type CallOutcome = 'success' | 'error' | 'dropped';

/** One HTTP request that reached the emulator, recorded just before its response was written. */
export interface CallRecord {
  /** 1-based arrival order. */
  seq: number;
  /** The operation from `x-amz-target` (also unknown ones); undefined without the service prefix. */
  operation: string | undefined;
  /** The parsed JSON body; undefined when it did not parse. */
  input: JsonObject | undefined;
  /** HTTP status sent; 0 for a dropped connection. */
  status: number;
  outcome: CallOutcome;
  /** `__type` of an error response. */
  errorType?: string;
  /** True when an injected fault (latency or error) applied. */
  faulted: boolean;
  /**
   * When the request arrived (its body read), in `Date.now()` milliseconds, before any injected
   * latency: what a rate limit at AppStream would count (tests count calls per second with it).
   */
  receivedAt: number;
}

/** Call accounting for tests: every request, including invalid and faulted ones. */
export interface CallLog {
  /** Copies of the records, oldest first. */
  list(): CallRecord[];
  /**
   * Number of calls to `operation` (all operations when undefined) whose input has every member
   * of `match` deep-equal to it (`{ StackName: 's1' }` matches any call with that stack).
   */
  count(operation?: OperationName, match?: Partial<JsonObject>): number;
  reset(): void;
}

/** The log plus the recorder the server uses. */
export interface CallRecorder extends CallLog {
  record(call: Omit<CallRecord, 'seq'>): void;
}

/** Creates an empty call log. */
export function createCallLog(): CallRecorder {
  let records: CallRecord[] = [];
  let seq = 0;
  return {
    record(call) {
      seq += 1;
      records.push({ seq, ...call });
    },
    list: () => records.map((r) => ({ ...r })),
    count(operation, match) {
      return records.filter((r) => {
        if (operation !== undefined && r.operation !== operation) return false;
        if (match === undefined) return true;
        const input = r.input ?? {};
        return Object.entries(match).every(([k, v]) => isDeepStrictEqual(input[k], v));
      }).length;
    },
    reset: () => {
      records = [];
      seq = 0;
    },
  };
}
