import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import {
  toSessionFilter,
  toSessionQuery,
  validateName,
  validateSessionFilters,
} from '../../../src/resolvers/validate.js';
import type { SessionRecord } from '../../../src/upstream/types.js';

/** The BAD_USER_INPUT message `run` throws; fails the test if it throws nothing or anything else. */
function badInputOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError && error.code === ErrorCode.BAD_USER_INPUT) {
      return error.message;
    }
    throw error;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

const nameRule = (argument: string, got: string) =>
  `\`${argument}\` must be 1 to 101 characters of letters, digits, "_", "." or "-", starting ` +
  `with a letter or digit (AppStream's name pattern); got ${got}.`;

describe('validateName', () => {
  for (const name of ['a', '0', 'Stack-1', 'fleet.b_2-c', 'x'.repeat(101)]) {
    it(`accepts ${JSON.stringify(name.length > 20 ? `${name.length} characters` : name)}`, () => {
      expect(validateName('stackName', name)).toBe(name);
    });
  }

  const rejected: Array<{ name: string; value: string; got: string }> = [
    { name: 'an empty name', value: '', got: '""' },
    { name: 'a name starting with "-"', value: '-stack', got: '"-stack"' },
    { name: 'a name starting with "_"', value: '_stack', got: '"_stack"' },
    { name: 'a name starting with "."', value: '.stack', got: '".stack"' },
    { name: 'a name with a space', value: 'my stack', got: '"my stack"' },
    { name: 'a name with a slash', value: 'a/b', got: '"a/b"' },
    { name: 'a name with non-ASCII letters', value: 'büro', got: '"büro"' },
    { name: 'a name with a quote', value: 'a"b', got: '"a\\"b"' },
    { name: 'a name with a trailing newline', value: 'stack\n', got: '"stack\\n"' },
    { name: 'a name of 102 characters', value: 'x'.repeat(102), got: `"${'x'.repeat(102)}"` },
  ];
  for (const { name, value, got } of rejected) {
    it(`rejects ${name}, quoting it in the message`, () => {
      expect(badInputOf(() => validateName('fleetName', value))).toBe(nameRule('fleetName', got));
    });
  }

  it('quotes only the first 120 characters of a very long name', () => {
    expect(badInputOf(() => validateName('stackName', 'y'.repeat(5000)))).toBe(
      nameRule('stackName', `"${'y'.repeat(120)}"`),
    );
  });
});

describe('validateSessionFilters', () => {
  const acceptedFilters: Array<Parameters<typeof validateSessionFilters>[0]> = [
    {},
    { userId: null, authenticationType: null, instanceId: null },
    { userId: 'ab', authenticationType: 'SAML', instanceId: 'i-1' },
    { userId: 'u'.repeat(128), authenticationType: 'SAML' },
    { userId: 'svc-batch+01=a,b.c@d_e'.padEnd(32, 'x'), authenticationType: 'API' },
    { userId: 'ana.lópez+💣@example.org', authenticationType: 'USERPOOL' },
    { userId: 'CORP\\ana lópez', authenticationType: 'AWS_AD' },
    { authenticationType: 'USERPOOL' },
  ];
  for (const filters of acceptedFilters) {
    it(`accepts ${JSON.stringify(filters).slice(0, 60)}`, () => {
      expect(() => {
        validateSessionFilters(filters);
      }).not.toThrow();
    });
  }

  const testCases: Array<{
    name: string;
    filters: Parameters<typeof validateSessionFilters>[0];
    message: string;
  }> = [
    {
      name: 'an empty userId',
      filters: { userId: '', authenticationType: 'API' },
      message: '`userId` must be 2 to 128 characters long; got 0.',
    },
    {
      name: 'a userId of one character',
      filters: { userId: 'u', authenticationType: 'API' },
      message: '`userId` must be 2 to 128 characters long; got 1.',
    },
    {
      name: 'a userId of 129 characters',
      filters: { userId: 'u'.repeat(129), authenticationType: 'API' },
      message: '`userId` must be 2 to 128 characters long; got 129.',
    },
    {
      name: 'a userId of 129 characters counted as AppStream counts them (code points)',
      filters: { userId: '💣'.repeat(129), authenticationType: 'SAML' },
      message: '`userId` must be 2 to 128 characters long; got 129.',
    },
    ...['  ', 'x\ny', '💣💣', 'a'.repeat(33), 'a b'].map((userId) => ({
      name: `the API userId ${JSON.stringify(userId)}`,
      filters: { userId, authenticationType: 'API' as const },
      message:
        '`userId` with authenticationType API must be 2 to 32 letters, digits or "_+=,.@-" (the ' +
        `user id of AppStream's CreateStreamingURL); got ${JSON.stringify(userId)}.`,
    })),
    {
      name: 'a USERPOOL userId with a space',
      filters: { userId: 'ana lopez', authenticationType: 'USERPOOL' },
      message:
        '`userId` with authenticationType USERPOOL must be a user pool user name: letters, ' +
        'digits, symbols and punctuation, without spaces; got "ana lopez".',
    },
    ...['  ', 'x\ny', 'tab\there'].map((userId) => ({
      name: `the SAML userId ${JSON.stringify(userId)}`,
      filters: { userId, authenticationType: 'SAML' as const },
      message: `\`userId\` must not be blank or contain control characters (line breaks, tabs); got ${JSON.stringify(userId)}.`,
    })),
    {
      name: 'a userId without authenticationType',
      filters: { userId: 'alice' },
      message:
        '`userId` requires `authenticationType` (API, SAML, USERPOOL or AWS_AD): AppStream identifies users per authentication type.',
    },
    {
      name: 'a userId with a null authenticationType',
      filters: { userId: 'alice', authenticationType: null },
      message:
        '`userId` requires `authenticationType` (API, SAML, USERPOOL or AWS_AD): AppStream identifies users per authentication type.',
    },
    {
      name: 'an empty instanceId',
      filters: { instanceId: '' },
      message: '`instanceId` must not be empty; omit it to list sessions on every instance.',
    },
    {
      name: 'an instanceId over 256 characters',
      filters: { instanceId: 'i'.repeat(257) },
      message: '`instanceId` must be at most 256 characters; got 257.',
    },
  ];
  for (const { name, filters, message } of testCases) {
    it(`rejects ${name}`, () => {
      expect(badInputOf(() => validateSessionFilters(filters))).toBe(message);
    });
  }

  it('reports a userId of the wrong length before a missing authenticationType', () => {
    expect(badInputOf(() => validateSessionFilters({ userId: 'u' }))).toBe(
      '`userId` must be 2 to 128 characters long; got 1.',
    );
  });
});

describe('toSessionQuery', () => {
  it('builds a query of the names alone when no filter is given', () => {
    expect(toSessionQuery('stack-a', 'fleet-a', {})).toEqual({
      stackName: 'stack-a',
      fleetName: 'fleet-a',
    });
  });

  it('leaves null filters out of the query', () => {
    const query = toSessionQuery('stack-a', 'fleet-a', {
      userId: null,
      authenticationType: null,
      instanceId: null,
    });
    expect(query).toEqual({ stackName: 'stack-a', fleetName: 'fleet-a' });
    expect(Object.keys(query)).toEqual(['stackName', 'fleetName']);
  });

  it('carries every given filter', () => {
    expect(
      toSessionQuery('stack-a', 'fleet-a', {
        userId: 'alice@example.com',
        authenticationType: 'USERPOOL',
        instanceId: 'i-0123',
      }),
    ).toEqual({
      stackName: 'stack-a',
      fleetName: 'fleet-a',
      userId: 'alice@example.com',
      authenticationType: 'USERPOOL',
      instanceId: 'i-0123',
    });
  });

  it('rejects a bad stack name first, naming the stackName argument', () => {
    expect(badInputOf(() => toSessionQuery('bad stack', 'bad fleet', { userId: 'u' }))).toBe(
      nameRule('stackName', '"bad stack"'),
    );
  });

  it('rejects a bad fleet name, naming the fleetName argument', () => {
    expect(badInputOf(() => toSessionQuery('stack-a', '', {}))).toBe(nameRule('fleetName', '""'));
  });

  it('rejects bad filters once the names are good', () => {
    expect(badInputOf(() => toSessionQuery('stack-a', 'fleet-a', { instanceId: '' }))).toBe(
      '`instanceId` must not be empty; omit it to list sessions on every instance.',
    );
  });
});

function session(
  state: SessionRecord['state'],
  connectionState: SessionRecord['connectionState'],
): SessionRecord {
  return {
    region: 'us-east-1',
    id: `${state}-${String(connectionState)}`,
    userId: 'alice',
    stackName: 'stack-a',
    fleetName: 'fleet-a',
    state,
    connectionState,
    startTime: null,
    maxExpirationTime: null,
    authenticationType: 'API',
    networkAccessConfiguration: null,
    instanceId: null,
    instanceDrainStatus: null,
  };
}

const sessions = [
  session('ACTIVE', 'CONNECTED'),
  session('ACTIVE', 'NOT_CONNECTED'),
  session('PENDING', null),
  session('EXPIRED', 'NOT_CONNECTED'),
];

describe('toSessionFilter', () => {
  it('filters nothing when neither state nor connectionState is given', () => {
    expect(toSessionFilter({})).toBeUndefined();
    expect(toSessionFilter({ state: null, connectionState: null })).toBeUndefined();
  });

  it('rejects an empty state list', () => {
    expect(badInputOf(() => toSessionFilter({ state: [] }))).toBe(
      '`state` must list at least one state; omit it to include every state.',
    );
  });

  it('keeps the sessions in one of the listed states', () => {
    const filter = toSessionFilter({ state: ['PENDING', 'EXPIRED'] });
    expect(sessions.filter((s) => filter?.test(s)).map((s) => s.id)).toEqual([
      'PENDING-null',
      'EXPIRED-NOT_CONNECTED',
    ]);
  });

  it('keeps the sessions in the given connection state', () => {
    const filter = toSessionFilter({ connectionState: 'NOT_CONNECTED' });
    expect(sessions.filter((s) => filter?.test(s)).map((s) => s.id)).toEqual([
      'ACTIVE-NOT_CONNECTED',
      'EXPIRED-NOT_CONNECTED',
    ]);
  });

  it('keeps only the sessions that match both', () => {
    const filter = toSessionFilter({ state: ['ACTIVE'], connectionState: 'CONNECTED' });
    expect(sessions.filter((s) => filter?.test(s)).map((s) => s.id)).toEqual(['ACTIVE-CONNECTED']);
  });

  it('keys the filter by its sorted, distinct states and its connection state', () => {
    expect(toSessionFilter({ state: ['PENDING', 'ACTIVE', 'PENDING'] })?.key).toBe(
      '[["ACTIVE","PENDING"],null]',
    );
    expect(toSessionFilter({ connectionState: 'CONNECTED' })?.key).toBe('[null,"CONNECTED"]');
    expect(toSessionFilter({ state: ['EXPIRED'], connectionState: 'NOT_CONNECTED' })?.key).toBe(
      '[["EXPIRED"],"NOT_CONNECTED"]',
    );
  });

  it('gives the same states in another order the same key', () => {
    const keyOf = (state: SessionRecord['state'][]) =>
      toSessionFilter({ state, connectionState: 'CONNECTED' })?.key;
    expect(keyOf(['EXPIRED', 'ACTIVE', 'PENDING'])).toBe(keyOf(['PENDING', 'EXPIRED', 'ACTIVE']));
    expect(keyOf(['ACTIVE', 'EXPIRED'])).not.toBe(keyOf(['ACTIVE', 'PENDING']));
    expect(keyOf(['ACTIVE'])).not.toBe(toSessionFilter({ state: ['ACTIVE'] })?.key);
  });
});
