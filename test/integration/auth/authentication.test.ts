import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../../helpers/gateway.js';
import type { TestStack } from '../../helpers/gateway.js';
import {
  AUDIENCE,
  bearer,
  ISSUER,
  pemAuthenticator,
  pemKeyPair,
  startTestIdp,
  unsignedToken,
} from '../../helpers/idp.js';
import type { TestIdp } from '../../helpers/idp.js';

const ALL = { appstream_stacks: ['*'] };
const QUERY = '{ stacks(first: 2) { nodes { name } } }';

/** POSTs QUERY with `headers`, returning status, WWW-Authenticate and the parsed body. */
async function post(stack: TestStack, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    },
  };
}

describe('AUTH_MODE=jwt with a remote JWKS', () => {
  let idp: TestIdp;
  let stack: TestStack;
  const logLines: string[] = [];

  beforeAll(async () => {
    idp = await startTestIdp();
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    );
    stack = await startTestStack({ authenticator: idp.authenticator({ logger }), logger });
  });
  afterAll(async () => {
    await stack.close();
    await idp.close();
  });

  it('serves a request with a valid token', async () => {
    const { status, body } = await post(stack, bearer(await idp.mint(ALL)));
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { stacks: { nodes: [{ name: 'engineering-desktops' }, { name: 'finance-apps' }] } },
    });
  });

  const rejected: Array<{
    name: string;
    headers: () => Promise<Record<string, string>>;
    message: RegExp;
  }> = [
    { name: 'no token', headers: () => Promise.resolve({}), message: /^Authentication required/ },
    {
      name: 'an expired token',
      headers: async () => bearer(await idp.mint(ALL, { expiresIn: -120 })),
      message: /has expired/,
    },
    {
      name: 'a token for another audience',
      headers: async () => bearer(await idp.mint(ALL, { audience: 'another-api' })),
      message: /is for another audience; this gateway accepts the audience 'appstream-graphql'/,
    },
    {
      name: 'a token from another issuer',
      headers: async () => bearer(await idp.mint(ALL, { issuer: 'https://evil.example/' })),
      message: /was issued by another issuer/,
    },
    {
      name: 'a token signed by another key',
      headers: async () => bearer(await idp.mint(ALL, { foreignKey: true })),
      message: /bad signature/,
    },
    {
      name: 'an unsigned token (alg none)',
      headers: () => Promise.resolve(bearer(unsignedToken(ALL))),
      message: /unsigned \(alg none\)/,
    },
    {
      name: 'a token signed with a shared secret (HS256)',
      headers: async () =>
        bearer(
          await new SignJWT(ALL)
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode('x'.repeat(32))),
        ),
      message: /algorithm this gateway does not accept/,
    },
    {
      name: 'a token that is not valid yet',
      headers: async () => bearer(await idp.mint(ALL, { notBefore: 600 })),
      message: /not valid yet/,
    },
    {
      name: 'garbage',
      headers: () => Promise.resolve(bearer('garbage')),
      message: /malformed/,
    },
    {
      name: 'another scheme',
      headers: () => Promise.resolve({ authorization: 'Basic dXNlcjpwYXNz' }),
      message: /Authorization header is malformed/,
    },
  ];

  for (const { name, headers, message } of rejected) {
    it(`answers ${name} with 401 UNAUTHENTICATED, a Bearer challenge and no upstream call`, async () => {
      stack.emulator.calls.reset();
      const sent = await headers();
      const logged = () =>
        logLines.filter(
          (line) =>
            line.includes('"msg":"GraphQL operation"') &&
            line.includes('"errorCodes":["UNAUTHENTICATED"]'),
        ).length;
      const before = logged();
      const { status, challenge, body } = await post(stack, sent);
      expect(status).toBe(401);
      // Refused before GraphQL runs, and still one operation log line.
      expect(logged()).toBe(before + 1);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0]?.message).toMatch(message);
      expect(challenge).toMatch(/^Bearer realm="appstream-graphql"/);
      if (sent.authorization === undefined) {
        expect(challenge).toBe('Bearer realm="appstream-graphql"');
      } else {
        // One well-formed quoted-string: the message's own quotes never break the header.
        expect(challenge).toMatch(
          /^Bearer realm="appstream-graphql", error="invalid_token", error_description="[ -!#-[\]-~]+"$/,
        );
        const token = sent.authorization.split(' ')[1] ?? '';
        expect(JSON.stringify(body)).not.toContain(token);
        expect(challenge).not.toContain(token);
        expect(logLines.join('')).not.toContain(token);
      }
      expect(stack.emulator.calls.count()).toBe(0);
    });
  }

  it('answers the preflight and the health endpoints without a token', async () => {
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    const preflight = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });

  it('lets a token without the stacks claim see nothing, and says why at debug level', async () => {
    const { status, body } = await post(stack, bearer(await idp.mint({})));
    expect(status).toBe(200);
    expect(body).toEqual({ data: { stacks: { nodes: [] } } });
    stack.emulator.calls.reset();
    const fleets = await stack.graphql(
      '{ fleets { nodes { name } } sessions(stackName: "engineering-desktops", fleetName: "eng-linux-alwayson") { totalCount } }',
      {},
      bearer(await idp.mint({ appstream_stacks: 7 })),
    );
    expect(fleets.data).toEqual({ fleets: { nodes: [] }, sessions: null });
    expect(fleets.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.emulator.calls.count('ListAssociatedStacks')).toBe(0);
    expect(stack.emulator.calls.count('DescribeSessions')).toBe(0);
    expect(logLines.join('')).toContain('the token has no \\"appstream_stacks\\" claim');
  });
});

describe('JWKS caching', () => {
  it('fetches the key set once across requests, and refreshes it once for an unknown kid', async () => {
    const idp = await startTestIdp();
    // No cooldown: every unknown kid may refresh, so the counts do not depend on timing.
    const stack = await startTestStack({ authenticator: idp.authenticator({ cooldownMs: 0 }) });
    try {
      const token = await idp.mint(ALL);
      for (let k = 0; k < 5; k++) expect((await post(stack, bearer(token))).status).toBe(200);
      expect(idp.jwksFetches()).toBe(1);

      // The provider publishes a new key and signs with it: one refresh finds it, then cached.
      await idp.rotate();
      const rotated = await idp.mint(ALL);
      expect((await post(stack, bearer(rotated))).status).toBe(200);
      expect((await post(stack, bearer(rotated))).status).toBe(200);
      expect((await post(stack, bearer(token))).status).toBe(200);
      expect(idp.jwksFetches()).toBe(2);

      // A kid nobody publishes: exactly one refresh, then 401.
      const { status, body } = await post(stack, bearer(await idp.mint(ALL, { kid: 'nobody' })));
      expect(status).toBe(401);
      expect(body.errors?.[0]?.message).toMatch(/unknown kid/);
      expect(idp.jwksFetches()).toBe(3);
    } finally {
      await stack.close();
      await idp.close();
    }
  });

  it('does not refetch for unknown kids within the cooldown', async () => {
    const idp = await startTestIdp();
    const stack = await startTestStack({
      authenticator: idp.authenticator({ cooldownMs: 60_000 }),
    });
    try {
      expect((await post(stack, bearer(await idp.mint(ALL)))).status).toBe(200);
      const unknown = bearer(await idp.mint(ALL, { kid: 'nobody' }));
      for (let k = 0; k < 3; k++) expect((await post(stack, unknown)).status).toBe(401);
      expect(idp.jwksFetches()).toBe(1);
    } finally {
      await stack.close();
      await idp.close();
    }
  });

  it('answers 503 when the key set cannot be fetched, without an upstream call', async () => {
    const idp = await startTestIdp();
    const authenticator = idp.authenticator();
    const token = await idp.mint(ALL);
    await idp.close();
    const stack = await startTestStack({ authenticator });
    try {
      const { status, body } = await post(stack, bearer(token));
      expect(status).toBe(503);
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(stack.emulator.calls.count()).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('AUTH_PUBLIC_KEY (one PEM key)', () => {
  for (const alg of ['RS256', 'PS256', 'ES256'] as const) {
    it(`verifies ${alg} tokens; refuses another key's and the PEM used as an HS256 secret`, async () => {
      const { pem, sign, ...keys } = await pemKeyPair(alg);
      const other = await pemKeyPair(alg);
      const authenticator = keys.authenticator();
      const ok = await authenticator.authenticate(
        `Bearer ${await sign({ appstream_stacks: 'a b' })}`,
      );
      expect(ok).toMatchObject({ ok: true });
      expect(ok.ok && ok.scope.canSeeStack('b')).toBe(true);
      expect(ok.ok && ok.scope.canSeeStack('c')).toBe(false);
      expect(await authenticator.verifyToken(await other.sign(ALL))).toEqual({
        ok: false,
        status: 401,
        tokenPresented: true,
        message: 'The bearer token has a bad signature (not signed by a trusted key).',
      });
      // The classic algorithm confusion: the public key's PEM text as an HMAC secret.
      const confused = await new SignJWT(ALL)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(pem));
      expect(await authenticator.verifyToken(confused)).toMatchObject({
        ok: false,
        status: 401,
        message: expect.stringContaining('algorithm this gateway does not accept'),
      });
    });
  }

  it('refuses to start with a key that is not a public key', () => {
    expect(() =>
      pemAuthenticator('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'),
    ).toThrow('AUTH_PUBLIC_KEY could not be read as a PEM public key.');
  });
});
