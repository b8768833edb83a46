/** The closed set of error types the emulator sends in `__type` (and `x-amzn-errortype`). */
export type ServiceErrorType =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'InvalidParameterCombinationException'
  | 'ResourceNotFoundException'
  | 'ThrottlingException'
  | 'RequestLimitExceededException'
  | 'InternalServiceException'
  | 'ServiceUnavailableException';

/**
 * An AppStream error response: `type` becomes `__type` and the SDK error's `name`; `status` is the
 * HTTP status (400 for every modeled client error, as AWS JSON 1.1 services send them).
 */
export class ServiceError extends Error {
  readonly type: ServiceErrorType;
  readonly status: number;

  constructor(type: ServiceErrorType, message: string, status = 400) {
    super(message);
    this.name = 'ServiceError';
    this.type = type;
    this.status = status;
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
