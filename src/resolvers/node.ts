import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { decodeGlobalId } from '../ids/global-id.js';
import type { NodeKey } from '../ids/global-id.js';
import type { GatewayContext } from '../server/context.js';
import type { SessionRecord } from '../upstream/types.js';
import { badUserInput, UnreachableCaseError } from '../errors.js';

/** Most ids one `nodes` call accepts. */
export const MAX_NODE_IDS = 100;

/** What a `Node` resolves from, tagged so `Node.__resolveType` needs no guessing. */
export type NodeModel = SessionRecord;

/** Loads the object a key names, or null when it no longer exists. */
export async function loadNode(context: GatewayContext, key: NodeKey): Promise<NodeModel | null> {
  switch (key.type) {
    case 'Session':
      return context.loaders.sessionsById.load(key);
    case 'Stack':
    case 'Fleet':
      return null;
    default:
      throw new UnreachableCaseError(key);
  }
}

export const node: NonNullable<QueryResolvers['node']> = (_parent, args, context) =>
  loadNode(context, decodeGlobalId(args.id));

export const nodes: NonNullable<QueryResolvers['nodes']> = (_parent, args, context) => {
  if (args.ids.length > MAX_NODE_IDS) {
    throw badUserInput(
      `\`nodes\` takes at most ${MAX_NODE_IDS} ids; got ${args.ids.length}. Split the list.`,
    );
  }
  const keys = args.ids.map(decodeGlobalId);
  return Promise.all(keys.map((key) => loadNode(context, key)));
};
