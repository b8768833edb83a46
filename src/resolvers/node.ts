import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput, UnreachableCaseError } from '../errors.js';
import type { NodeKey } from '../ids/global-id.js';
import type { GatewayContext } from '../context.js';
import type { SessionRecord } from '../upstream/types.js';
import { loadFleet } from './fleet.js';
import type { FleetModel, StackModel } from './models.js';
import { regionOfKey } from './regions.js';
import { loadStack } from './stack.js';

/** Most ids one `nodes` call accepts. */
export const MAX_NODE_IDS = 100;

/** What a `Node` resolves from. Stacks and fleets are tagged with `kind`; sessions are records. */
export type NodeModel = SessionRecord | StackModel | FleetModel;

/** The GraphQL type of a node model, for `Node.__resolveType`. */
export function nodeTypeOf(model: NodeModel): 'Session' | 'Stack' | 'Fleet' {
  return 'kind' in model ? model.kind : 'Session';
}

/**
 * Loads the object a key names (in the key's region, the first one for keys without), or null
 * when it no longer exists. Every lookup goes through the request's loaders of that region, so many ids cost batched calls: one DescribeStacks, one DescribeFleets, and
 * one listing scan per (stack, fleet) of the sessions asked for.
 */
export async function loadNode(context: GatewayContext, key: NodeKey): Promise<NodeModel | null> {
  const region = regionOfKey(context, key);
  switch (key.type) {
    case 'Session':
      // Outside the caller's scope: null, as for a session that does not exist, uncalled.
      if (!context.scope.canSeeStack(key.stackName)) return null;
      return context.loadersOf(region).sessionsById.load(key);
    case 'Stack':
      return loadStack(context, key.name, region);
    case 'Fleet':
      return loadFleet(context, key.name, region);
    default:
      throw new UnreachableCaseError(key);
  }
}

export const node: NonNullable<QueryResolvers['node']> = (_parent, args, context) =>
  loadNode(context, context.ids.decode(args.id));

/**
 * Each entry resolves on its own: a malformed id, a failed lookup or an exceeded scan bound nulls
 * that entry (the list item type is nullable), with an error whose path is `["nodes", i]`; the
 * other entries and sibling fields survive. Entries still share the request's batched loaders.
 * Only more than {@link MAX_NODE_IDS} ids fails the whole field.
 */
export const nodes: NonNullable<QueryResolvers['nodes']> = (_parent, args, context) => {
  if (args.ids.length > MAX_NODE_IDS) {
    throw badUserInput(
      `\`nodes\` takes at most ${MAX_NODE_IDS} ids; got ${args.ids.length}. Split the list.`,
    );
  }
  // Decoding inside each entry's promise turns a bad id into that entry's error. graphql-js
  // completes list items one by one, so a rejected entry nulls only itself (the item type is
  // nullable); the generated resolver type cannot express a promise of null per item.
  const entries = args.ids.map(async (id) => loadNode(context, context.ids.decode(id)));
  return entries as unknown as ReadonlyArray<Promise<NodeModel>>;
};
