import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { addResolversToSchema } from '@graphql-tools/schema';
import { Kind, parse, print } from 'graphql';
import type {
  ConstDirectiveNode,
  DefinitionNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLSchema,
  ObjectTypeDefinitionNode,
  ObjectTypeExtensionNode,
} from 'graphql';
import { checkRepresentations, entityResolvers } from '../resolvers/entities.js';
import { resolvers } from '../resolvers/index.js';
import { loadTypeDefs } from './schema.js';

const overlayDir = new URL('../../schema/federation/', import.meta.url);

/** The federation overlay: `schema/federation/*.graphql`, in a stable order. */
export function loadFederationOverlay(): DocumentNode {
  const files = readdirSync(overlayDir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  return {
    kind: Kind.DOCUMENT,
    definitions: files.flatMap(
      (name) => parse(readFileSync(new URL(name, overlayDir), 'utf8')).definitions,
    ),
  };
}

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

const isObjectNode = (node: DefinitionNode): node is ObjectNode =>
  node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.OBJECT_TYPE_EXTENSION;

function withDirectives<T extends { readonly directives?: readonly ConstDirectiveNode[] }>(
  node: T,
  added: readonly ConstDirectiveNode[] | undefined,
): T {
  return { ...node, directives: [...(node.directives ?? []), ...(added ?? [])] };
}

function overlayError(message: string): Error {
  return new Error(`schema/federation: ${message} The overlay may only add directives.`);
}

/**
 * Applies the federation overlay to the public SDL: the directives of each overlay type go onto
 * that type's definition, the directives of each overlay field onto the field of that name
 * (wherever `schema/*.graphql` defines it, extensions included), and `extend schema` nodes (the
 * `@link` to Federation 2) are added as they are. Every overlay type and field must exist in the
 * public SDL with the same field type, and overlay fields take no arguments: the overlay can
 * attach directives, never define or change the API. Anything else throws, naming the offender.
 */
export function applyFederationOverlay(
  publicTypeDefs: readonly DocumentNode[],
  overlay: DocumentNode,
): DocumentNode {
  const definitions: DefinitionNode[] = publicTypeDefs.flatMap((doc) => doc.definitions);
  const indexesOf = (name: string): number[] =>
    definitions.flatMap((node, index) =>
      isObjectNode(node) && node.name.value === name ? [index] : [],
    );
  const extra: DefinitionNode[] = [];

  for (const node of overlay.definitions) {
    if (node.kind === Kind.SCHEMA_EXTENSION) {
      extra.push(node);
      continue;
    }
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION) {
      throw overlayError(
        `only \`type\` definitions and \`extend schema\` are allowed; got ${node.kind}.`,
      );
    }
    const typeName = node.name.value;
    const indexes = indexesOf(typeName);
    const definitionIndex = indexes.find(
      (index) => definitions[index]?.kind === Kind.OBJECT_TYPE_DEFINITION,
    );
    if (definitionIndex === undefined) {
      throw overlayError(`type ${typeName} is not an object type of schema/*.graphql.`);
    }
    definitions[definitionIndex] = withDirectives(
      definitions[definitionIndex] as ObjectNode,
      node.directives,
    );
    for (const field of node.fields ?? []) {
      attachFieldDirectives(definitions, indexes, typeName, field);
    }
  }
  return { kind: Kind.DOCUMENT, definitions: [...extra, ...definitions] };
}

function attachFieldDirectives(
  definitions: DefinitionNode[],
  indexes: readonly number[],
  typeName: string,
  field: FieldDefinitionNode,
): void {
  const coordinate = `${typeName}.${field.name.value}`;
  if ((field.arguments ?? []).length > 0) {
    throw overlayError(`${coordinate} lists arguments; name the field without them.`);
  }
  for (const index of indexes) {
    const owner = definitions[index] as ObjectNode;
    const position = (owner.fields ?? []).findIndex(
      (candidate) => candidate.name.value === field.name.value,
    );
    const existing = owner.fields?.[position];
    if (existing === undefined) continue;
    if (print(existing.type) !== print(field.type)) {
      throw overlayError(
        `${coordinate} is ${print(existing.type)} in schema/*.graphql, not ${print(field.type)}.`,
      );
    }
    const fields = [...(owner.fields ?? [])];
    fields[position] = withDirectives(existing, field.directives);
    definitions[index] = { ...owner, fields };
    return;
  }
  throw overlayError(`${coordinate} is not a field of schema/*.graphql.`);
}

/** The subgraph's SDL: `schema/*.graphql` with the federation overlay applied. */
export function loadSubgraphTypeDefs(): DocumentNode {
  return applyFederationOverlay(
    loadTypeDefs().map((sdl) => parse(sdl)),
    loadFederationOverlay(),
  );
}

/**
 * The executable Federation 2 subgraph schema: the public SDL plus the overlay, built by
 * `@apollo/subgraph` (which adds `_service`, `_entities` and the `__resolveReference` of each
 * entity), with the very resolvers of the public schema attached the same way the public build
 * attaches them.
 */
export function createSubgraphSchema(): GraphQLSchema {
  const base = buildSubgraphSchema([
    { typeDefs: loadSubgraphTypeDefs(), resolvers: entityResolvers },
  ]);
  const schema = addResolversToSchema({
    schema: base,
    resolvers,
    inheritResolversFromInterfaces: true,
  });
  // Every representation is checked before `@apollo/subgraph` starts loading any of them.
  const entities = schema.getQueryType()?.getFields()._entities;
  const resolveEntities = entities?.resolve;
  if (entities === undefined || resolveEntities === undefined) {
    throw new Error('buildSubgraphSchema did not add Query._entities');
  }
  entities.resolve = (source, args: Record<string, unknown>, context, info) => {
    checkRepresentations(args.representations);
    return resolveEntities(source, args, context, info);
  };
  return schema;
}

/** The subgraph SDL as a router or registry sees it (`_service { sdl }`). */
export function printSubgraphSdl(schema: GraphQLSchema = createSubgraphSchema()): string {
  return printSubgraphSchema(schema);
}
