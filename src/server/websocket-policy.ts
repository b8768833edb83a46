/**
 * The request policies of HTTP, applied to operations sent over WebSocket: graphql-ws parses,
 * validates and executes on its own, outside Apollo, so without this a query or subscription sent
 * there would escape trusted documents, the token, depth, alias, directive and cost limits, the
 * production switches (introspection off, no field suggestions) and the rule that refuses
 * mutations. The checks and their errors are the ones HTTP clients get.
 */
import { ApolloServerErrorCode } from '@apollo/server/errors';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { RequestUsage } from '../context.js';
import { isGatewayError } from '../errors.js';
import type { GatewayError } from '../errors.js';
import { costLimitError, queryLimitRules, tokenLimitError } from '../policy/limits.js';
import type { QueryLimits } from '../policy/limits.js';
import type { TrustedDocuments } from '../policy/trusted-documents.js';
import type { ApolloSecurity } from './apollo.js';
import { KnownOperationTypesRule } from './operation-types.js';

/** What decides whether a WebSocket operation may run: the same settings HTTP uses. */
export interface OperationPolicy {
  readonly limits: QueryLimits;
  readonly security: Pick<ApolloSecurity, 'introspection' | 'fieldSuggestions'>;
  readonly trustedDocuments?: TrustedDocuments | undefined;
}

/** graphql-ws's `subscribe` message payload. */
export interface OperationPayload {
  readonly query: string;
  readonly operationName?: string | null | undefined;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly extensions?: Readonly<Record<string, unknown>> | null | undefined;
}

/** A checked operation: its parsed document, or the errors to answer with (nothing ran). */
export type CheckedOperation =
  | { readonly ok: true; readonly document: DocumentNode }
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

/** Apollo's wording of the suggestion it strips when schema details are hidden. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** A parse or validation error with the code Apollo gives it over HTTP (and no suggestion). */
function requestError(error: GraphQLError, code: string, suggestions: boolean): GraphQLError {
  return new GraphQLError(suggestions ? error.message : error.message.replace(SUGGESTION, ''), {
    ...(error.nodes === undefined ? {} : { nodes: error.nodes }),
    ...(error.source === undefined ? {} : { source: error.source }),
    ...(error.positions === undefined ? {} : { positions: error.positions }),
    extensions: { code },
  });
}

/** A refusal by one of the gateway's policies: `formatError` gives its code and extensions. */
const refusal = (error: GatewayError): CheckedOperation => ({
  ok: false,
  errors: [new GraphQLError(error.message, { originalError: error })],
});

/**
 * Builds the checker of one schema. `check` applies, in order: trusted documents (the payload's
 * `extensions.persistedQuery` or its text), the token limit while parsing, validation with
 * graphql's rules plus the mutation, depth, alias and directive rules (and no introspection when
 * it is off), the choice of the operation (`operationName`), then the cost limit, charged to
 * `usage`.
 */
export function createOperationPolicy(
  schema: GraphQLSchema,
  policy: OperationPolicy,
): (payload: OperationPayload, usage: RequestUsage) => CheckedOperation {
  const { limits, security, trustedDocuments } = policy;
  const rules = [
    ...specifiedRules,
    KnownOperationTypesRule,
    ...queryLimitRules(limits),
    ...(security.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return (payload, usage) => {
    let query = payload.query;
    if (trustedDocuments !== undefined) {
      try {
        // graphql-ws requires a string `query`: an empty one means "by id only".
        // The payload as HTTP's request body: its id fields (`extensions.persistedQuery`,
        // `documentId`, `doc_id`, `id`) name a listed document as they do there.
        const { query: text, ...byId } = payload;
        const resolved = trustedDocuments.resolve(text === '' ? byId : { ...payload });
        query = typeof resolved.query === 'string' ? resolved.query : '';
      } catch (error: unknown) {
        if (isGatewayError(error)) return refusal(error);
        throw error;
      }
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxLexicalTokens: limits.maxTokens });
    } catch (error: unknown) {
      if (!(error instanceof GraphQLError)) throw error;
      const limit = tokenLimitError(error.message);
      if (limit !== undefined) return refusal(limit);
      return { ok: false, errors: [requestError(error, 'GRAPHQL_PARSE_FAILED', true)] };
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) {
      const limit = invalid.map((error) => error.originalError).find(isGatewayError);
      if (limit !== undefined) return refusal(limit);
      return {
        ok: false,
        errors: invalid.map((error) =>
          requestError(error, 'GRAPHQL_VALIDATION_FAILED', security.fieldSuggestions),
        ),
      };
    }
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (operation == null) {
      // graphql-ws would fail it with an uncoded "Unable to identify operation" (masked as an
      // internal error): answer with Apollo's code and message instead.
      const message =
        payload.operationName == null
          ? 'Must provide operation name if query contains multiple operations.'
          : `Unknown operation named "${payload.operationName}".`;
      const code = ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE;
      return { ok: false, errors: [new GraphQLError(message, { extensions: { code } })] };
    }
    const variables = payload.variables ?? {};
    const expensive = costLimitError(schema, document, operation, variables, limits, usage);
    if (expensive !== undefined) return refusal(expensive);
    return { ok: true, document };
  };
}
