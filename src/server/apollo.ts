import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, OperationTypeNode } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors.js';
import { DEFAULT_QUERY_LIMITS, costLimitPlugin, queryLimitRules } from '../policy/limits.js';
import type { QueryLimits } from '../policy/limits.js';
import type { GatewayContext } from './context.js';
import { describeForLog, formatError } from './errors.js';
import { KnownOperationTypesRule } from './operation-types.js';
import type { Logger } from './logger.js';

/**
 * The log level of an error: what the caller got wrong is `debug`, what AppStream did is `warn`,
 * anything unexpected is `error`.
 */
function levelOf(code: string | undefined): 'debug' | 'warn' | 'error' {
  switch (code) {
    case ErrorCode.UPSTREAM_THROTTLED:
    case ErrorCode.UPSTREAM_UNAVAILABLE:
    case ErrorCode.SCAN_LIMIT_EXCEEDED:
    case ErrorCode.UPSTREAM_BUDGET_EXCEEDED:
    case ErrorCode.RESULT_LIMIT_EXCEEDED:
      return 'warn';
    case undefined:
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return 'error';
    default:
      return 'debug';
  }
}

/** Errors of one request logged one by one; the rest are summarized in one line. */
const LOGGED_ERRORS_PER_REQUEST = 5;

/** Longest operation name a log line carries (the name is the client's choice). */
const MAX_LOGGED_NAME = 100;

/** A client-chosen operation name, bounded for a log line. */
export const loggedName = (name: string | null | undefined): string | null =>
  name === null || name === undefined
    ? null
    : name.length > MAX_LOGGED_NAME
      ? `${name.slice(0, MAX_LOGGED_NAME)}…`
      : name;

/**
 * Logs the errors of a request by name and code only (see `describeForLog`): the first
 * {@link LOGGED_ERRORS_PER_REQUEST} one line each, the rest in one summary line with a count per
 * code at the most severe level among them, so that a request with thousands of failing
 * fields (or `_entities` references) writes a handful of lines, not thousands.
 */
export function logGraphQLErrors(
  logger: Logger,
  errors: readonly GraphQLError[],
  operationName: string | null | undefined,
): void {
  const rank = { debug: 0, warn: 1, error: 2 } as const;
  const operation = loggedName(operationName);
  const rest: Record<string, number> = {};
  let restLevel: 'debug' | 'warn' | 'error' = 'debug';
  errors.forEach((error, index) => {
    const described = describeForLog(error);
    const raw = described.code ?? error.extensions.code;
    const code = typeof raw === 'string' ? raw : undefined;
    const level = levelOf(code);
    if (index < LOGGED_ERRORS_PER_REQUEST) {
      logger[level]({ operation, path: error.path ?? null, error: described }, 'GraphQL error');
      return;
    }
    const key = code ?? 'UNKNOWN';
    rest[key] = (rest[key] ?? 0) + 1;
    if (rank[level] > rank[restLevel]) restLevel = level;
  });
  const more = errors.length - LOGGED_ERRORS_PER_REQUEST;
  if (more > 0) {
    logger[restLevel]({ operation, more, codes: rest }, `GraphQL errors: ${more} more`);
  }
}

/** {@link logGraphQLErrors} for every request Apollo serves. */
function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ errors, operationName }) {
          logGraphQLErrors(logger, errors, operationName);
          return Promise.resolve();
        },
      });
    },
  };
}

/** The request-level security settings Apollo applies (see `SecurityConfig` in config.ts). */
export interface ApolloSecurity {
  readonly introspection: boolean;
  readonly fieldSuggestions: boolean;
  readonly csrfPrevention: boolean;
  readonly allowBatchedHttpRequests: boolean;
}

/** Development settings: what a local `npm start` gets. Production turns the first two off. */
export const DEVELOPMENT_SECURITY: ApolloSecurity = {
  introspection: true,
  fieldSuggestions: true,
  csrfPrevention: true,
  allowBatchedHttpRequests: false,
};

/**
 * Refuses subscription operations sent over HTTP with a 400 that says where they are served:
 * Apollo would otherwise execute them once, without a source stream.
 */
const subscriptionsOverWebSocketOnly: ApolloServerPlugin<GatewayContext> = {
  requestDidStart() {
    return Promise.resolve({
      didResolveOperation({ operation }) {
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return Promise.resolve();
        throw new GraphQLError(
          'Subscriptions are served over WebSocket at this same URL (the graphql-transport-ws ' +
            'protocol of graphql-ws), not over HTTP.',
          { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } },
        );
      },
    });
  },
};

/**
 * The Apollo Server of the gateway. Cache-control is disabled (it hooks every field and the
 * gateway sets no cache hints); the landing page is disabled (it loads from a CDN); errors are
 * masked by {@link formatError}, never with a stack trace. Every security setting is passed
 * explicitly (Apollo would otherwise derive some from `NODE_ENV`). Query limits: tokens by the
 * parser, depth, aliases and directives by validation rules, cost before execution.
 */
export function createApolloServer(options: {
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly plugins?: readonly ApolloServerPlugin<GatewayContext>[];
  readonly security?: ApolloSecurity;
  readonly limits?: QueryLimits;
}): ApolloServer<GatewayContext> {
  const security = options.security ?? DEVELOPMENT_SECURITY;
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  return new ApolloServer<GatewayContext>({
    schema: options.schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: security.introspection,
    hideSchemaDetailsFromClientErrors: !security.fieldSuggestions,
    csrfPrevention: security.csrfPrevention,
    allowBatchedHttpRequests: security.allowBatchedHttpRequests,
    parseOptions: { maxLexicalTokens: limits.maxTokens },
    validationRules: [KnownOperationTypesRule, ...queryLimitRules(limits)],
    // main.ts owns signal handling, so that shutdown order (readiness, drain, upstream) is ours.
    stopOnTerminationSignals: false,
    logger: options.logger,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(options.logger),
      subscriptionsOverWebSocketOnly,
      costLimitPlugin<GatewayContext>(options.schema, limits),
      ...(options.plugins ?? []),
    ],
  });
}
