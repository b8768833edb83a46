import type { QueryResolvers, StackResolvers } from '../__generated__/resolvers-types.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { normalizeConnectionArgs } from '../pagination/index.js';
import type { GatewayContext } from '../context.js';
import type { StackRecord } from '../upstream/types.js';
import { resolveListConnection } from './list-connection.js';
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

/** The model of a stack whose record is known. */
export const stackModel = (record: StackRecord): StackModel => ({
  kind: 'Stack',
  name: record.name,
  record,
});

/** Loads a stack by name; null when AppStream has no such stack or the caller may not see it. */
export async function loadStack(context: GatewayContext, name: string): Promise<StackModel | null> {
  if (!context.scope.canSeeStack(name)) return null;
  const record = await context.loaders.stacks.load(name);
  return record === null ? null : stackModel(record);
}

async function recordOf(stack: StackModel, context: GatewayContext): Promise<StackRecord> {
  const record = stack.record ?? (await context.loaders.stacks.load(stack.name));
  if (record === null) {
    throw new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no stack "${stack.name}".`);
  }
  return record;
}

export const stack: NonNullable<QueryResolvers['stack']> = (_parent, args, context) =>
  loadStack(context, validateName('name', args.name));

export const stacks: NonNullable<QueryResolvers['stacks']> = (_parent, args, context) =>
  resolveListConnection(
    context,
    {
      binding: `stacks${scopeBinding(context)}`,
      pages: context.loaders.stackPages,
      byName: context.loaders.stacks,
      toNode: stackModel,
      visible: (names) =>
        Promise.resolve(new Set(names.filter((name) => context.scope.canSeeStack(name)))),
    },
    args,
  );

export const Stack: StackResolvers = {
  id: (stack, _args, context) => context.ids.encode({ type: 'Stack', name: stack.name }),
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
    return (await context.loaders.fleetsOfStack.load(stack.name)).map((name) => ({
      kind: 'Fleet' as const,
      name,
      viaStack: stack.name,
    }));
  },
  sessions: async (stack, args, context, info) => {
    const filter = toSessionFilter(args);
    if (args.fleetName != null) {
      const query = toSessionQuery(stack.name, args.fleetName, args);
      return resolveSessionConnection(context, [query], args, info, filter);
    }
    // Check everything that does not need the stack's fleet list before fetching it, so that
    // bad input costs no upstream call: filters, counts, and each cursor's format and authenticity.
    const { codec } = context.paging;
    validateSessionFilters(args);
    normalizeConnectionArgs({ first: args.first, last: args.last }, { codec, binding: '' });
    if (args.after != null) codec.check(args.after, 'after');
    if (args.before != null) codec.check(args.before, 'before');
    assertStackVisible(context, stack.name);
    const fleetNames = await context.loaders.fleetsOfStack.load(stack.name);
    const queries = fleetNames.map((fleetName) => toSessionQuery(stack.name, fleetName, args));
    return resolveSessionConnection(context, queries, args, info, filter);
  },
};
