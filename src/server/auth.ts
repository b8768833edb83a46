import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.js';
import type { Authenticator } from '../policy/auth.js';
import type { AccessScope } from '../context.js';

/** The realm named in `WWW-Authenticate` challenges. */
export const AUTH_REALM = 'appstream-graphql';

/** A message as an RFC 7235 quoted-string body: printable ASCII, no `"` or `\\`. */
function quotable(message: string): string {
  return message.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Authenticates a `/graphql` request before Apollo sees it. On success returns what the context
 * factory needs; on failure answers the request itself (401 with a `WWW-Authenticate: Bearer`
 * challenge, or 503 when the key set is unreachable) with a GraphQL error body, and returns the
 * code it answered with. The token is never echoed, logged or put into the answer.
 */
export async function authenticateRequest(
  req: IncomingMessage,
  res: ServerResponse,
  authenticator: Authenticator,
): Promise<{ readonly scope: AccessScope } | { readonly refused: ErrorCode }> {
  const outcome = await authenticator.authenticate(req.headers.authorization);
  if (outcome.ok) return { scope: outcome.scope };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  let code: ErrorCode = ErrorCode.UNAUTHENTICATED;
  if (outcome.status === 401) {
    // RFC 6750 §3.1: no error code when the request carried no token at all.
    headers['www-authenticate'] = outcome.tokenPresented
      ? `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${quotable(outcome.message)}"`
      : `Bearer realm="${AUTH_REALM}"`;
    headers['access-control-expose-headers'] = 'WWW-Authenticate';
  } else {
    code = ErrorCode.UPSTREAM_UNAVAILABLE;
    headers['retry-after'] = '5';
  }
  res.writeHead(outcome.status, headers);
  res.end(JSON.stringify({ errors: [{ message: outcome.message, extensions: { code } }] }));
  return { refused: code };
}
