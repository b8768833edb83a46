import {
  AppStreamServiceException,
  InvalidParameterCombinationException,
  RequestLimitExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { mapUpstreamError } from '../../../src/upstream/errors.js';
import type { UpstreamCallContext } from '../../../src/upstream/errors.js';

const ARN = 'arn:aws:appstream:us-east-1:123456789012:fleet/x';
const ACCOUNT = '123456789012';

const first: UpstreamCallContext = {
  operation: 'DescribeFleets',
  subject: 'fleet "x"',
  continued: false,
};
const continued: UpstreamCallContext = { ...first, continued: true };

/** An error as the SDK throws it for an error code AppStream does not model (no own class). */
function serviceError(name: string, httpStatusCode: number, message = `${name}: ${ARN}`) {
  return new AppStreamServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message,
  });
}

/** An error as Node's HTTP stack throws it (no name of its own, a `code`). */
function networkError(code: string) {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443 (${ARN})`), { code });
}

function namedError(name: string) {
  const error = new Error(`${name} while calling ${ARN}`);
  error.name = name;
  return error;
}

const NOT_FOUND = 'AppStream found no fleet "x".';
const THROTTLED = 'AppStream throttled DescribeFleets for fleet "x"; retry in a few seconds.';
const UNAVAILABLE = 'AppStream is unavailable for DescribeFleets (fleet "x"); retry later.';
const STALE_CURSOR =
  'AppStream no longer accepts the position this cursor points at (fleet "x"); ' +
  'request the first page again without after/before.';
const DENIED =
  'The gateway is not allowed to call DescribeFleets; ask its operator to check its AWS credentials.';
const UNEXPECTED = 'Unexpected error.';

const testCases: Array<{
  name: string;
  error: unknown;
  context: UpstreamCallContext;
  code: ErrorCode;
  message: string;
}> = [
  {
    name: 'ResourceNotFoundException',
    error: new ResourceNotFoundException({
      message: `The fleet ${ARN} was not found.`,
      $metadata: { httpStatusCode: 400 },
    }),
    context: first,
    code: ErrorCode.NOT_FOUND,
    message: NOT_FOUND,
  },
  {
    name: 'ThrottlingException',
    error: serviceError('ThrottlingException', 400),
    context: first,
    code: ErrorCode.UPSTREAM_THROTTLED,
    message: THROTTLED,
  },
  {
    name: 'RequestLimitExceededException',
    error: new RequestLimitExceededException({
      message: `Rate exceeded for ${ARN}`,
      $metadata: { httpStatusCode: 400 },
    }),
    context: first,
    code: ErrorCode.UPSTREAM_THROTTLED,
    message: THROTTLED,
  },
  {
    name: 'TooManyRequestsException',
    error: serviceError('TooManyRequestsException', 400),
    context: first,
    code: ErrorCode.UPSTREAM_THROTTLED,
    message: THROTTLED,
  },
  {
    name: 'an unnamed HTTP 429',
    error: serviceError('UnknownError', 429),
    context: first,
    code: ErrorCode.UPSTREAM_THROTTLED,
    message: THROTTLED,
  },
  {
    name: 'ThrottlingException during a continued listing',
    error: serviceError('ThrottlingException', 400),
    context: continued,
    code: ErrorCode.UPSTREAM_THROTTLED,
    message: THROTTLED,
  },
  {
    name: 'HTTP 500',
    error: serviceError('InternalFailure', 500),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: UNAVAILABLE,
  },
  {
    name: 'HTTP 503',
    error: serviceError('ServiceUnavailable', 503),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: UNAVAILABLE,
  },
  {
    name: 'ECONNRESET',
    error: networkError('ECONNRESET'),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: UNAVAILABLE,
  },
  {
    name: 'ECONNREFUSED',
    error: networkError('ECONNREFUSED'),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: UNAVAILABLE,
  },
  {
    name: 'TimeoutError',
    error: namedError('TimeoutError'),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: UNAVAILABLE,
  },
  {
    name: 'ValidationException on a continued listing (a stale cursor)',
    error: serviceError('ValidationException', 400),
    context: continued,
    code: ErrorCode.BAD_USER_INPUT,
    message: STALE_CURSOR,
  },
  {
    name: 'InvalidParameterCombinationException on a continued listing',
    error: new InvalidParameterCombinationException({
      message: `Invalid NextToken for ${ARN}`,
      $metadata: { httpStatusCode: 400 },
    }),
    context: continued,
    code: ErrorCode.BAD_USER_INPUT,
    message: STALE_CURSOR,
  },
  {
    name: 'ValidationException on a first page (the gateway sent something wrong)',
    error: serviceError('ValidationException', 400),
    context: first,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: UNEXPECTED,
  },
  {
    name: 'AccessDeniedException',
    error: serviceError('AccessDeniedException', 403),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message: DENIED,
  },
  {
    name: "the SDK's credential provider chain finding no credentials",
    error: Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    }),
    context: first,
    code: ErrorCode.UPSTREAM_UNAVAILABLE,
    message:
      'The gateway could not load its AWS credentials to call DescribeFleets; ask its operator ' +
      'to check them.',
  },
  {
    name: 'an unknown AWS error',
    error: serviceError('SomethingNewException', 400),
    context: first,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: UNEXPECTED,
  },
  {
    name: 'a plain Error',
    error: new Error(`boom at ${ARN}`),
    context: first,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: UNEXPECTED,
  },
  {
    name: 'a thrown string',
    error: `failed: ${ARN}`,
    context: first,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: UNEXPECTED,
  },
  {
    name: 'a thrown null',
    error: null,
    context: first,
    code: ErrorCode.INTERNAL_SERVER_ERROR,
    message: UNEXPECTED,
  },
];

describe('mapUpstreamError', () => {
  for (const { name, error, context, code, message } of testCases) {
    it(`maps ${name} to ${code} with a message of its own, keeping the original as cause`, () => {
      const mapped = mapUpstreamError(error, context);
      expect(mapped).toBeInstanceOf(GatewayError);
      expect({ code: mapped.code, message: mapped.message, cause: mapped.cause }).toEqual({
        code,
        message,
        cause: error,
      });
      expect(mapped.cause).toBe(error);
    });
  }

  it('never copies an ARN or account id from an AWS message into the mapped message', () => {
    for (const { error, context } of testCases) {
      const { message } = mapUpstreamError(error, context);
      expect(message).not.toContain('arn:');
      expect(message).not.toContain(ACCOUNT);
    }
  });

  it('keeps the ARN-bearing AWS error, untouched, as the cause for server-side logs', () => {
    const error = new ResourceNotFoundException({
      message: `The fleet ${ARN} was not found.`,
      $metadata: { httpStatusCode: 400 },
    });
    const mapped = mapUpstreamError(error, first);
    expect(mapped.message).toBe(NOT_FOUND);
    expect(mapped.cause).toBe(error);
    expect((mapped.cause as Error).message).toBe(`The fleet ${ARN} was not found.`);
  });

  it('passes a GatewayError through as the same object', () => {
    const error = new GatewayError(ErrorCode.SCAN_LIMIT_EXCEEDED, 'Too many sessions.');
    expect(mapUpstreamError(error, continued)).toBe(error);
  });

  it('prefers ResourceNotFoundException over its HTTP status', () => {
    const error = new ResourceNotFoundException({
      message: ARN,
      $metadata: { httpStatusCode: 503 },
    });
    expect(mapUpstreamError(error, first).code).toBe(ErrorCode.NOT_FOUND);
  });
});
