import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../../src/emulator/index.js';
import { useTestStack } from '../../helpers/gateway.js';

/** Every log line the gateway writes during this file, as JSON text. */
const lines: string[] = [];
const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });

const dataset = datasetBuilder()
  .stack('stack-a')
  .fleet('fleet-1')
  .associate('stack-a', 'fleet-1')
  .sessions('stack-a', 'fleet-1', 60)
  .build();
const stack = useTestStack({ emulator: { dataset }, logger });

const SENSITIVE = /arn:aws|123456789012|AKIA[0-9A-Z]{12}|\n\s+at |NextToken|secret-token/;

describe('what the gateway logs and answers when AppStream fails', () => {
  it.each(['ThrottlingException', 'http500', 'http503', 'RequestLimitExceededException'] as const)(
    'keeps ARNs, account ids, tokens and stack traces of a %s out of the response and the logs',
    async (error) => {
      lines.length = 0;
      // Real AppStream messages can carry ARNs and account ids.
      stack.emulator.faults.add({
        operation: 'DescribeSessions',
        error,
        message:
          'User arn:aws:iam::123456789012:user/ops is over quota for arn:aws:appstream:us-east-1:123456789012:fleet/fleet-1 (secret-token)',
      });
      // The second page needs a token, which must not show up either.
      const first = await stack.graphql<{ sessions: { pageInfo: { endCursor: string } } }>(
        '{ sessions(stackName: "stack-a", fleetName: "fleet-1", first: 1) { pageInfo { endCursor } } }',
      );
      expect(first.data?.sessions).toBeNull();
      expect(JSON.stringify(first)).not.toMatch(SENSITIVE);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('')).toContain('UPSTREAM_');
      expect(lines.join('')).not.toMatch(SENSITIVE);
    },
  );

  it('logs a bad request at debug level, without the cursor it was given', async () => {
    lines.length = 0;
    const response = await stack.graphql(
      'query($after: String) { sessions(stackName: "stack-a", fleetName: "fleet-1", after: $after) { totalCount } }',
      { after: 'secret-token' },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const entries = lines.map(
      (line) => JSON.parse(line) as { level: number; error?: { code?: string } },
    );
    expect(entries).toEqual([
      expect.objectContaining({
        level: 20,
        error: { name: 'GatewayError', code: 'BAD_USER_INPUT' },
      }),
      expect.objectContaining({
        level: 30,
        msg: 'GraphQL operation',
        errorCodes: ['BAD_USER_INPUT'],
      }),
    ]);
    expect(lines.join('')).not.toMatch(SENSITIVE);
  });
});

describe('requests refused before GraphQL runs', () => {
  const refusals = () =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'GraphQL operation');

  it.each([
    ['a body that is not JSON', { method: 'POST', body: '{"query": ' }, 400, 'BAD_REQUEST'],
    ['a method GraphQL does not use', { method: 'PUT', body: '{}' }, 405, 'BAD_REQUEST'],
  ] as const)('log one operation line for %s, with its code', async (_name, init, status, code) => {
    lines.length = 0;
    const response = await fetch(`${stack.url}/graphql`, {
      ...init,
      headers: { 'content-type': 'application/json', 'x-request-id': 'refused-1' },
    });
    expect(response.status).toBe(status);
    expect(refusals()).toEqual([
      expect.objectContaining({
        requestId: 'refused-1',
        operation: null,
        transport: 'http',
        upstreamCalls: 0,
        errorCodes: [code],
      }),
    ]);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^gateway_operation_duration_seconds_count\{operation="anonymous",outcome="error"\} [1-9]/m,
    );
  });
});
