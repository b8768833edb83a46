import { ErrorCode, GatewayError } from '../errors.js';

/** What the failed call was about, phrased for a client ("stack \"a\" / fleet \"b\""). */
export interface UpstreamCallContext {
  readonly operation: string;
  readonly subject: string;
  /** Whether the call continued a listing with a NextToken (so a validation error means a stale cursor). */
  readonly continued: boolean;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'RequestLimitExceededException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'SlowDown',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * What the SDK's credential provider chain throws when no provider yields credentials
 * (`CredentialsProviderError`, "Could not load credentials from any providers") or an SSO token
 * is missing (`TokenProviderError`): the call never left the process.
 */
const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** Log-safe words for an error that a {@link GatewayError} wraps, when its name alone is cryptic. */
export function upstreamCauseHint(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  return CREDENTIAL_ERRORS.has(nameOf(cause))
    ? 'AWS credentials could not be loaded (the SDK credential provider chain found none)'
    : undefined;
}

function nameOf(error: object): string {
  return 'name' in error && typeof error.name === 'string' ? error.name : '';
}

function httpStatusOf(error: object): number | undefined {
  if (!('$metadata' in error) || typeof error.$metadata !== 'object' || error.$metadata === null) {
    return undefined;
  }
  const metadata = error.$metadata;
  return 'httpStatusCode' in metadata && typeof metadata.httpStatusCode === 'number'
    ? metadata.httpStatusCode
    : undefined;
}

/** Seconds a client should wait after throttling when AppStream sends no `Retry-After`. */
export const DEFAULT_THROTTLE_RETRY_AFTER_S = 2;

/** The `Retry-After` of the raw response, in whole seconds, when AppStream sent one. */
function retryAfterOf(error: object): number | undefined {
  if (!('$response' in error) || typeof error.$response !== 'object' || error.$response === null) {
    return undefined;
  }
  const response = error.$response;
  if (!('headers' in response) || typeof response.headers !== 'object') return undefined;
  const headers = response.headers as Record<string, unknown>;
  const raw = headers['retry-after'];
  const seconds = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

/**
 * The error of a call cut short by the request's upstream deadline (or never started because the
 * deadline had passed). The SDK makes no further attempt for it.
 */
export function deadlineError(context: UpstreamCallContext, reason: unknown): GatewayError {
  return new GatewayError(
    ErrorCode.UPSTREAM_UNAVAILABLE,
    `AppStream did not answer ${context.operation} (${context.subject}) within this request's ` +
      'upstream deadline; retry later.',
    { cause: reason, extensions: { retryAfter: 1 } },
  );
}

function codeOf(error: object): string {
  return 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/**
 * Maps anything an SDK call threw to a {@link GatewayError} whose message is safe for a client:
 * it is written here from the call context, never copied from AppStream (whose messages can
 * carry ARNs and account ids). The original error is kept as `cause` for server-side logs.
 */
export function mapUpstreamError(error: unknown, context: UpstreamCallContext): GatewayError {
  if (error instanceof GatewayError) return error;
  if (typeof error !== 'object' || error === null) {
    return new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.', { cause: error });
  }
  const name = nameOf(error);
  const status = httpStatusOf(error);
  const options = { cause: error };
  if (name === 'ResourceNotFoundException') {
    return new GatewayError(ErrorCode.NOT_FOUND, `AppStream found no ${context.subject}.`, options);
  }
  if (THROTTLING.has(name) || status === 429) {
    const retryAfter = retryAfterOf(error) ?? DEFAULT_THROTTLE_RETRY_AFTER_S;
    return new GatewayError(
      ErrorCode.UPSTREAM_THROTTLED,
      `AppStream throttled ${context.operation} for ${context.subject}; retry in a few seconds.`,
      { cause: error, extensions: { retryAfter } },
    );
  }
  if (
    (name === 'ValidationException' || name === 'InvalidParameterCombinationException') &&
    context.continued
  ) {
    return new GatewayError(
      ErrorCode.BAD_USER_INPUT,
      `AppStream no longer accepts the position this cursor points at (${context.subject}); ` +
        'request the first page again without after/before.',
      options,
    );
  }
  if (
    (status !== undefined && status >= 500) ||
    NETWORK_CODES.has(codeOf(error)) ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    name === 'AbortError' ||
    name === 'ServiceUnavailableException' ||
    name === 'InternalServiceException'
  ) {
    return new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `AppStream is unavailable for ${context.operation} (${context.subject}); retry later.`,
      options,
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `The gateway could not load its AWS credentials to call ${context.operation}; ask its ` +
        'operator to check them.',
      options,
    );
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException') {
    return new GatewayError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      `The gateway is not allowed to call ${context.operation}; ask its operator to check its AWS credentials.`,
      options,
    );
  }
  return new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.', options);
}
