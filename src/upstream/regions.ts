import { ErrorCode, GatewayError, tagRegion } from '../errors.js';
import type { Upstream, UpstreamCallOptions } from './types.js';

/** The region of a gateway given one plain upstream (the emulator's, and AppStream's default). */
export const DEFAULT_REGION = 'us-east-1';

/** One configured region and its upstream (its own SDK client, breaker and rate budget). */
export interface RegionUpstream {
  readonly region: string;
  readonly upstream: Upstream;
}

/**
 * One upstream over every configured region: each call goes to the upstream of its
 * `options.region` (absent: the first region). The layers above (page cache, single-flight,
 * metrics) are shared by the regions; since the region is part of every call's identity (see
 * `decorate.ts`), they never answer a call of one region with another's result. A region that is
 * not configured is a bug of the caller (resolvers validate `region` arguments first).
 */
export function createRegionRouter(regions: readonly RegionUpstream[]): Upstream {
  const [first] = regions;
  if (first === undefined) throw new RangeError('createRegionRouter needs at least one region');
  if (regions.length === 1) return first.upstream;
  const byName = new Map(regions.map(({ region, upstream }) => [region, upstream]));
  const route = (options: UpstreamCallOptions | undefined): Upstream => {
    const upstream = byName.get(options?.region ?? first.region);
    if (upstream === undefined) {
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'No such region is configured.');
    }
    return upstream;
  };
  // A failure's log line names the region whose upstream failed.
  const tagged = <T>(options: UpstreamCallOptions | undefined, call: Promise<T>): Promise<T> =>
    call.catch((error: unknown) => {
      throw tagRegion(error, options?.region ?? first.region);
    });
  return {
    describeSessions: (query, token, options) =>
      tagged(options, route(options).describeSessions(query, token, options)),
    describeStacks: (names, token, options) =>
      tagged(options, route(options).describeStacks(names, token, options)),
    describeFleets: (names, token, options) =>
      tagged(options, route(options).describeFleets(names, token, options)),
    listAssociatedFleets: (stackName, token, options) =>
      tagged(options, route(options).listAssociatedFleets(stackName, token, options)),
    listAssociatedStacks: (fleetName, token, options) =>
      tagged(options, route(options).listAssociatedStacks(fleetName, token, options)),
  };
}
