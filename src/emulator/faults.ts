import type { OperationName } from './types.js';
import type { JsonObject } from './validation.js';

/** What a fault does instead of (or before) the normal response. */
export type FaultError =
  'ThrottlingException' | 'RequestLimitExceededException' | 'http500' | 'http503' | 'drop';

/**
 * An injected fault. A rule matches a call when every scope it sets matches: `operation`;
 * `stackName` (the request's StackName, or one of DescribeStacks' Names); `fleetName` (FleetName,
 * or one of DescribeFleets' Names). A rule with a stack or fleet scope never matches a call that
 * names no stack or fleet.
 */
export interface FaultRule {
  operation?: OperationName;
  stackName?: string;
  fleetName?: string;
  /** Delay before responding (also before an error or a drop). */
  latencyMs?: number;
  /**
   * ThrottlingException / RequestLimitExceededException: HTTP 400 with that `__type`;
   * http500 / http503: `InternalServiceException` / `ServiceUnavailableException` with that
   * status; drop: the socket is destroyed without a response.
   */
  error?: FaultError;
  /**
   * The error's `message` instead of the default one: real AppStream messages can carry ARNs and
   * account ids, and tests use this to prove that none of it reaches a client or a log line.
   */
  message?: string;
  /** Applies to the next N matching calls, then the rule is removed. Default: unlimited. */
  times?: number;
  /**
   * Applies to this fraction of matching calls (0 to 1), drawn at random per call, for soak
   * tests: `{ error: 'http500', rate: 0.05 }` fails about 5% of calls. Default 1 (every call).
   * A call the draw skips does not use up `times`.
   */
  rate?: number;
}

/** The combined effect of every rule that matched one call. */
export interface FaultEffect {
  latencyMs: number;
  error: FaultError | undefined;
  /** The message of the rule whose error won, if it set one. */
  message: string | undefined;
}

/**
 * Runtime control of injected faults. Every matching rule applies to a call: latencies add up,
 * the error of the earliest-added matching rule with an error wins, and each matching rule uses
 * up one of its `times`.
 */
export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  /** Rules still active, with `times` showing the remaining count. */
  list(): FaultRule[];
}

/** The controller plus the hook the server calls once per request. */
export interface FaultEngine extends FaultController {
  /** Matches and consumes rules for one call; `input` is undefined when the body did not parse. */
  take(operation: string | undefined, input: JsonObject | undefined): FaultEffect;
}

/**
 * Creates a fault engine holding copies of `initial`. Throws `RangeError` for invalid rules.
 * `random` draws the `rate` of each rule (default `Math.random`).
 */
export function createFaults(
  initial: readonly FaultRule[] = [],
  random: () => number = Math.random,
): FaultEngine {
  let rules: FaultRule[] = [];
  const add = (rule: FaultRule): void => {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new RangeError(`fault rule: times must be a positive integer, got ${rule.times}`);
    }
    if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) {
      throw new RangeError(`fault rule: latencyMs must be >= 0, got ${rule.latencyMs}`);
    }
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) {
      throw new RangeError(`fault rule: rate must be from 0 to 1, got ${rule.rate}`);
    }
    rules.push({ ...rule });
  };
  initial.forEach(add);
  return {
    add,
    clear: () => {
      rules = [];
    },
    list: () => rules.map((r) => ({ ...r })),
    take(operation, input) {
      const effect: FaultEffect = { latencyMs: 0, error: undefined, message: undefined };
      for (const rule of rules) {
        if (!ruleMatches(rule, operation, input)) continue;
        if (rule.rate !== undefined && random() >= rule.rate) continue;
        effect.latencyMs += rule.latencyMs ?? 0;
        if (effect.error === undefined && rule.error !== undefined) {
          effect.error = rule.error;
          effect.message = rule.message;
        }
        if (rule.times !== undefined) rule.times -= 1;
      }
      rules = rules.filter((r) => r.times === undefined || r.times > 0);
      return effect;
    },
  };
}

function ruleMatches(
  rule: FaultRule,
  operation: string | undefined,
  input: JsonObject | undefined,
): boolean {
  if (rule.operation !== undefined && rule.operation !== operation) return false;
  if (rule.stackName !== undefined) {
    const names = operation === 'DescribeStacks' ? input?.['Names'] : undefined;
    if (!mentions(input?.['StackName'], names, rule.stackName)) return false;
  }
  if (rule.fleetName !== undefined) {
    const names = operation === 'DescribeFleets' ? input?.['Names'] : undefined;
    if (!mentions(input?.['FleetName'], names, rule.fleetName)) return false;
  }
  return true;
}

function mentions(single: unknown, list: unknown, name: string): boolean {
  return single === name || (Array.isArray(list) && list.includes(name));
}
