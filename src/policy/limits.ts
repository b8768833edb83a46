/**
 * Static query limits: what a document may ask for, decided before anything executes (so a
 * refused request makes no upstream call). Depth, aliases and directives are graphql-armor's
 * validation rules; tokens are graphql-js's own parser limit (Apollo's `parseOptions.maxLexicalTokens`);
 * cost is {@link computeCost}, checked once the operation and its variables are known.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError } from 'graphql';
import type {
  DocumentNode,
  GraphQLSchema,
  OperationDefinitionNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import type { RequestUsage } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';
import { computeCost } from './cost.js';
import type { CostSettings } from './cost.js';

/** Every static limit, from the configuration (README: `MAX_QUERY_*`). */
export interface QueryLimits extends CostSettings {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxCost: number;
}

/** The documented defaults; every README and example query passes them with room to spare. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 5000,
  maxCost: 10_000,
  defaultPageSize: 20,
  assumedListSize: 10,
};

type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'batch';

/** A `QUERY_LIMIT_EXCEEDED` error naming the limit, its variable and its maximum. */
export function queryLimitError(
  limit: LimitName,
  variable: string,
  maximum: number,
  message: string,
  extra: Readonly<Record<string, string | number>> = {},
): GatewayError {
  return new GatewayError(ErrorCode.QUERY_LIMIT_EXCEEDED, message, {
    extensions: { limit, variable, maximum, ...extra },
  });
}

/** Turns an armor rejection into a validation error that carries our code and the limit's name. */
function armorRule(
  rule: (options: object) => ValidationRule,
  limit: LimitName,
  variable: string,
  maximum: number,
  advice: string,
): ValidationRule {
  const onReject = [
    (context: ValidationContext | null, error: GraphQLError): void => {
      const found = /found (\d+)/.exec(error.message)?.[1];
      const message =
        `This query exceeds the ${limit} limit of ${maximum}` +
        `${found === undefined ? '' : ` (it has ${found})`}: ${advice}`;
      context?.reportError(
        new GraphQLError(message, {
          originalError: queryLimitError(limit, variable, maximum, message),
        }),
      );
    },
  ];
  return rule({ n: maximum, exposeLimits: true, propagateOnRejection: false, onReject });
}

/** The validation rules of the depth, alias and directive limits (Apollo's `validationRules`). */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    armorRule(
      (options) => maxDepthRule({ ...options, flattenFragments: true }),
      'depth',
      'MAX_QUERY_DEPTH',
      limits.maxDepth,
      'nest fields less deeply.',
    ),
    armorRule(
      // Every alias counts, `__typename` ones too (armor allows those by default).
      (options) => maxAliasesRule({ ...options, allowList: [] }),
      'aliases',
      'MAX_QUERY_ALIASES',
      limits.maxAliases,
      'use fewer aliases.',
    ),
    armorRule(
      maxDirectivesRule,
      'directives',
      'MAX_QUERY_DIRECTIVES',
      limits.maxDirectives,
      'use fewer directives.',
    ),
  ];
}

// graphql 16.15 words it "more that N tokens"; accept the corrected wording of later releases.
const TOKEN_LIMIT =
  /^Syntax Error: Document contains more th(?:at|an) (\d+) tokens\. Parsing aborted\.$/;

/**
 * When `message` is graphql-js's own "too many tokens" parse error (Apollo's
 * `parseOptions.maxLexicalTokens`), the `QUERY_LIMIT_EXCEEDED` error that names the token limit;
 * otherwise undefined.
 */
export function tokenLimitError(message: string): GatewayError | undefined {
  const maximum = TOKEN_LIMIT.exec(message)?.[1];
  if (maximum === undefined) return undefined;
  return queryLimitError(
    'tokens',
    'MAX_QUERY_TOKENS',
    Number(maximum),
    `This query exceeds the tokens limit of ${maximum}: send a shorter document.`,
  );
}

/**
 * Prices one operation with {@link computeCost} and adds it to `usage.cost` (operations of one
 * batched HTTP request share one usage and are priced together). When the total exceeds
 * `limits.maxCost`, the `QUERY_LIMIT_EXCEEDED` error that gives the computed cost, the cap, and
 * the field that contributed most; otherwise undefined.
 */
export function costLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  limits: QueryLimits,
  usage: RequestUsage,
): GatewayError | undefined {
  const report = computeCost(schema, document, operation, variables, limits);
  const total = usage.cost + report.cost;
  usage.cost = total;
  if (total <= limits.maxCost) return undefined;
  const top = report.top;
  const message =
    `This query would cost ${total}, over the cost limit of ${limits.maxCost}. Each connection ` +
    `costs its first/last (${limits.defaultPageSize} when omitted) times the sizes of the ` +
    `lists it is nested in (plain lists count ${limits.assumedListSize}).` +
    (top === null
      ? ''
      : ` The largest part, ${top.cost}, comes from \`${top.path}\`: ask for fewer items there or nest fewer lists.`);
  return queryLimitError('cost', 'MAX_QUERY_COST', limits.maxCost, message, {
    cost: total,
    ...(top === null ? {} : { field: top.path }),
  });
}

/**
 * An Apollo plugin that refuses an operation whose cost exceeds `limits.maxCost` (see
 * {@link costLimitError}), before it executes.
 */
export function costLimitPlugin<C extends { readonly usage: RequestUsage }>(
  schema: GraphQLSchema,
  limits: QueryLimits,
): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, operation, request, contextValue }) {
          if (operation === undefined) return Promise.resolve();
          const variables = request.variables ?? {};
          const error = costLimitError(
            schema,
            document,
            operation,
            variables,
            limits,
            contextValue.usage,
          );
          if (error === undefined) return Promise.resolve();
          return Promise.reject(
            new GraphQLError(error.message, {
              originalError: error,
              extensions: { http: { status: 400 } },
            }),
          );
        },
      });
    },
  };
}
