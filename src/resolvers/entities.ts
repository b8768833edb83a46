/**
 * Federation entity resolution: the `__resolveReference` of `Session`, `Stack` and `Fleet`, used
 * by the subgraph schema only (`_entities`). Every reference is checked first, then loaded through
 * `loadNode`, the same path and the same per-request loaders as `node`/`nodes`: N Fleet references
 * cost one DescribeFleets call (per 25 names), N Stack references one DescribeStacks call, and N
 * Session references on one (stack, fleet) one scan of that listing.
 *
 * Each reference resolves on its own: one that names nothing that exists is `null` in its place;
 * a malformed or forged one is a `BAD_USER_INPUT` error at its place, and never reaches AppStream.
 */
import type { GatewayContext } from '../context.js';
import { badUserInput } from '../errors.js';
import type { NodeKey } from '../ids/global-id.js';
import { loadNode } from './node.js';
import type { NodeModel } from './node.js';
import { regionArg, regionOfKey } from './regions.js';
import { validateName } from './validate.js';

/** A representation as a router sends it: `__typename` plus the fields of one `@key`. */
export type Representation = Readonly<Record<string, unknown>>;

/** Longest AppStream session id accepted in a reference (AppStream's own are 36 characters). */
const MAX_SESSION_ID_LENGTH = 256;

function stringField(representation: Representation, field: string, typeName: string): string {
  const value = representation[field];
  if (typeof value !== 'string') {
    throw badUserInput(`A ${typeName} reference needs \`${field}\` as a string.`);
  }
  return value;
}

/**
 * The `region` of a reference (keys `region name` and `region stackName fleetName sessionId`),
 * validated; absent: none (the object is of the first configured region).
 */
function regionField(
  context: GatewayContext,
  representation: Representation,
  typeName: string,
): { readonly region?: string } {
  // Like the `region` argument: null means the first configured region.
  if (representation.region === undefined || representation.region === null) return {};
  return { region: regionArg(context, stringField(representation, 'region', typeName)) };
}

/**
 * The key of a Session reference: by global `id` (which carries the region), or by `stackName
 * fleetName sessionId` with an optional `region`.
 */
export function sessionKeyOf(context: GatewayContext, representation: Representation): NodeKey {
  const composite = ['stackName', 'fleetName', 'sessionId'].filter(
    (field) => representation[field] !== undefined,
  );
  if (representation.id !== undefined) {
    const key = context.ids.decode(stringField(representation, 'id', 'Session'));
    if (key.type !== 'Session') {
      throw badUserInput(
        `This id belongs to a ${key.type}, not a Session; use a Session's \`id\`.`,
      );
    }
    for (const field of composite) {
      if (representation[field] !== key[field as 'stackName' | 'fleetName' | 'sessionId']) {
        throw badUserInput(`This Session reference's \`${field}\` does not match its \`id\`.`);
      }
    }
    const { region } = regionField(context, representation, 'Session');
    if (region !== undefined && region !== regionOfKey(context, key)) {
      throw badUserInput("This Session reference's `region` does not match its `id`.");
    }
    return key;
  }
  if (composite.length === 0) {
    throw badUserInput(
      'A Session reference needs `id`, or `stackName`, `fleetName` and `sessionId` (its two keys).',
    );
  }
  const sessionId = stringField(representation, 'sessionId', 'Session');
  if (sessionId === '' || sessionId.length > MAX_SESSION_ID_LENGTH) {
    throw badUserInput(
      `\`sessionId\` must be 1 to ${MAX_SESSION_ID_LENGTH} characters: AppStream's own session id.`,
    );
  }
  return {
    type: 'Session',
    stackName: validateName('stackName', stringField(representation, 'stackName', 'Session')),
    fleetName: validateName('fleetName', stringField(representation, 'fleetName', 'Session')),
    sessionId,
    ...regionField(context, representation, 'Session'),
  };
}

/** The key of a Stack or Fleet reference (`@key(fields: "name")` or `"region name"`). */
export function namedKeyOf(
  context: GatewayContext,
  type: 'Stack' | 'Fleet',
  representation: Representation,
): NodeKey {
  return {
    type,
    name: validateName('name', stringField(representation, 'name', type)),
    ...regionField(context, representation, type),
  };
}

/**
 * Loads what a key names; a fresh object, because `@apollo/subgraph` tags the result with its
 * `__typename` and records may be shared by the request's loader caches.
 */
async function resolve(context: GatewayContext, key: NodeKey): Promise<NodeModel | null> {
  const model = await loadNode(context, key);
  return model === null ? null : { ...model };
}

/** `__resolveReference(representation, context, info)`, as `@apollo/subgraph` calls it. */
type ResolveReference = (
  representation: Representation,
  context: GatewayContext,
) => Promise<NodeModel | null>;

// Async, so that a bad reference rejects its own entry instead of throwing out of `_entities`.
const resolveSession: ResolveReference = async (representation, context) =>
  resolve(context, sessionKeyOf(context, representation));
const resolveStack: ResolveReference = async (representation, context) =>
  resolve(context, namedKeyOf(context, 'Stack', representation));
const resolveFleet: ResolveReference = async (representation, context) =>
  resolve(context, namedKeyOf(context, 'Fleet', representation));

/** The entity types a reference may name. */
const ENTITY_TYPES: ReadonlySet<string> = new Set(['Session', 'Stack', 'Fleet']);

/** A client-chosen string, shortened for an error message. */
const shown = (value: string): string =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * Checks the shape of every representation of an `_entities` call before any is resolved: each
 * must be an object whose `__typename` names an entity of this subgraph (`Session`, `Stack` or
 * `Fleet`). Throws one `BAD_USER_INPUT` naming the first bad entry otherwise: such a request is
 * malformed as a whole (a router never sends it), and `@apollo/subgraph` would throw out of the
 * middle of `_entities` while earlier references were already loading.
 */
export function checkRepresentations(representations: unknown): void {
  if (!Array.isArray(representations)) {
    throw badUserInput('`representations` must be a list of entity references.');
  }
  representations.forEach((representation: unknown, index) => {
    if (
      typeof representation !== 'object' ||
      representation === null ||
      Array.isArray(representation)
    ) {
      throw badUserInput(
        `representations[${index}] must be an object with \`__typename\` and the fields of one key.`,
      );
    }
    const typename: unknown = (representation as Representation).__typename;
    if (typeof typename !== 'string' || !ENTITY_TYPES.has(typename)) {
      throw badUserInput(
        `representations[${index}] names ${typeof typename === 'string' ? `the type ${shown(typename)}` : 'no `__typename`'}; ` +
          'this subgraph resolves references to Session, Stack and Fleet only.',
      );
    }
  });
}

/** The entity resolvers the subgraph build adds to the public resolvers. */
export const entityResolvers = {
  Session: { __resolveReference: resolveSession },
  Stack: { __resolveReference: resolveStack },
  Fleet: { __resolveReference: resolveFleet },
};
