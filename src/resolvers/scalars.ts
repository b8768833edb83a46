import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function toIso(value: unknown): string {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' && ISO_8601.test(value)
        ? new Date(value)
        : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new GraphQLError(
      'DateTime must be an ISO-8601 date and time with a zone, for example "2026-11-28T23:05:00Z".',
    );
  }
  return date.toISOString();
}

/** ISO-8601 UTC date-times; inputs with any zone offset are normalized to UTC. */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description:
    'An ISO-8601 date and time in UTC with millisecond precision, for example `2026-11-28T23:05:00.000Z`.',
  serialize: toIso,
  parseValue: toIso,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string, for example "2026-11-28T23:05:00Z".');
    }
    return toIso(ast.value);
  },
});
