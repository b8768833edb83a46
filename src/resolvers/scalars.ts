import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether the calendar fields exist (no 30 February, no hour 24): `Date` would roll them over. */
function isRealDateTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if ([year, month, day, hour, minute, second].some((part) => part === undefined)) return false;
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() + 1 === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

/** Length of the canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ` (what `toISOString` writes). */
const CANONICAL_LENGTH = 24;

function toIso(value: unknown): string {
  // Fast path for what the upstream mappers produce: a canonical string is its own answer when
  // it reads back exactly (this rejects 30 February and hour 24, which Date would roll over).
  if (typeof value === 'string' && value.length === CANONICAL_LENGTH) {
    const time = Date.parse(value);
    if (!Number.isNaN(time) && new Date(time).toISOString() === value) return value;
  }
  let date: Date | null = null;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'string') {
    const match = ISO_8601.exec(value);
    if (match !== null && isRealDateTime(match)) date = new Date(value);
  }
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
