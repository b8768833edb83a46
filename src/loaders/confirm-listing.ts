import type DataLoader from 'dataloader';
import { ErrorCode, GatewayError } from '../errors.js';
import type { FleetRecord, SessionQuery, StackRecord } from '../upstream/types.js';

/**
 * Says whether a DescribeSessions listing's stack and fleet exist: a `NOT_FOUND` error naming the
 * stack when it is missing, else the fleet when that is missing, or null when both exist. Rejects when the lookups themselves fail.
 */
export type ListingCheck = (query: SessionQuery) => Promise<GatewayError | null>;

/**
 * A {@link ListingCheck} through the request's batched DescribeStacks/DescribeFleets loaders, so
 * the checks of every empty listing of a request share one call of each (and a name already
 * looked up costs nothing). AppStream's model declares no error for DescribeSessions on an
 * unknown stack or fleet: it may fail (`ResourceNotFoundException`) or list nothing, so the
 * gateway asks for the names themselves instead of trusting either behaviour.
 */
export function createListingCheck(
  stacks: DataLoader<string, StackRecord | null>,
  fleets: DataLoader<string, FleetRecord | null>,
): ListingCheck {
  return async (query) => {
    const [stack, fleet] = await Promise.all([
      stacks.load(query.stackName),
      fleets.load(query.fleetName),
    ]);
    if (stack === null) return noSuchStack(query.stackName);
    if (fleet === null) {
      return new GatewayError(ErrorCode.NOT_FOUND, `AppStream has no fleet "${query.fleetName}".`);
    }
    return null;
  };
}

/**
 * The `NOT_FOUND` of a listing whose stack does not exist. It names the stack only, whatever the
 * fleet: a stack outside the caller's allow-list gets the very same error without any upstream
 * call, so the two stay indistinguishable.
 */
export function noSuchStack(stackName: string): GatewayError {
  return new GatewayError(ErrorCode.NOT_FOUND, `AppStream has no stack "${stackName}".`);
}
