import type { GatewayContext } from '../context.js';
import { seesEveryStack, seesNoStack } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { noSuchStack } from '../loaders/index.js';

/**
 * The stack allow-list as resolvers apply it. Whatever the caller may not see behaves exactly as
 * if it did not exist: `null`, absent from lists, or `NOT_FOUND` with the message AppStream's own
 * "no such stack" gets, never a "forbidden" that would confirm the name. Checks on stacks are
 * free (the scope answers); checks on fleets cost one ListAssociatedStacks call per fleet,
 * batched by the request's loader and shared with `Fleet.stacks`. An unrestricted scope costs
 * nothing anywhere.
 */

/** `NOT_FOUND` for a session listing of a stack the caller may not see, before any upstream call. */
export function assertStackVisible(
  context: GatewayContext,
  stackName: string,
  fleetName?: string,
): void {
  if (context.scope.canSeeStack(stackName)) return;
  throw new GatewayError(
    ErrorCode.NOT_FOUND,
    fleetName === undefined
      ? `AppStream found no stack "${stackName}".`
      : // The message of a listing whose stack does not exist (see `loaders/confirm-listing.ts`).
        noSuchStack(stackName).message,
  );
}

/** The names among `stackNames` the caller may see, in their order. */
export function visibleStacks(
  context: GatewayContext,
  stackNames: readonly string[],
): readonly string[] {
  return seesEveryStack(context.scope)
    ? stackNames
    : stackNames.filter((name) => context.scope.canSeeStack(name));
}

/**
 * The names among `fleetNames` (fleets of `region`) the caller may see: fleets associated with at
 * least one visible stack of that region. A fleet AppStream does not know is not visible. Upstream failures reject.
 */
export async function visibleFleets(
  context: GatewayContext,
  fleetNames: readonly string[],
  region: string,
): Promise<ReadonlySet<string>> {
  if (seesEveryStack(context.scope)) return new Set(fleetNames);
  if (seesNoStack(context.scope)) return new Set();
  const stacks = await Promise.all(
    fleetNames.map(async (name) => {
      try {
        return await context.loadersOf(region).stacksOfFleet.load(name);
      } catch (error: unknown) {
        if (error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND) return [];
        throw error;
      }
    }),
  );
  return new Set(
    fleetNames.filter((_name, k) =>
      (stacks[k] ?? []).some((stack) => context.scope.canSeeStack(stack)),
    ),
  );
}

/** Whether the caller may see the fleet `fleetName` of `region` (see {@link visibleFleets}). */
export async function canSeeFleet(
  context: GatewayContext,
  fleetName: string,
  region: string,
): Promise<boolean> {
  return (await visibleFleets(context, [fleetName], region)).has(fleetName);
}

/** The binding suffix of a listing filtered by scope: empty when nothing is filtered. */
export function scopeBinding(context: GatewayContext): string {
  return seesEveryStack(context.scope) ? '' : `|scope:${context.scope.key}`;
}
