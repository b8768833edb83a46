import { errors } from 'jose';

/** What a failed verification tells the client, and with which HTTP status. */
export interface DescribedAuthError {
  readonly status: 401 | 503;
  /** Built from the gateway's configuration only; it also goes into `WWW-Authenticate`. */
  readonly message: string;
}

/** Quotes and backslashes would break the `WWW-Authenticate` quoted-string; configured values only. */
const quoted = (value: string): string => `'${value.replace(/["\\']/g, '')}'`;

/**
 * Maps an error of `jose`'s `jwtVerify` to a message that says what was wrong with the token
 * (expired, not yet valid, wrong issuer or audience, bad signature, unknown key, algorithm),
 * built from the gateway's own configuration only: never the token or its claims. Failures to
 * read the key set are the gateway's problem, not the caller's: 503.
 */
export function describeJoseError(
  error: unknown,
  expected: { readonly issuer: string; readonly audience: readonly string[] },
): DescribedAuthError {
  const invalid = (message: string): DescribedAuthError => ({ status: 401, message });
  if (!(error instanceof errors.JOSEError)) return keysUnavailable();
  if (error instanceof errors.JWTExpired) {
    return invalid('The bearer token has expired; get a new token and retry.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const missing = error.reason === 'missing';
    switch (error.claim) {
      case 'iss':
        return invalid(
          `The bearer token ${missing ? 'has no issuer (iss)' : 'was issued by another issuer'}; ` +
            `this gateway accepts tokens from ${quoted(expected.issuer)} only.`,
        );
      case 'aud':
        return invalid(
          `The bearer token ${missing ? 'has no audience (aud)' : 'is for another audience'}; ` +
            `this gateway accepts the audience ${expected.audience.map(quoted).join(' or ')}.`,
        );
      case 'nbf':
        return invalid('The bearer token is not valid yet (nbf is in the future).');
      case 'exp':
        return invalid(
          missing
            ? 'The bearer token has no expiry (exp); tokens without one are refused.'
            : 'The bearer token has an invalid expiry (exp).',
        );
      default:
        return invalid(`The bearer token has an invalid ${quoted(error.claim)} claim.`);
    }
  }
  switch (error.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalid('The bearer token has a bad signature (not signed by a trusted key).');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return invalid(
        'The bearer token is signed by a key the identity provider does not publish (unknown kid).',
      );
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return invalid('The bearer token does not say which key signed it (kid), and several match.');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return invalid(
        'The bearer token is signed with an algorithm this gateway does not accept ' +
          '(RS256, PS256, ES256 and their larger variants, or EdDSA).',
      );
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWK_INVALID':
      return invalid('The bearer token is malformed (not a signed JWT with a JSON claims set).');
    default:
      return keysUnavailable();
  }
}

function keysUnavailable(): DescribedAuthError {
  return {
    status: 503,
    message: "The identity provider's key set could not be read to verify the token; retry later.",
  };
}
