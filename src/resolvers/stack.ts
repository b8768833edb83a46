import type { QueryResolvers, StackResolvers } from '../__generated__/resolvers-types.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { normalizeConnectionArgs } from '../pagination/index.js';
import type { GatewayContext } from '../context.js';
import type { StackRecord } from '../upstream/types.js';
import { resolveListConnection } from './list-connection.js';
import { listedRegions, regionArg, regionsBinding } from './regions.js';
import type { StackModel } from './models.js';
import { recordFields } from './record-fields.js';
import { resolveSessionConnection } from './session-connection.js';
import { assertStackVisible, scopeBinding } from './visibility.js';
import {
  toSessionFilter,
  toSessionQuery,
  validateName,
  validateSessionFilters,
} from './validate.js';

/** The model of a stack of `region` whose record is known. */
export const stackModel = (record: StackRecord, region: string): StackModel => ({
  kind: 'Stack',
  name: record.name,
  region,
  record,
});

/**
 * Loads a stack of `region` by name; null when AppStream has no such stack there or the caller
 * may not see it.
 */
export async function loadStack(
  context: GatewayContext,
  name: string,
  region: string,
): Promise<StackModel | null> {
  if (!context.scope.canSeeStack(name)) return null;
  const record = await context.loadersOf(region).stacks.load(name);
  return record === null ? null : stackModel(record, region);
}

async function recordOf(stack: StackModel, context: GatewayContext): Promise<StackRecord> {
  const record = stack.record ?? (await context.loadersOf(stack.region).stacks.load(stack.name));
  if (record === null) {
    throw new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no stack "${stack.name}".`);
  }
  return record;
}

export const stack: NonNullable<QueryResolvers['stack']> = (_parent, args, context) =>
  loadStack(context, validateName('name', args.name), regionArg(context, args.region));

export const stacks: NonNullable<QueryResolvers['stacks']> = (_parent, args, context) => {
  const regions = listedRegions(context, args.region);
  return resolveListConnection(
    context,
    {
      binding: `stacks${regionsBinding(context, args.region)}${scopeBinding(context)}`,
      regions,
      pages: (loaders) => loaders.stackPages,
      byName: (loaders) => loaders.stacks,
      toNode: stackModel,
      visible: (names) =>
        Promise.resolve(new Set(names.filter((name) => context.scope.canSeeStack(name)))),
    },
    args,
  );
};

export const Stack: StackResolvers = {
  id: (stack, _args, context) =>
    context.ids.encode({ type: 'Stack', name: stack.name, region: stack.region }),
  name: (stack) => stack.name,
  ...recordFields(recordOf, [
    'displayName',
    'description',
    'createdTime',
    'redirectUrl',
    'feedbackUrl',
    'embedHostDomains',
    'preferredProtocol',
    'userSettings',
  ]),
  // Every fleet of a visible stack is visible (it is associated with that stack).
  fleets: async (stack, _args, context) => {
    assertStackVisible(context, stack.name);
    const names = await context.loadersOf(stack.region).fleetsOfStack.load(stack.name);
    return names.map((name) => ({
      kind: 'Fleet' as const,
      name,
      region: stack.region,
      viaStack: stack.name,
    }));
  },
  sessions: async (stack, args, context, info) => {
    const filter = toSessionFilter(args);
    if (args.fleetName != null) {
      const query = toSessionQuery(stack.name, args.fleetName, args);
      return resolveSessionConnection(context, stack.region, [query], args, info, filter);
    }
    // Check everything that does not need the stack's fleet list before fetching it, so that
    // bad input costs no upstream call: filters, counts, and each cursor's format and authenticity.
    const { codec } = context.paging;
    validateSessionFilters(args);
    normalizeConnectionArgs({ first: args.first, last: args.last }, { codec, binding: '' });
    if (args.after != null) codec.check(args.after, 'after');
    if (args.before != null) codec.check(args.before, 'before');
    assertStackVisible(context, stack.name);
    const fleetNames = await context.loadersOf(stack.region).fleetsOfStack.load(stack.name);
    const queries = fleetNames.map((fleetName) => toSessionQuery(stack.name, fleetName, args));
    return resolveSessionConnection(context, stack.region, queries, args, info, filter);
  },
};
