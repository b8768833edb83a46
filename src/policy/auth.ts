import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { AuthConfig } from '../config.js';
import type { AccessScope } from '../context.js';
import { UNRESTRICTED_SCOPE } from '../context.js';
import { describeJoseError } from './auth-errors.js';
import { scopeFromClaim } from './scope.js';

/** Leeway for `exp` and `nbf` against clock skew between the identity provider and us. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Longer `Authorization` values are refused unread. */
export const MAX_TOKEN_LENGTH = 8192;

/** The outcome of authenticating one request. */
export type AuthOutcome =
  | {
      readonly ok: true;
      readonly scope: AccessScope;
      /** When the token expires (epoch seconds); absent without authentication. */
      readonly expiresAt?: number | undefined;
    }
  | {
      readonly ok: false;
      /** 401: the caller's token is missing or invalid. 503: the key set could not be read. */
      readonly status: 401 | 503;
      /**
       * What was wrong, for the client: never the token or any of its claims. With 401, also
       * the `error_description` of `WWW-Authenticate` (there made a valid quoted-string).
       */
      readonly message: string;
      /** Whether a token was presented (RFC 6750: no error code in the challenge otherwise). */
      readonly tokenPresented: boolean;
    };

/** Decides who the caller is and what they may see, before any GraphQL runs. */
export interface Authenticator {
  readonly mode: AuthConfig['mode'];
  /** Authenticates an HTTP request by its `Authorization` header value. */
  authenticate(authorization: string | undefined): Promise<AuthOutcome>;
  /** Verifies a bare JWT (for transports without headers, such as WebSocket `connectionParams`). */
  verifyToken(token: string): Promise<AuthOutcome>;
}

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  readonly config: AuthConfig;
  readonly logger: Logger;
  /**
   * Remote key set tuning (`jose`'s defaults otherwise: keys cached 10 minutes, an unknown `kid`
   * refetches at most once per 30 s cooldown, 5 s fetch timeout). Tests shorten the cooldown.
   */
  readonly jwks?: {
    readonly cooldownMs?: number;
    readonly cacheMaxAgeMs?: number;
    readonly timeoutMs?: number;
  };
}

/** Signature algorithms accepted per key type (never `none`, never a shared-secret HMAC). */
function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      throw new Error(`AUTH_PUBLIC_KEY is an EC key on an unsupported curve (${String(curve)}).`);
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new Error('AUTH_PUBLIC_KEY must be an RSA, EC (P-256/384/521) or Ed25519 public key.');
  }
}

const ASYMMETRIC_ALGORITHMS = [
  ...['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
  ...['EdDSA', 'Ed25519'],
];

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Creates the authenticator. `none` admits everyone with {@link UNRESTRICTED_SCOPE}. `jwt`
 * verifies the signature (JWKS or PEM), `iss`, `aud`, `exp` (required) and `nbf` with
 * {@link CLOCK_TOLERANCE_SECONDS} of leeway, then maps the stacks claim to an {@link AccessScope}.
 * Throws at creation when the PEM key is unusable, so a bad key stops the start.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { config, logger } = options;
  if (config.mode === 'none') {
    const admitted: AuthOutcome = { ok: true, scope: UNRESTRICTED_SCOPE };
    return {
      mode: 'none',
      authenticate: () => Promise.resolve(admitted),
      verifyToken: () => Promise.resolve(admitted),
    };
  }
  let key: KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.keys.kind === 'pem') {
    try {
      key = createPublicKey(config.keys.pem);
    } catch {
      throw new Error('AUTH_PUBLIC_KEY could not be read as a PEM public key.');
    }
    algorithms = algorithmsFor(key);
  } else {
    key = createRemoteJWKSet(new URL(config.keys.url), {
      ...(options.jwks?.cooldownMs === undefined
        ? {}
        : { cooldownDuration: options.jwks.cooldownMs }),
      ...(options.jwks?.cacheMaxAgeMs === undefined
        ? {}
        : { cacheMaxAge: options.jwks.cacheMaxAgeMs }),
      timeoutDuration: options.jwks?.timeoutMs ?? 5000,
    });
    algorithms = ASYMMETRIC_ALGORITHMS;
  }
  const { issuer, audience, stacksClaim } = config;
  const reject = (status: 401 | 503, message: string): AuthOutcome => {
    logger.debug({ auth: 'rejected', status, reason: message }, 'Authentication failed');
    return { ok: false, status, message, tokenPresented: true };
  };

  const verifyToken = async (token: string): Promise<AuthOutcome> => {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return reject(401, 'The bearer token is malformed (not a JWT in compact form).');
    }
    if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
      return reject(401, 'The bearer token is unsigned (alg none); send a signed token.');
    }
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer,
        audience: [...audience],
        algorithms,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      const { scope, problem } = scopeFromClaim(stacksClaim, payload[stacksClaim]);
      if (problem !== undefined) logger.debug({ auth: 'no-stacks', claim: stacksClaim }, problem);
      return { ok: true, scope, expiresAt: payload.exp };
    } catch (error: unknown) {
      const described = describeJoseError(error, { issuer, audience });
      if (described.status === 503) {
        logger.warn({ auth: 'keys-unavailable' }, described.message);
      }
      return reject(described.status, described.message);
    }
  };

  return {
    mode: 'jwt',
    verifyToken,
    authenticate(authorization) {
      if (authorization === undefined || authorization.trim() === '') {
        return Promise.resolve({
          ok: false,
          status: 401,
          message:
            'Authentication required: send the header "Authorization: Bearer <token>" with a ' +
            'token from your identity provider.',
          tokenPresented: false,
        });
      }
      const token =
        authorization.length > MAX_TOKEN_LENGTH ? undefined : BEARER.exec(authorization)?.[1];
      if (token === undefined) {
        return Promise.resolve(
          reject(
            401,
            'The Authorization header is malformed; it must be "Bearer <token>" with one JWT ' +
              `of at most ${MAX_TOKEN_LENGTH} characters.`,
          ),
        );
      }
      return verifyToken(token);
    },
  };
}
