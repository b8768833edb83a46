import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { problemsOf } from '../../helpers/config.js';

const PEM =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
const JWT = {
  AUTH_MODE: 'jwt',
  AUTH_ISSUER: 'https://idp.example.com/',
  AUTH_AUDIENCE: 'appstream-graphql',
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
};
const withoutJwks = {
  AUTH_MODE: JWT.AUTH_MODE,
  AUTH_ISSUER: JWT.AUTH_ISSUER,
  AUTH_AUDIENCE: JWT.AUTH_AUDIENCE,
};
const PRODUCTION = { NODE_ENV: 'production', APPSTREAM_UPSTREAM: 'aws' };

describe('loadConfig: authentication', () => {
  it('defaults to no authentication outside production', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
    expect(loadConfig({ AUTH_MODE: 'none' }).auth).toEqual({ mode: 'none' });
  });

  it('refuses to start in production without an auth decision, with one line naming both variables', () => {
    const problems = problemsOf(PRODUCTION);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('AUTH_MODE');
    expect(problems[0]).toContain('ALLOW_UNAUTHENTICATED');
    expect(problems[0]).not.toContain('\n');
  });

  it('refuses AUTH_MODE=none in production unless ALLOW_UNAUTHENTICATED=true', () => {
    expect(problemsOf({ ...PRODUCTION, AUTH_MODE: 'none' })).toEqual([
      expect.stringContaining('ALLOW_UNAUTHENTICATED=true'),
    ]);
    expect(problemsOf({ ...PRODUCTION, ALLOW_UNAUTHENTICATED: 'false' })).toHaveLength(1);
    expect(loadConfig({ ...PRODUCTION, ALLOW_UNAUTHENTICATED: 'true' }).auth).toEqual({
      mode: 'none',
    });
    expect(
      loadConfig({ ...PRODUCTION, AUTH_MODE: 'none', ALLOW_UNAUTHENTICATED: 'true' }).auth,
    ).toEqual({ mode: 'none' });
  });

  it('reads jwt mode with a JWKS URL, several audiences and the default stacks claim', () => {
    expect(loadConfig({ ...PRODUCTION, ...JWT, AUTH_AUDIENCE: 'a, b' }).auth).toEqual({
      mode: 'jwt',
      keys: { kind: 'jwks', url: JWT.AUTH_JWKS_URL },
      issuer: JWT.AUTH_ISSUER,
      audience: ['a', 'b'],
      stacksClaim: 'appstream_stacks',
    });
  });

  it('reads a PEM key, with "\\n" standing for line breaks, and a custom claim', () => {
    const auth = loadConfig({
      ...withoutJwks,
      AUTH_PUBLIC_KEY: PEM.replaceAll('\n', '\\n'),
      AUTH_STACKS_CLAIM: 'https://example.com/stacks',
    }).auth;
    expect(auth).toMatchObject({
      mode: 'jwt',
      keys: { kind: 'pem', pem: PEM },
      stacksClaim: 'https://example.com/stacks',
    });
  });

  it('reports every missing or wrong jwt variable at once', () => {
    expect(problemsOf({ AUTH_MODE: 'jwt' })).toEqual([
      'AUTH_ISSUER must be set when AUTH_MODE=jwt.',
      'AUTH_AUDIENCE must be set when AUTH_MODE=jwt.',
      'AUTH_MODE=jwt needs exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_KEY.',
    ]);
    expect(problemsOf({ ...JWT, AUTH_PUBLIC_KEY: PEM })).toEqual([
      'AUTH_MODE=jwt needs exactly one of AUTH_JWKS_URL and AUTH_PUBLIC_KEY.',
    ]);
    expect(problemsOf({ ...JWT, AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toEqual([
      'AUTH_JWKS_URL must be an https:// URL (http:// only on localhost); got "http://idp.example.com/jwks".',
    ]);
    expect(loadConfig({ ...JWT, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).auth.mode).toBe(
      'jwt',
    );
    expect(problemsOf({ ...withoutJwks, AUTH_PUBLIC_KEY: 'not a pem' })).toEqual([
      expect.stringContaining('AUTH_PUBLIC_KEY must be a PEM public key'),
    ]);
    expect(problemsOf({ AUTH_MODE: 'oauth' })).toEqual([
      'AUTH_MODE must be "jwt" or "none"; got "oauth".',
    ]);
    expect(problemsOf({ ALLOW_UNAUTHENTICATED: 'yes' })).toEqual([
      'ALLOW_UNAUTHENTICATED must be "true" or "false"; got "yes".',
    ]);
  });
});

describe('loadConfig: cursor and id signing', () => {
  const secret = 'x'.repeat(32);

  it('reads CURSOR_SECRET and CURSOR_SECRET_PREVIOUS', () => {
    expect(loadConfig({}).signing).toEqual({ secret: null, previous: null });
    expect(
      loadConfig({ CURSOR_SECRET: secret, CURSOR_SECRET_PREVIOUS: `${secret}y` }).signing,
    ).toEqual({ secret, previous: `${secret}y` });
  });

  it('refuses secrets shorter than 32 bytes and a previous secret alone, without echoing them', () => {
    const problems = problemsOf({ CURSOR_SECRET: 'short', CURSOR_SECRET_PREVIOUS: 'tiny' });
    expect(problems).toEqual([
      expect.stringMatching(/^CURSOR_SECRET must be at least 32 bytes long/),
      expect.stringMatching(/^CURSOR_SECRET_PREVIOUS must be at least 32 bytes long/),
    ]);
    expect(problems.join('\n')).not.toMatch(/short|tiny/);
    expect(problemsOf({ CURSOR_SECRET_PREVIOUS: secret })).toEqual([
      'CURSOR_SECRET_PREVIOUS needs CURSOR_SECRET (the key that seals from now on).',
    ]);
  });
});
