import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import {
  ApolloServerErrorCode,
  ApolloServerValidationErrorCode,
  unwrapResolverError,
} from '@apollo/server/errors';
import { ErrorCode, isGatewayError, taggedRegion } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { tokenLimitError } from '../policy/limits.js';
import { upstreamCauseHint } from '../upstream/errors.js';

/**
 * What a client sees instead of Apollo's refusal of introspection, which tells it to "pass
 * introspection: true to ApolloServer", a switch only the operator has, under another name.
 */
export const INTROSPECTION_DISABLED_MESSAGE =
  'Introspection (__schema, __type) is off on this gateway: it is off by default under ' +
  'NODE_ENV=production, and INTROSPECTION=true (set by its operator) enables it.';

/** Whether `error` is Apollo's refusal of `__schema`/`__type` with introspection off. */
function isIntrospectionDisabled(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.extensions.validationErrorCode === ApolloServerValidationErrorCode.INTROSPECTION_DISABLED
  );
}

/**
 * The gateway's own error behind `error`, if any: thrown by a resolver, reported by a validation
 * rule or a plugin (as a GraphQL error's `originalError`), or graphql-js's token-limit parse error.
 */
function gatewayErrorOf(
  error: unknown,
  formattedCode: unknown,
  formattedMessage: string,
): GatewayError | undefined {
  const original = unwrapResolverError(error);
  if (isGatewayError(original)) return original;
  if (original instanceof GraphQLError && isGatewayError(original.originalError)) {
    return original.originalError;
  }
  if (formattedCode === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) {
    return tokenLimitError(formattedMessage);
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
 * Apollo's request-level errors about the HTTP request itself that it creates without a code
 * (an automatic persisted query whose hash does not match its query, an unknown persisted query
 * `version`): a `GraphQLError` raised before execution (no path, no original error) that asks
 * for a 4xx HTTP status. They are the client's mistake; they get `BAD_REQUEST`.
 */
function isUncodedRequestError(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  if (error.path !== undefined || error.originalError !== undefined) return false;
  if (error.extensions.code !== undefined) return false;
  const http: unknown = error.extensions.http;
  if (typeof http !== 'object' || http === null || !('status' in http)) return false;
  return typeof http.status === 'number' && http.status >= 400 && http.status < 500;
}

/**
 * The code, message and extra extensions a client sees for `error`: a {@link GatewayError} keeps
 * its own (with `retryAfter`, `limit` and the like); Apollo's request-level errors keep Apollo's
 * code (`BAD_REQUEST` for the ones Apollo leaves without one) and message; anything else is
 * `INTERNAL_SERVER_ERROR` with a generic message.
 */
export function classifyError(
  error: unknown,
  formattedCode: unknown,
  formattedMessage: string,
): { code: string; message: string; extensions?: GatewayError['extensions'] } {
  const gatewayError = gatewayErrorOf(error, formattedCode, formattedMessage);
  if (gatewayError !== undefined) {
    const { code, message, extensions } = gatewayError;
    return { code, message, extensions };
  }
  const original = unwrapResolverError(error);
  if (typeof formattedCode === 'string' && REQUEST_ERROR_CODES.has(formattedCode)) {
    if (isIntrospectionDisabled(original)) {
      return { code: formattedCode, message: INTROSPECTION_DISABLED_MESSAGE };
    }
    return { code: formattedCode, message: formattedMessage };
  }
  if (isUncodedRequestError(original)) {
    return { code: ApolloServerErrorCode.BAD_REQUEST, message: formattedMessage };
  }
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Unexpected error.' };
}

/**
 * Apollo's `formatError`: see {@link classifyError}. No stack trace ever leaves the server.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const { code, message, extensions } = classifyError(
    error,
    formatted.extensions?.code,
    formatted.message,
  );
  return {
    message,
    ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
    extensions: { code, ...extensions },
  };
}

/**
 * A log-safe description of an error: its name and the code the client got, never its message
 * or stack; with `hint`, a fixed sentence for a cause whose name alone is cryptic (AWS
 * credentials that could not be loaded); with `region`, the region whose upstream failed (an
 * error of a field over several regions).
 */
export function describeForLog(error: unknown): {
  name: string;
  code?: string;
  cause?: string;
  hint?: string;
  region?: string;
} {
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
    const hint = upstreamCauseHint(cause);
    const region = original.extensions.region ?? taggedRegion(original);
    return {
      name: original.name,
      code: original.code,
      ...(causeName ? { cause: causeName } : {}),
      ...(hint === undefined ? {} : { hint }),
      ...(typeof region === 'string' ? { region } : {}),
    };
  }
  const name = original instanceof Error ? original.name : typeof original;
  const ownCode = original instanceof GraphQLError ? original.extensions.code : undefined;
  const { code } = classifyError(original, ownCode, '');
  return { name, code };
}
