/**
 * Query cost, priced the way GitHub prices its GraphQL API, computed from the document and the
 * variables before anything executes.
 */
import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
} from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { DEFAULT_MAX_PAGE_SIZE } from '../pagination/index.js';

export interface CostSettings {
  /** Page size of a connection without `first`/`last` (the schema's default, 20). */
  readonly defaultPageSize: number;
  /** Items a plain list (`Stack.fleets`, `Fleet.stacks`) is assumed to hold (default 10). */
  readonly assumedListSize: number;
}

/** The cost of one operation, and the single field occurrence that contributed most. */
export interface CostReport {
  readonly cost: number;
  readonly top: { readonly path: string; readonly cost: number } | null;
}

interface Partial {
  cost: number;
  top: { path: string; cost: number } | null;
}

const joinPath = (prefix: string, name: string): string =>
  prefix === '' ? name : `${prefix}.${name}`;

function intValue(
  node: ValueNode | undefined,
  variables: Readonly<Record<string, unknown>>,
  operation: OperationDefinitionNode,
): number | undefined {
  if (node === undefined || node.kind === Kind.NULL) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind !== Kind.VARIABLE) return undefined;
  const value = variables[node.name.value];
  if (typeof value === 'number') return value;
  const definition = operation.variableDefinitions?.find(
    (candidate) => candidate.variable.name.value === node.name.value,
  );
  return definition?.defaultValue?.kind === Kind.INT
    ? Number(definition.defaultValue.value)
    : undefined;
}

function listLength(
  node: ValueNode | undefined,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  if (node?.kind === Kind.LIST) return node.values.length;
  if (node?.kind !== Kind.VARIABLE) return undefined;
  const value = variables[node.name.value];
  return Array.isArray(value) ? value.length : undefined;
}

const isConnectionType = (type: GraphQLNamedType): boolean =>
  isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();

/**
 * Prices an operation. Every connection field costs its `first` or `last` (`defaultPageSize`
 * when neither is given; at most the maximum page size, 100, which execution enforces) times the sizes of the lists and connections it is nested in; a plain
 * list of objects costs its assumed size (`assumedListSize`; `nodes(ids)` the number of ids)
 * times the same product; `edges`/`nodes` inside a connection are priced by the connection.
 * Scalars, single objects and introspection cost nothing. `@skip`/`@include` are ignored (a
 * conservative estimate). Each fragment is priced once and scaled, so the work is linear in the
 * size of the document however often fragments are spread.
 */
export function computeCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  settings: CostSettings,
): CostReport {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fragmentCosts = new Map<string, Partial>();
  const inProgress = new Set<string>();

  const add = (into: Partial, cost: number, path: string): void => {
    into.cost += cost;
    if (cost > 0 && (into.top === null || cost > into.top.cost)) into.top = { path, cost };
  };
  const addScaled = (into: Partial, part: Partial, factor: number, prefix: string): void => {
    into.cost += part.cost * factor;
    if (part.top !== null && (into.top === null || part.top.cost * factor > into.top.cost)) {
      into.top = { path: joinPath(prefix, part.top.path), cost: part.top.cost * factor };
    }
  };

  const priceFragment = (name: string): Partial => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type =
      fragment === undefined ? undefined : schema.getType(fragment.typeCondition.name.value);
    if (fragment === undefined || type === undefined || inProgress.has(name)) {
      return { cost: 0, top: null };
    }
    inProgress.add(name);
    const part = priceSelections(fragment.selectionSet, type);
    inProgress.delete(name);
    fragmentCosts.set(name, part);
    return part;
  };

  /** The cost of a selection set at multiplier 1, with paths relative to it. */
  function priceSelections(selectionSet: SelectionSetNode, parent: GraphQLNamedType): Partial {
    const result: Partial = { cost: 0, top: null };
    const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
    const insideConnection = isConnectionType(parent);
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        addScaled(result, priceFragment(selection.name.value), 1, '');
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName === undefined ? parent : schema.getType(typeName);
        if (type !== undefined)
          addScaled(result, priceSelections(selection.selectionSet, type), 1, '');
        continue;
      }
      const name = selection.name.value;
      const field = fields[name];
      if (name.startsWith('__') || field === undefined) continue;
      const path = selection.alias?.value ?? name;
      const type = getNamedType(field.type);
      const argument = (argName: string) =>
        selection.arguments?.find((candidate) => candidate.name.value === argName)?.value;
      let size = 1;
      if (isConnectionType(type)) {
        size =
          intValue(argument('first'), variables, operation) ??
          intValue(argument('last'), variables, operation) ??
          settings.defaultPageSize;
      } else if (
        isListType(getNullableType(field.type)) &&
        isCompositeType(type) &&
        !insideConnection
      ) {
        size = listLength(argument('ids'), variables) ?? settings.assumedListSize;
      }
      // A page never holds more than the maximum page size: a larger `first`/`last` is priced
      // at that maximum, so that execution's argument check, not the cost limit, refuses it and
      // says which range is accepted.
      if (isConnectionType(type)) size = Math.min(size, DEFAULT_MAX_PAGE_SIZE);
      size = Math.max(0, size);
      if (size !== 1 || isConnectionType(type)) add(result, size, path);
      if (selection.selectionSet !== undefined) {
        addScaled(result, priceSelections(selection.selectionSet, type), size, path);
      }
    }
    return result;
  }

  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return { cost: 0, top: null };
  return priceSelections(operation.selectionSet, root);
}
