import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { AuthConfig } from '../../src/config.js';
import { createAuthenticator } from '../../src/policy/auth.js';
import type { Authenticator } from '../../src/policy/auth.js';

export const ISSUER = 'https://idp.test.example/';
export const AUDIENCE = 'appstream-graphql';

interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

async function newKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicKey };
}

/** What a test token may vary from a valid one. */
export interface MintOptions {
  /** Sign with a key the identity provider does not publish (under a published `kid`). */
  readonly foreignKey?: boolean;
  /** `kid` in the header (default: the newest published key's). */
  readonly kid?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  readonly expiresIn?: number;
  /** Seconds from now for `nbf`. */
  readonly notBefore?: number;
}

/**
 * A test identity provider: RSA keys generated per run, a JWKS served over loopback HTTP (with a
 * count of fetches), and tokens minted with `jose` the way a real provider signs them.
 */
export interface TestIdp {
  readonly jwksUrl: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** A signed token carrying `claims`, valid unless `options` say otherwise. */
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>;
  /** Publishes a new key (kept with the old ones) and signs with it from now on. */
  rotate(): Promise<string>;
  /** A `jwt`-mode authenticator against this provider (remote JWKS). */
  authenticator(options?: { logger?: Logger; cooldownMs?: number }): Authenticator;
  close(): Promise<void>;
}

/** Starts a {@link TestIdp} on 127.0.0.1 port 0. */
export async function startTestIdp(): Promise<TestIdp> {
  const keys: SigningKey[] = [await newKey('key-1')];
  const foreign = await newKey('foreign');
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    void Promise.all(
      keys.map(async (key): Promise<JWK> => ({
        ...(await exportJWK(key.publicKey)),
        kid: key.kid,
        alg: key.alg,
        use: 'sig',
      })),
    ).then((jwks) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: jwks }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const jwksUrl = `http://127.0.0.1:${port}/jwks.json`;
  const config: AuthConfig = {
    mode: 'jwt',
    keys: { kind: 'jwks', url: jwksUrl },
    issuer: ISSUER,
    audience: [AUDIENCE],
    stacksClaim: 'appstream_stacks',
  };
  return {
    jwksUrl,
    jwksFetches: () => fetches,
    async mint(claims, options = {}) {
      const current = keys.at(-1) as SigningKey;
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: current.alg, kid: options.kid ?? current.kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setSubject('user-1')
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300));
      if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
      return jwt.sign(options.foreignKey === true ? foreign.privateKey : current.privateKey);
    },
    async rotate() {
      const key = await newKey(`key-${keys.length + 1}`);
      keys.push(key);
      return key.kid;
    },
    authenticator: (options = {}) =>
      createAuthenticator({
        config,
        logger: options.logger ?? pino({ level: 'silent' }),
        jwks: { cooldownMs: options.cooldownMs ?? 200 },
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A PEM public key and a token signer for it, for `AUTH_PUBLIC_KEY` mode. */
export async function pemKeyPair(alg: 'RS256' | 'PS256' | 'ES256'): Promise<{
  pem: string;
  sign: (claims: JWTPayload, signAlg?: string) => Promise<string>;
  /** A `jwt`-mode authenticator with this PEM as `AUTH_PUBLIC_KEY`. */
  authenticator: () => Authenticator;
}> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const pem = await exportSPKI(publicKey);
  return {
    pem,
    authenticator: () => pemAuthenticator(pem),
    sign: (claims, signAlg = alg) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: signAlg })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(privateKey),
  };
}

/** A `jwt`-mode authenticator with `pem` as `AUTH_PUBLIC_KEY` and the test issuer and audience. */
export function pemAuthenticator(pem: string): Authenticator {
  return createAuthenticator({
    config: {
      mode: 'jwt',
      keys: { kind: 'pem', pem },
      issuer: ISSUER,
      audience: [AUDIENCE],
      stacksClaim: 'appstream_stacks',
    },
    logger: pino({ level: 'silent' }),
  });
}

/** An unsigned token (`alg: none`), as an attacker would send it. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: ISSUER, aud: AUDIENCE, exp: now + 300, ...claims })}.`;
}

/** `Authorization` header of a bearer token. */
export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});
