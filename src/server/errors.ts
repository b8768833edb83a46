import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { ErrorCode, isGatewayError } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { tokenLimitError } from '../policy/limits.js';

/**
 * The gateway's own error behind `error`, if any: thrown by a resolver, reported by a validation
 * rule or a plugin (as a GraphQL error's `originalError`), or graphql-js's token-limit parse error.
 */
function gatewayErrorOf(
  error: unknown,
  formatted: GraphQLFormattedError,
): GatewayError | undefined {
  const original = unwrapResolverError(error);
  if (isGatewayError(original)) return original;
  if (original instanceof GraphQLError && isGatewayError(original.originalError)) {
    return original.originalError;
  }
  if (formatted.extensions?.code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) {
    return tokenLimitError(formatted.message);
  }
  return undefined;
}

/** Apollo's own codes for requests that are malformed as GraphQL: safe to show as they are. */
const REQUEST_ERROR_CODES = new Set<unknown>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/**
 * Apollo's `formatError`: a {@link GatewayError} keeps its safe message and code; errors about the
 * GraphQL request itself keep Apollo's message; everything else is masked as
 * `INTERNAL_SERVER_ERROR` with a generic message. No stack trace ever leaves the server.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const base = {
    ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
  };
  const gatewayError = gatewayErrorOf(error, formatted);
  if (gatewayError !== undefined) {
    return {
      message: gatewayError.message,
      ...base,
      extensions: { code: gatewayError.code, ...gatewayError.extensions },
    };
  }
  const code = formatted.extensions?.code;
  if (REQUEST_ERROR_CODES.has(code)) {
    return { message: formatted.message, ...base, extensions: { code } };
  }
  return {
    message: 'Unexpected error.',
    ...base,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** A log-safe description of an error: its name and code, never its message or stack. */
export function describeForLog(error: unknown): { name: string; code?: string; cause?: string } {
  const original = unwrapResolverError(error);
  if (isGatewayError(original)) {
    const cause = original.cause;
    const causeName =
      typeof cause === 'object' &&
      cause !== null &&
      'name' in cause &&
      typeof cause.name === 'string'
        ? cause.name
        : undefined;
    return { name: original.name, code: original.code, ...(causeName ? { cause: causeName } : {}) };
  }
  return { name: original instanceof Error ? original.name : typeof original };
}
