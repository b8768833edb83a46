import type { IncomingMessage } from 'node:http';
import type { AuthOutcome, Authenticator } from '../policy/auth.js';

/** WebSocket close code for a refused or expired authentication (graphql-ws: Forbidden). */
export const CLOSE_FORBIDDEN = 4403;
/** WebSocket close code when the key set cannot be read right now (RFC 6455: try again later). */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** The longest delay `setTimeout` honours; longer expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The caller's credentials as an `Authorization` value: from `connection_init`'s payload
 * (`connectionParams` on the client: `authorization` / `Authorization` with "Bearer <jwt>", or
 * `token` with the bare JWT), else from the upgrade request's `Authorization` header (clients that
 * can set headers on the handshake). Browsers cannot set handshake headers: they use the payload.
 */
export function credentialsOf(
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === 'string') return header;
  if (typeof params?.token === 'string') return `Bearer ${params.token}`;
  return request.headers.authorization;
}

/** The 4403 close reason when no token came (at most 123 bytes): both ways to send one. */
export const MISSING_TOKEN_REASON =
  'Authentication required: send connectionParams {"authorization": "Bearer <token>"} or an ' +
  'Authorization header.';

/**
 * Authenticates a WebSocket connection at `connection_init`, exactly as an HTTP request; a
 * missing token is told both places it may come from.
 */
export async function authenticateConnection(
  authenticator: Authenticator,
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): Promise<AuthOutcome> {
  const outcome = await authenticator.authenticate(credentialsOf(params, request));
  return !outcome.ok && outcome.status === 401 && !outcome.tokenPresented
    ? { ...outcome, message: MISSING_TOKEN_REASON }
    : outcome;
}

/** A WebSocket close reason is at most 123 bytes; messages here are ASCII. */
export function closeReason(message: string): string {
  return message.length <= 123 ? message : `${message.slice(0, 120)}...`;
}

/**
 * Calls `onExpiry` once the token has expired: at `expiresAt` (epoch seconds) plus `graceMs`
 * (the clock tolerance HTTP requests get too). Returns a function that cancels it.
 */
export function whenExpired(
  expiresAt: number,
  graceMs: number,
  onExpiry: () => void,
  now: () => number = Date.now,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = expiresAt * 1000 + graceMs - now();
    if (left <= 0) {
      timer = undefined;
      onExpiry();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
  };
}
