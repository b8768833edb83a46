import type { GatewayContext } from '../context.js';

type FieldResolver<M, V> = (model: M, args: unknown, context: GatewayContext) => Promise<V>;

/**
 * Resolvers for fields that read one member of a lazily loaded record: each awaits `recordOf`
 * (which the request's loaders batch and cache) and returns that member. A failed load fails
 * just the fields that asked for it.
 */
export function recordFields<M, R, K extends keyof R>(
  recordOf: (model: M, context: GatewayContext) => Promise<R>,
  keys: readonly K[],
): { [P in K]: FieldResolver<M, R[P]> } {
  const resolvers = {} as { [P in K]: FieldResolver<M, R[P]> };
  for (const key of keys) {
    resolvers[key] = async (model, _args, context) => (await recordOf(model, context))[key];
  }
  return resolvers;
}
