/**
 * The closed set of error codes the gateway puts in `extensions.code`.
 *
 * Clients may switch on these values; they are a public contract. Anything that is not a
 * `GatewayError` is masked as `INTERNAL_SERVER_ERROR` before it reaches a client.
 */
export const ErrorCode = {
  /**
   * The request itself is wrong; the message says what to change. Nothing reached the upstream,
   * except when the upstream rejected the page token inside an otherwise valid cursor.
   */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /**
   * The request carries no valid credentials (missing, malformed, expired or untrusted token).
   * Sent with HTTP 401 before any GraphQL runs; nothing reached the upstream. On `/subgraph`,
   * also a request without the router's shared secret (`SUBGRAPH_SECRET`).
   */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /**
   * The named stack, fleet or session does not exist, or is outside what the caller may see:
   * the two are indistinguishable by design, so that names do not leak.
   */
  NOT_FOUND: 'NOT_FOUND',
  /** AppStream refused the call because of its request rate; retry later. */
  UPSTREAM_THROTTLED: 'UPSTREAM_THROTTLED',
  /** AppStream could not be reached or failed; retry later. */
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** Answering would scan more upstream items than the configured bound allows. */
  SCAN_LIMIT_EXCEEDED: 'SCAN_LIMIT_EXCEEDED',
  /**
   * A subscription would exceed a limit (per connection, in total, listings watched, or a client
   * that falls too far behind); the message names the limit.
   */
  SUBSCRIPTION_LIMIT_EXCEEDED: 'SUBSCRIPTION_LIMIT_EXCEEDED',
  /**
   * Live updates stopped: AppStream could not be read for longer than the outage bound, or the
   * gateway is shutting down. Subscribe again for a fresh snapshot.
   */
  LIVE_UPDATES_INTERRUPTED: 'LIVE_UPDATES_INTERRUPTED',
  /** Anything unexpected. Details are logged server-side, never sent to the client. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error whose message is safe to show a client: it never contains ARNs, account ids,
 * upstream tokens or stack traces. `code` is one of {@link ErrorCode}.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayError';
    this.code = code;
  }
}

/** Shorthand for a {@link GatewayError} with code `BAD_USER_INPUT`. */
export function badUserInput(message: string): GatewayError {
  return new GatewayError(ErrorCode.BAD_USER_INPUT, message);
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** For exhaustive `switch` statements: the compiler proves this is never reached. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${String(value)}`);
  }
}

/** `value` if it is an `Error`, else an `Error` describing it: what DataLoader needs per failed key. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
