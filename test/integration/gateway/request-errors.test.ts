import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../helpers/gateway.js';

/** Every log line the gateway writes during this file, parsed. */
interface LogLine {
  level: number;
  msg: string;
  error?: { name?: string; code?: string };
}
const lines: LogLine[] = [];
const logger = pino(
  { level: 'trace' },
  {
    write: (line: string) => {
      // Only the error lines (the per-operation summary line is another concern).
      const entry = JSON.parse(line) as LogLine;
      if (entry.msg === 'GraphQL error') lines.push(entry);
    },
  },
);
const stack = useTestStack({ logger });

async function post(body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe("client mistakes keep Apollo's request-level codes and are logged at debug", () => {
  it('a mutation on this schema without mutations is GRAPHQL_VALIDATION_FAILED (400), not INTERNAL_SERVER_ERROR', async () => {
    lines.length = 0;
    const response = await post({ query: 'mutation { foo }' });
    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'The mutation operation is not supported by the schema; this gateway serves queries ' +
              '(over HTTP and WebSocket) and subscriptions (over WebSocket) only.',
            locations: [{ line: 1, column: 1 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    });
    expect(lines.map((line) => line.level)).toEqual([20]);
  });

  it('a subscription over HTTP is a client error (400) with a code, never INTERNAL_SERVER_ERROR', async () => {
    lines.length = 0;
    const unknownField = await post({ query: 'subscription { foo }' });
    const overHttp = await post({
      query: 'subscription { sessionEvents(stackName: "a", fleetName: "b") { __typename } }',
    });
    const codeOf = (r: { body: unknown }) =>
      (r.body as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code;
    expect([unknownField.status, codeOf(unknownField)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    expect([overHttp.status, codeOf(overHttp)]).toEqual([400, 'BAD_REQUEST']);
    expect(lines.every((line) => line.level === 20)).toBe(true);
  });

  it("an automatic persisted query with a wrong hash is BAD_REQUEST with Apollo's message", async () => {
    lines.length = 0;
    const response = await post({
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } },
    });
    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
        ],
      },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        error: expect.objectContaining({ code: 'BAD_REQUEST' }),
      }),
    ]);
  });

  it("an unknown persisted query version is BAD_REQUEST with Apollo's message", async () => {
    lines.length = 0;
    const response = await post({
      query: '{ __typename }',
      extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } },
    });
    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } },
        ],
      },
    });
    expect(lines.map((line) => line.level)).toEqual([20]);
  });

  it('keeps PERSISTED_QUERY_NOT_FOUND, OPERATION_RESOLUTION_FAILURE and GRAPHQL_VALIDATION_FAILED as they are, at debug', async () => {
    lines.length = 0;
    const notFound = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('x') } },
    });
    const unknownOperation = await post({ query: '{ __typename }', operationName: 'Nope' });
    const unknownField = await post({ query: '{ nope }' });
    expect(
      [notFound, unknownOperation, unknownField].map(
        (r) => (r.body as { errors: Array<{ extensions: unknown }> }).errors[0]?.extensions,
      ),
    ).toEqual([
      { code: 'PERSISTED_QUERY_NOT_FOUND' },
      { code: 'OPERATION_RESOLUTION_FAILURE' },
      { code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    expect(lines.map((line) => line.level)).toEqual([20, 20, 20]);
  });
});

describe('HTTP-level errors carry a stable code', () => {
  it('a malformed JSON body is BAD_REQUEST (400)', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect([response.status, await response.json()]).toEqual([
      400,
      {
        errors: [
          {
            message: 'The request body is not valid JSON; send {"query": "..."}.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    ]);
  });

  it('a body over 1 MiB is PAYLOAD_TOO_LARGE (413)', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(1024 * 1024)}` }),
    });
    expect([response.status, await response.json()]).toEqual([
      413,
      {
        errors: [
          {
            message: 'The request body exceeds 1048576 bytes; send a smaller query.',
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      },
    ]);
  });

  it('an unknown path is NOT_FOUND (404) in the same error shape', async () => {
    const response = await fetch(`${stack.url}/nope`);
    expect([response.status, await response.json()]).toEqual([
      404,
      {
        errors: [
          {
            message: 'Nothing at /nope; GraphQL is served at /graphql.',
            extensions: { code: 'NOT_FOUND' },
          },
        ],
      },
    ]);
  });
});
