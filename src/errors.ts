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
   * the two are indistinguishable by design, so that names do not leak. Over HTTP, a path the
   * gateway does not serve (404).
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
  /**
   * The HTTP request is malformed: a body that is not JSON, or (Apollo's own code, kept as it is)
   * a request Apollo cannot run, such as a persisted-query hash that does not match its query.
   */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The HTTP request body is larger than the gateway accepts (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /**
   * The request was refused before execution by one of the query limits (depth, aliases,
   * directives, tokens, cost, batch size). `extensions.limit` names it; nothing reached AppStream.
   */
  QUERY_LIMIT_EXCEEDED: 'QUERY_LIMIT_EXCEEDED',
  /** This request used up its budget of AppStream calls; the fields that needed more failed. */
  UPSTREAM_BUDGET_EXCEEDED: 'UPSTREAM_BUDGET_EXCEEDED',
  /** This request returned as many items as one request may; the fields that wanted more failed. */
  RESULT_LIMIT_EXCEEDED: 'RESULT_LIMIT_EXCEEDED',
  /** Trusted documents are on and no listed operation has the id the request named. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Trusted documents are on and the request's document is not in the manifest. */
  OPERATION_NOT_TRUSTED: 'OPERATION_NOT_TRUSTED',
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
  /**
   * The members of `extensions` a client sees, `code` included, all safe to show: `retryAfter` (seconds)
   * on throttling and an open circuit breaker; `limit`, `maximum` and friends on query limits.
   */
  readonly extensions: Readonly<Record<string, string | number>>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: {
      cause?: unknown;
      extensions?: Readonly<Record<string, string | number>>;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    // `code` too: graphql-js copies an original error's `extensions` into the GraphQLError that
    // wraps it, so copies that lose `originalError` (Apollo's trace builder) still carry it.
    this.extensions = { ...options?.extensions, code };
  }
}

const regionsOfErrors = new WeakMap<object, string>();

/**
 * Notes which region's upstream an error came from, for log lines only (a client sees the region
 * in an error only where the field read several regions; see `inRegionError`). Returns `error`.
 */
export function tagRegion(error: unknown, region: string): unknown {
  if (typeof error === 'object' && error !== null && !regionsOfErrors.has(error)) {
    regionsOfErrors.set(error, region);
  }
  return error;
}

/** The region {@link tagRegion} noted for `error`, if any. */
export function taggedRegion(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? regionsOfErrors.get(error) : undefined;
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
