import { GraphQLError, parseValue as parseLiteralText } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime } from '../../../src/resolvers/scalars.js';

const NOT_ISO =
  'DateTime must be an ISO-8601 date and time with a zone, for example "2026-11-28T23:05:00Z".';
const NOT_A_STRING = 'DateTime must be a string, for example "2026-11-28T23:05:00Z".';

function rejectionOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return error.message;
    throw error;
  }
  throw new Error('expected a GraphQLError');
}

const accepted: Array<{ name: string; value: unknown; iso: string }> = [
  {
    name: 'a Date',
    value: new Date(Date.UTC(2026, 10, 28, 23, 5, 0, 7)),
    iso: '2026-11-28T23:05:00.007Z',
  },
  { name: 'a UTC string', value: '2026-11-28T23:05:00Z', iso: '2026-11-28T23:05:00.000Z' },
  {
    name: 'a string with milliseconds',
    value: '2026-11-28T23:05:00.250Z',
    iso: '2026-11-28T23:05:00.250Z',
  },
  {
    name: 'a string with a positive offset',
    value: '2026-01-01T01:30:00+05:30',
    iso: '2025-12-31T20:00:00.000Z',
  },
  {
    name: 'a string with a negative offset',
    value: '2026-11-28T20:05:00-03:00',
    iso: '2026-11-28T23:05:00.000Z',
  },
  {
    name: 'a string with a zero offset',
    value: '2026-11-28T23:05:00+00:00',
    iso: '2026-11-28T23:05:00.000Z',
  },
];

const rejected: Array<{ name: string; value: unknown }> = [
  { name: 'a date without a time', value: '2026-11-28' },
  { name: 'a time without a zone', value: '2026-11-28T23:05:00' },
  { name: 'a space instead of "T"', value: '2026-11-28 23:05:00Z' },
  { name: 'a time without seconds', value: '2026-11-28T23:05Z' },
  { name: 'a zone offset without a colon', value: '2026-11-28T23:05:00+0100' },
  { name: 'a lowercase zone', value: '2026-11-28T23:05:00z' },
  { name: 'an RFC 2822 date', value: 'Sat, 28 Nov 2026 23:05:00 GMT' },
  { name: 'a month 13 in ISO form', value: '2026-13-01T00:00:00Z' },
  { name: 'an hour 25 in ISO form', value: '2026-11-28T25:00:00Z' },
  { name: 'surrounding whitespace', value: ' 2026-11-28T23:05:00Z' },
  { name: 'an empty string', value: '' },
  { name: 'epoch milliseconds', value: 1_795_000_000_000 },
  { name: 'epoch milliseconds as a string', value: '1795000000000' },
  { name: 'an invalid Date', value: new Date('nope') },
  { name: 'null', value: null },
  { name: 'a boolean', value: true },
  { name: 'an object', value: { iso: '2026-11-28T23:05:00Z' } },
];

describe('DateTime.serialize', () => {
  for (const { name, value, iso } of accepted) {
    it(`writes ${name} as a UTC ISO string`, () => {
      expect(DateTime.serialize(value)).toBe(iso);
    });
  }

  for (const { name, value } of rejected) {
    it(`rejects ${name}`, () => {
      expect(rejectionOf(() => DateTime.serialize(value))).toBe(NOT_ISO);
    });
  }
});

describe('DateTime.parseValue', () => {
  for (const { name, value, iso } of accepted) {
    it(`reads ${name} as a UTC ISO string`, () => {
      expect(DateTime.parseValue(value)).toBe(iso);
    });
  }

  for (const { name, value } of rejected) {
    it(`rejects ${name}`, () => {
      expect(rejectionOf(() => DateTime.parseValue(value))).toBe(NOT_ISO);
    });
  }
});

describe('DateTime.parseLiteral', () => {
  it('reads a string literal, normalizing its offset to Z', () => {
    expect(DateTime.parseLiteral(parseLiteralText('"2026-11-29T00:05:00+01:00"'), {})).toBe(
      '2026-11-28T23:05:00.000Z',
    );
  });

  it('rejects a string literal that is not ISO-8601 with a zone', () => {
    expect(rejectionOf(() => DateTime.parseLiteral(parseLiteralText('"yesterday"'), {}))).toBe(
      NOT_ISO,
    );
  });

  for (const literal of [
    '1795000000000',
    '1.5',
    'true',
    'null',
    'ENUM_VALUE',
    '["2026-11-28T23:05:00Z"]',
  ]) {
    it(`rejects the non-string literal ${literal}`, () => {
      expect(rejectionOf(() => DateTime.parseLiteral(parseLiteralText(literal), {}))).toBe(
        NOT_A_STRING,
      );
    });
  }
});

describe('DateTime rejects calendar fields that do not exist', () => {
  it.each([
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T10:60:00Z',
    // The canonical 24-character form takes a shorter path; it must refuse the same.
    '2026-02-30T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T10:00:60.000Z',
    '2026-11-28T23:05:00.000z',
    '+02026-11-28T23:05:00.00Z',
  ])('rejects %s instead of rolling it over', (value) => {
    expect(() => DateTime.serialize(value)).toThrow(/DateTime must be an ISO-8601/);
    expect(() => DateTime.parseValue(value)).toThrow(/DateTime must be an ISO-8601/);
  });

  it('answers a canonical UTC string as it is', () => {
    expect(DateTime.serialize('2026-11-28T23:05:00.007Z')).toBe('2026-11-28T23:05:00.007Z');
    expect(DateTime.serialize('0001-01-01T00:00:00.000Z')).toBe('0001-01-01T00:00:00.000Z');
  });

  it('accepts 29 February in a leap year', () => {
    expect(DateTime.serialize('2028-02-29T12:00:00+02:00')).toBe('2028-02-29T10:00:00.000Z');
  });
});
