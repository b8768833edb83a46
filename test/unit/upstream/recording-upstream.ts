import type {
  SessionQuery,
  SessionRecord,
  Upstream,
  UpstreamCallOptions,
  UpstreamPage,
} from '../../../src/upstream/types.js';

/** One call that reached the recording upstream. */
export interface RecordedCall {
  readonly operation: string;
  readonly args: readonly unknown[];
  readonly scope: string | undefined;
}

/** A session record with only its id and listing set, for tests that compare identities. */
export const session = (id: string, query: SessionQuery): SessionRecord => ({
  region: 'us-east-1',
  id,
  userId: `user-${id}`,
  stackName: query.stackName,
  fleetName: query.fleetName,
  state: 'ACTIVE',
  connectionState: null,
  startTime: null,
  maxExpirationTime: null,
  authenticationType: query.authenticationType ?? null,
  networkAccessConfiguration: null,
  instanceId: query.instanceId ?? null,
  instanceDrainStatus: null,
});

/**
 * An in-memory upstream that records every call that reaches it. Each DescribeSessions call
 * returns a fresh page whose session ids carry a call number, so tests can tell a fresh page
 * from a cached or shared one. `gate` (when set) holds every call until it resolves.
 */
export function createRecordingUpstream() {
  const calls: RecordedCall[] = [];
  let gate: Promise<void> | undefined;
  let failNext: Error | undefined;
  const record = async (
    operation: string,
    args: readonly unknown[],
    options: UpstreamCallOptions | undefined,
  ): Promise<number> => {
    calls.push({ operation, args, scope: options?.scope });
    const number = calls.length;
    if (gate !== undefined) await gate;
    if (failNext !== undefined) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    return number;
  };
  const names = async (
    operation: string,
    name: string,
    token: string | null,
    options: UpstreamCallOptions | undefined,
  ): Promise<UpstreamPage<string>> => {
    const n = await record(operation, [name, token], options);
    return { items: [`${name}-${n}`], nextToken: null };
  };
  const upstream: Upstream = {
    async describeSessions(query, token, options) {
      const n = await record('DescribeSessions', [query, token], options);
      return {
        items: [session(`s${n}-a`, query), session(`s${n}-b`, query)],
        nextToken: token === null ? 'page-2' : null,
      };
    },
    async describeStacks(list, token, options) {
      await record('DescribeStacks', [list, token], options);
      return { items: [], nextToken: null };
    },
    async describeFleets(list, token, options) {
      await record('DescribeFleets', [list, token], options);
      return { items: [], nextToken: null };
    },
    listAssociatedFleets: (name, token, options) =>
      names('ListAssociatedFleets', name, token, options),
    listAssociatedStacks: (name, token, options) =>
      names('ListAssociatedStacks', name, token, options),
  };
  return {
    upstream,
    calls,
    /** Holds every call until the returned function is called. */
    hold: (): (() => void) => {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
    failNextWith: (error: Error) => {
      failNext = error;
    },
  };
}
