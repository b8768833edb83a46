import { StandardRetryStrategy } from '@smithy/util-retry';

type RetryToken = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[0];
type RetryErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/**
 * AppStream's throttling error names that the SDK's classifier does not know. The SDK lists
 * `RequestLimitExceeded` (EC2's name) but not AppStream's `RequestLimitExceededException`, so
 * without this the SDK treats AppStream throttling as a client error and never retries it.
 */
const EXTRA_THROTTLING_ERRORS = new Set(['RequestLimitExceededException']);

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

/**
 * The SDK's standard retry strategy (not adaptive), with `RequestLimitExceededException`
 * classified as throttling, so that it is retried with the SDK's throttling backoff and retry
 * quota like `ThrottlingException`. It is the client's only retry loop: pass it as the client's
 * `retryStrategy`. Everything else (attempts, delays, quota, `Retry-After`) is the SDK's own.
 */
export class AppStreamRetryStrategy extends StandardRetryStrategy {
  override refreshRetryTokenForRetry(
    token: RetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<RetryToken> {
    const reclassified: RetryErrorInfo = EXTRA_THROTTLING_ERRORS.has(errorName(errorInfo.error))
      ? { ...errorInfo, errorType: 'THROTTLING' }
      : errorInfo;
    return super.refreshRetryTokenForRetry(token, reclassified);
  }
}
