import assert from 'node:assert';
import { ApolloServer } from '@apollo/server';
import { ResourceNotFoundException } from '@aws-sdk/client-appstream';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { inRegionError } from '../../../src/resolvers/regions.js';
import { describeForLog, formatError } from '../../../src/server/errors.js';
import { mapUpstreamError } from '../../../src/upstream/errors.js';

const ARN = 'arn:aws:appstream:us-east-1:123456789012:fleet/x';

/** What Apollo hands `formatError` for a resolver error, with a stack trace in the extensions. */
function resolverError(original: Error, path: ReadonlyArray<string | number> = ['fleet', 'name']) {
  const error = new GraphQLError(original.message, { path, originalError: original });
  const formatted: GraphQLFormattedError = {
    ...error.toJSON(),
    locations: [{ line: 1, column: 3 }],
    extensions: {
      code: original instanceof GraphQLError ? original.extensions.code : 'INTERNAL_SERVER_ERROR',
      stacktrace: (original.stack ?? '').split('\n'),
    },
  };
  return { error, formatted };
}

describe('formatError', () => {
  it('keeps the message and code of a GatewayError thrown in a resolver, with its path', () => {
    const { error, formatted } = resolverError(
      new GatewayError(ErrorCode.NOT_FOUND, 'AppStream found no fleet "x".', {
        cause: new Error(ARN),
      }),
      ['stack', 'fleets', 2, 'state'],
    );
    expect(formatError(formatted, error)).toEqual({
      message: 'AppStream found no fleet "x".',
      locations: [{ line: 1, column: 3 }],
      path: ['stack', 'fleets', 2, 'state'],
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('masks any other resolver error, keeping only its path and locations', () => {
    const { error, formatted } = resolverError(new Error(`${ARN} secret`));
    expect(formatError(formatted, error)).toEqual({
      message: 'Unexpected error.',
      locations: [{ line: 1, column: 3 }],
      path: ['fleet', 'name'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('masks a GraphQLError thrown in a resolver with a code that is not a request error', () => {
    const { error, formatted } = resolverError(
      new GraphQLError(`denied for ${ARN}`, { extensions: { code: 'FORBIDDEN' } }),
    );
    expect(formatError(formatted, error)).toEqual({
      message: 'Unexpected error.',
      locations: [{ line: 1, column: 3 }],
      path: ['fleet', 'name'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  const requestErrors: Array<{ code: string; message: string }> = [
    { code: 'GRAPHQL_PARSE_FAILED', message: 'Syntax Error: Expected Name, found <EOF>.' },
    {
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Cannot query field "nope" on type "Query".',
    },
    {
      code: 'BAD_USER_INPUT',
      message: 'Variable "$first" got invalid value "x"; Int cannot represent non-integer value.',
    },
    { code: 'BAD_REQUEST', message: 'POST body missing.' },
    {
      code: 'OPERATION_RESOLUTION_FAILURE',
      message: 'Unknown operation named "Missing".',
    },
    { code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' },
    { code: 'PERSISTED_QUERY_NOT_SUPPORTED', message: 'PersistedQueryNotSupported' },
  ];
  for (const { code, message } of requestErrors) {
    it(`keeps the message of an Apollo ${code} request error, without its stack trace`, () => {
      const error = new GraphQLError(message, { extensions: { code } });
      const formatted: GraphQLFormattedError = {
        message,
        locations: [{ line: 2, column: 5 }],
        extensions: { code, stacktrace: ['GraphQLError: ...', '    at parse'] },
      };
      expect(formatError(formatted, error)).toEqual({
        message,
        locations: [{ line: 2, column: 5 }],
        extensions: { code },
      });
    });
  }

  it('masks an error with no code at all and adds no path or locations', () => {
    expect(formatError({ message: `${ARN} leaked` }, new Error(`${ARN} leaked`))).toEqual({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe('formatError in Apollo Server', () => {
  const server = new ApolloServer({
    typeDefs: `
      type Fleet { name: String! state: String }
      type Query { fleet(name: String!): Fleet fleets: [Fleet!]! count(first: Int): Int }
    `,
    resolvers: {
      Query: {
        fleet: (_: unknown, { name }: { name: string }) => {
          if (name === 'gone') {
            throw new GatewayError(ErrorCode.NOT_FOUND, 'AppStream found no fleet "gone".');
          }
          throw new Error(`AccessDenied on ${ARN} secret`);
        },
        fleets: () => [{ name: 'a' }, { name: 'b' }],
        count: () => 1,
      },
      Fleet: {
        state: ({ name }: { name: string }) => {
          if (name === 'b') throw new TypeError(`Cannot read ${ARN}`);
          return 'RUNNING';
        },
      },
    },
    formatError,
    // Even when a deployment turns stack traces on, formatError drops them.
    includeStacktraceInErrorResponses: true,
  });

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function errorsOf(query: string, variables?: Record<string, unknown>) {
    const response = await server.executeOperation({
      query,
      ...(variables ? { variables } : {}),
    });
    assert(response.body.kind === 'single');
    return response.body.singleResult.errors;
  }

  it('masks an Error thrown in a resolver, keeping path and locations and no stack trace', async () => {
    expect(await errorsOf('{ fleet(name: "x") { name } }')).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['fleet'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  it('masks an error of a field inside a list, with the index in its path', async () => {
    expect(await errorsOf('{ fleets { name state } }')).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 17 }],
        path: ['fleets', 1, 'state'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  it('shows a GatewayError thrown in a resolver as it is', async () => {
    expect(await errorsOf('{ fleet(name: "gone") { name } }')).toEqual([
      {
        message: 'AppStream found no fleet "gone".',
        locations: [{ line: 1, column: 3 }],
        path: ['fleet'],
        extensions: { code: 'NOT_FOUND' },
      },
    ]);
  });

  it("keeps Apollo's message for a query that does not parse", async () => {
    expect(await errorsOf('{ fleet(')).toEqual([
      {
        message: 'Syntax Error: Expected Name, found <EOF>.',
        locations: [{ line: 1, column: 9 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
  });

  it("keeps Apollo's message for a query that does not validate", async () => {
    expect(await errorsOf('{ nope }')).toEqual([
      {
        message: 'Cannot query field "nope" on type "Query".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
  });

  it("keeps Apollo's message for a variable of the wrong type", async () => {
    expect(await errorsOf('query ($n: Int) { count(first: $n) }', { n: 'x' })).toEqual([
      {
        message: 'Variable "$n" got invalid value "x"; Int cannot represent non-integer value: "x"',
        locations: [{ line: 1, column: 8 }],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
  });
});

describe('describeForLog', () => {
  it('gives the name, code and cause name of a GatewayError, never its message', () => {
    const cause = new ResourceNotFoundException({
      message: `Fleet ${ARN} not found`,
      $metadata: { httpStatusCode: 400 },
    });
    const error = new GatewayError(ErrorCode.NOT_FOUND, 'AppStream found no fleet "x".', {
      cause,
    });
    expect(describeForLog(error)).toEqual({
      name: 'GatewayError',
      code: 'NOT_FOUND',
      cause: 'ResourceNotFoundException',
    });
  });

  it('unwraps a GatewayError thrown in a resolver', () => {
    const { error } = resolverError(
      new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'throttled', { cause: new TypeError('x') }),
    );
    expect(describeForLog(error)).toEqual({
      name: 'GatewayError',
      code: 'UPSTREAM_THROTTLED',
      cause: 'TypeError',
    });
  });

  it('names the region and the upstream cause of an error of a field over several regions', () => {
    const cause = Object.assign(new Error(`Rate exceeded for ${ARN}`), {
      name: 'ThrottlingException',
    });
    const failure = new GatewayError(ErrorCode.UPSTREAM_THROTTLED, 'throttled', { cause });
    const { error } = resolverError(inRegionError('eu-west-1', failure), ['stacks']);
    expect(describeForLog(error)).toEqual({
      name: 'GatewayError',
      code: 'UPSTREAM_THROTTLED',
      cause: 'ThrottlingException',
      region: 'eu-west-1',
    });
  });

  it("says when AWS credentials could not be loaded, without the provider chain's message", () => {
    const cause = Object.assign(new Error(`Could not load credentials from any providers ${ARN}`), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });
    const error = mapUpstreamError(cause, {
      operation: 'DescribeStacks',
      subject: 'stacks',
      continued: false,
    });
    const described = describeForLog(error);
    expect(described).toEqual({
      name: 'GatewayError',
      code: 'UPSTREAM_UNAVAILABLE',
      cause: 'CredentialsProviderError',
      hint: 'AWS credentials could not be loaded (the SDK credential provider chain found none)',
    });
    expect(JSON.stringify(described)).not.toContain(ARN);
  });

  it('leaves the cause out when there is none or it has no name', () => {
    expect(describeForLog(new GatewayError(ErrorCode.BAD_USER_INPUT, 'bad'))).toEqual({
      name: 'GatewayError',
      code: 'BAD_USER_INPUT',
    });
    expect(
      describeForLog(new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'x', { cause: ARN })),
    ).toEqual({ name: 'GatewayError', code: 'INTERNAL_SERVER_ERROR' });
  });

  it('gives only the name of any other error, and the masked code the client got', () => {
    const internal = 'INTERNAL_SERVER_ERROR';
    expect(describeForLog(new TypeError(`Cannot read ${ARN}`))).toEqual({
      name: 'TypeError',
      code: internal,
    });
    expect(describeForLog(resolverError(new RangeError(ARN)).error)).toEqual({
      name: 'RangeError',
      code: internal,
    });
  });

  it('gives the type of a thrown non-error', () => {
    const internal = 'INTERNAL_SERVER_ERROR';
    expect(describeForLog(ARN)).toEqual({ name: 'string', code: internal });
    expect(describeForLog(undefined)).toEqual({ name: 'undefined', code: internal });
  });

  it("gives Apollo's request-level codes, and BAD_REQUEST for its uncoded 4xx request errors", () => {
    const apq = new GraphQLError('provided sha does not match query', {
      extensions: { http: { status: 400, headers: {} } },
    });
    expect(describeForLog(apq)).toEqual({ name: 'GraphQLError', code: 'BAD_REQUEST' });
    expect(
      formatError({ message: apq.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, apq),
    ).toEqual({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
    const execution = new GraphQLError('Schema is not configured to execute mutation operation.');
    expect(describeForLog(execution)).toEqual({
      name: 'GraphQLError',
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
