/**
 * The HTTP status of every error type the emulator sends. Modeled errors take the
 * `httpStatusCode` of their shape in AppStream's service model (2016-12-01); the others are AWS's
 * common errors of the JSON protocols, which the model does not list, with the status AWS sends
 * them with. `test/integration/emulator/error-status.test.ts` checks this table against the
 * model compiled into `@aws-sdk/client-appstream`.
 */
export const ERROR_HTTP_STATUS = {
  // Modeled (service-2.json `error.httpStatusCode`).
  ResourceNotFoundException: 404,
  InvalidParameterCombinationException: 400,
  RequestLimitExceededException: 400,
  // AWS common errors (not in the model).
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ThrottlingException: 400,
  InternalServiceException: 500,
  ServiceUnavailableException: 503,
  /** A request body over the emulator's 1 MiB limit. */
  RequestEntityTooLargeException: 413,
} as const;

/** The closed set of error types the emulator sends in `__type` (and `x-amzn-errortype`). */
export type ServiceErrorType = keyof typeof ERROR_HTTP_STATUS;

/**
 * An AppStream error response: `type` becomes `__type` and the SDK error's `name`; `status` is the
 * HTTP status, always the one {@link ERROR_HTTP_STATUS} gives for the type.
 */
export class ServiceError extends Error {
  readonly type: ServiceErrorType;
  readonly status: number;

  constructor(type: ServiceErrorType, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.type = type;
    this.status = ERROR_HTTP_STATUS[type];
  }
}

/** `ValidationException` with AWS's "N validation error(s) detected: ..." message. */
export function validationError(problems: readonly string[]): ServiceError {
  const n = problems.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return new ServiceError('ValidationException', head + problems.join('; '));
}

/** The error every unusable NextToken gets, whatever was wrong with it. */
export function invalidNextToken(): ServiceError {
  return new ServiceError('ValidationException', 'Invalid NextToken');
}

/** For exhaustive `switch` statements: the compiler proves this is never reached. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${String(value)}`);
  }
}
