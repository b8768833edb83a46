import { GraphQLIncludeDirective, GraphQLSkipDirective, Kind, getDirectiveValues } from 'graphql';
import type {
  FieldNode,
  FragmentSpreadNode,
  GraphQLResolveInfo,
  InlineFragmentNode,
  SelectionSetNode,
} from 'graphql';

/** Whether `@skip`/`@include` keep this selection, as the executor decides it. */
function isIncluded(
  node: FieldNode | FragmentSpreadNode | InlineFragmentNode,
  variables: GraphQLResolveInfo['variableValues'],
): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * The names of the fields selected on this field's result, through fragments and across all
 * field nodes, leaving out what `@skip`/`@include` remove. Used to compute only what is asked for.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!isIncluded(selection, info.variableValues)) continue;
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}
