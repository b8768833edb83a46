import { GraphQLError } from 'graphql';
import type { ASTVisitor, ValidationContext } from 'graphql';

/**
 * Validation rule: an operation whose type (mutation, subscription) has no root type in the
 * schema is a validation error (`GRAPHQL_VALIDATION_FAILED`, HTTP 400), as graphql-js 17's
 * `KnownOperationTypesRule` makes it. graphql 16 has no such rule and fails at execution with an
 * uncoded error, which would be masked as `INTERNAL_SERVER_ERROR` although the client is wrong.
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (schema.getRootType(node.operation) != null) return;
      context.reportError(
        new GraphQLError(
          `The ${node.operation} operation is not supported by the schema; this gateway serves ` +
            'queries (over HTTP and WebSocket) and subscriptions (over WebSocket) only.',
          { nodes: node },
        ),
      );
    },
  };
}
