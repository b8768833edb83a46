/**
 * The runtime guard behind the static limits: a cap on the items one request may return,
 * enforced while executing, because a cost estimate can be wrong (plain lists are priced at an
 * assumed size).
 */
import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
} from 'graphql';
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { RequestUsage } from '../context.js';
import { ErrorCode, GatewayError } from '../errors.js';

const usageOf = (context: unknown): RequestUsage | undefined =>
  typeof context === 'object' && context !== null && 'usage' in context
    ? (context.usage as RequestUsage)
    : undefined;

const pathOf = (info: GraphQLResolveInfo): string => {
  const names: string[] = [];
  for (let at: GraphQLResolveInfo['path'] | undefined = info.path; at; at = at.prev) {
    if (typeof at.key === 'string') names.unshift(at.key);
  }
  return names.join('.');
};

/**
 * Makes every list-of-objects field of `schema` (connection `edges`/`nodes`, `Stack.fleets`,
 * `Fleet.stacks`, `nodes(ids)`) count the items it returns against the request's
 * `usage.items` (operations of a batched HTTP request share it). A field that would take the request
 * past `maxItems` fails with `RESULT_LIMIT_EXCEEDED` (and returns nothing); fields that resolved
 * before keep their data. Only these few fields are wrapped: scalar fields pay nothing.
 * Mutates and returns `schema`; call once, when the schema is built.
 */
export function applyItemCap(schema: GraphQLSchema, maxItems: number): GraphQLSchema {
  const count = (items: unknown, context: unknown, info: GraphQLResolveInfo): unknown => {
    const usage = usageOf(context);
    if (!Array.isArray(items) || usage === undefined) return items;
    const total = usage.items + items.length;
    if (total > maxItems) {
      throw new GatewayError(
        ErrorCode.RESULT_LIMIT_EXCEEDED,
        `This request may return at most ${maxItems} items, so \`${pathOf(info)}\` ` +
          `(${items.length} more) was left out; ask for fewer items per request.`,
        { extensions: { limit: 'MAX_RESULT_ITEMS', maximum: maxItems } },
      );
    }
    usage.items = total;
    return items;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const listType = getNullableType(field.type);
      if (!isListType(listType) || !isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const result = resolve(source, args, context, info);
        return result instanceof Promise
          ? result.then((items: unknown) => count(items, context, info))
          : count(result, context, info);
      };
    }
  }
  return schema;
}
