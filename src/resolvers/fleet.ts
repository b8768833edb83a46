import type { FleetResolvers, QueryResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput, ErrorCode, GatewayError } from '../errors.js';
import type { GatewayContext } from '../context.js';
import type { FleetRecord } from '../upstream/types.js';
import { resolveListConnection } from './list-connection.js';
import { listedRegions, regionArg, regionsBinding } from './regions.js';
import type { FleetModel } from './models.js';
import { recordFields } from './record-fields.js';
import { resolveSessionConnection } from './session-connection.js';
import { toSessionFilter, toSessionQuery, validateName } from './validate.js';
import { canSeeFleet, scopeBinding, visibleFleets, visibleStacks } from './visibility.js';

/** The model of a fleet of `region` whose record is known. */
export const fleetModel = (record: FleetRecord, region: string): FleetModel => ({
  kind: 'Fleet',
  name: record.name,
  region,
  record,
});

/**
 * Loads a fleet of `region` by name; null when AppStream has no such fleet there or the caller
 * may not see it (no visible stack is associated with it). Both lookups run in the same batch.
 */
export async function loadFleet(
  context: GatewayContext,
  name: string,
  region: string,
): Promise<FleetModel | null> {
  const [record, visible] = await Promise.all([
    context.loadersOf(region).fleets.load(name),
    canSeeFleet(context, name, region),
  ]);
  return record === null || !visible ? null : fleetModel(record, region);
}

/**
 * The fleet of a listed session, without the visibility lookup: AppStream lists sessions only
 * for associated (stack, fleet) pairs, and the session's stack passed the caller's scope, so its
 * fleet is associated with a visible stack.
 */
export async function loadFleetOfSession(
  context: GatewayContext,
  session: {
    readonly stackName: string;
    readonly fleetName: string;
    readonly region: string;
  },
): Promise<FleetModel | null> {
  if (!context.scope.canSeeStack(session.stackName)) return null;
  const record = await context.loadersOf(session.region).fleets.load(session.fleetName);
  return record === null ? null : fleetModel(record, session.region);
}

async function recordOf(fleet: FleetModel, context: GatewayContext): Promise<FleetRecord> {
  const record = fleet.record ?? (await context.loadersOf(fleet.region).fleets.load(fleet.name));
  if (record === null) {
    throw new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no fleet "${fleet.name}".`);
  }
  return record;
}

export const fleet: NonNullable<QueryResolvers['fleet']> = (_parent, args, context) =>
  loadFleet(context, validateName('name', args.name), regionArg(context, args.region));

export const fleets: NonNullable<QueryResolvers['fleets']> = (_parent, args, context) =>
  resolveListConnection(
    context,
    {
      binding: `fleets${regionsBinding(context, args.region)}${scopeBinding(context)}`,
      regions: listedRegions(context, args.region),
      pages: (loaders) => loaders.fleetPages,
      byName: (loaders) => loaders.fleets,
      toNode: fleetModel,
      visible: (names, region) => visibleFleets(context, names, region),
    },
    args,
  );

export const Fleet: FleetResolvers = {
  id: (fleet, _args, context) =>
    context.ids.encode({ type: 'Fleet', name: fleet.name, region: fleet.region }),
  name: (fleet) => fleet.name,
  ...recordFields(recordOf, [
    'displayName',
    'description',
    'state',
    'instanceType',
    'fleetType',
    'computeCapacity',
    'createdTime',
    'imageName',
    'platform',
    'streamView',
    'maxUserDurationInSeconds',
    'disconnectTimeoutInSeconds',
    'idleDisconnectTimeoutInSeconds',
    'maxConcurrentSessions',
    'maxSessionsPerInstance',
    'enableDefaultInternetAccess',
  ]),
  stacks: async (fleet, _args, context) => {
    const names = await context.loadersOf(fleet.region).stacksOfFleet.load(fleet.name);
    return visibleStacks(context, names).map((name) => ({
      kind: 'Stack' as const,
      name,
      region: fleet.region,
      viaFleet: fleet.name,
    }));
  },
  sessions: (fleet, args, context, info) => {
    const stackName = args.stackName ?? fleet.viaStack;
    if (stackName === undefined) {
      throw badUserInput(
        '`Fleet.sessions` needs `stackName` here: AppStream lists sessions per stack and fleet. ' +
          'Pass it, or reach this fleet through `Stack.fleets` to default to that stack.',
      );
    }
    const query = toSessionQuery(stackName, fleet.name, args);
    const filter = toSessionFilter(args);
    return resolveSessionConnection(context, fleet.region, [query], args, info, filter);
  },
};
