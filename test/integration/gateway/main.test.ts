import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, killMains, startMain, track, waitForLog } from '../../helpers/main-process.js';

/** Runs `npm run emulator` on a free port; resolves with the endpoint it announces. */
async function startEmulator(
  sessions: number,
): Promise<{ emulator: ChildProcess; endpoint: string }> {
  const emulator = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/emulator/cli.ts', '--port', '0', '--sessions', String(sessions)],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(emulator);
  const [announcement] = (await once(createInterface({ input: emulator.stdout }), 'line')) as [
    string,
  ];
  return { emulator, endpoint: /AWS_ENDPOINT_URL_APPSTREAM=(\S+)/.exec(announcement)?.[1] ?? '' };
}

afterEach(killMains);

/**
 * A warning of the gateway's own: not Node's process warnings (on Node 20 the AWS SDK emits one
 * at start, that its later releases need Node 22), which depend on the Node that runs the tests.
 */
const securityWarning = (entry: { level?: unknown; msg?: unknown }) =>
  entry.level === 40 && entry.msg !== 'Node.js warning';

describe('npm start (src/main.ts)', () => {
  it('runs on the embedded emulator, says so in its first log line, and serves { __typename }', async () => {
    const child = startMain({ PORT: '0', HOST: '127.0.0.1' });
    const logged = await waitForLog(child, 'Gateway ready');
    expect(logged[0]).toMatchObject({ upstream: 'emulator' });
    expect(logged[0]?.msg).toContain('embedded AppStream emulator');
    const response = await fetch(String(logged.at(-1)?.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('runs with APPSTREAM_UPSTREAM=aws against any endpoint named by AWS_ENDPOINT_URL_APPSTREAM', async () => {
    const { emulator, endpoint } = await startEmulator(40);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const gateway = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      APPSTREAM_UPSTREAM: 'aws',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_APPSTREAM: endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    const logged = await waitForLog(gateway, 'Gateway ready');
    expect(logged[0]).toMatchObject({ upstream: 'aws' });
    const response = await fetch(String(logged.at(-1)?.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stacks { nodes { name } } }' }),
    });
    const body = (await response.json()) as { data: { stacks: { nodes: unknown[] } } };
    expect(body.data.stacks.nodes.length).toBeGreaterThan(0);

    gateway.kill('SIGTERM');
    emulator.kill('SIGTERM');
    const [[gatewayCode], [emulatorCode]] = (await Promise.all([
      once(gateway, 'exit'),
      once(emulator, 'exit'),
    ])) as [[number | null], [number | null]];
    expect([gatewayCode, emulatorCode]).toEqual([0, 0]);
  });

  /** APPSTREAM_UPSTREAM=aws with nothing from the machine: no config files, no EC2 metadata. */
  const bareAws = {
    PORT: '0',
    HOST: '127.0.0.1',
    APPSTREAM_UPSTREAM: 'aws',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };

  it('refuses to start with APPSTREAM_UPSTREAM=aws and no region, in one line naming AWS_REGION', async () => {
    const { code, stderr } = await collect(
      startMain({ ...bareAws, AWS_DEFAULT_REGION: 'eu-west-1' }),
    );
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'The gateway could not start: APPSTREAM_UPSTREAM=aws needs an AWS region and the AWS SDK ' +
        'found none: set AWS_REGION (for example AWS_REGION=eu-west-1; the SDK for JavaScript ' +
        "does not read AWS_DEFAULT_REGION), a region in the AWS profile's config file, or list " +
        'the regions in APPSTREAM_REGIONS',
    ]);
  });

  it('answers UPSTREAM_UNAVAILABLE and logs why when the SDK finds no AWS credentials', async () => {
    const { endpoint } = await startEmulator(10);
    const gateway = startMain({
      ...bareAws,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_APPSTREAM: endpoint,
    });
    // One reader for the whole run: the error line comes after the ready line.
    const lines = createInterface({ input: gateway.stdout! })[Symbol.asyncIterator]();
    const nextLog = async (prefix: string): Promise<Record<string, unknown>> => {
      for (;;) {
        const { value, done } = await lines.next();
        if (done === true) throw new Error(`the gateway ended before logging "${prefix}"`);
        const entry = JSON.parse(value) as Record<string, unknown>;
        if (typeof entry.msg === 'string' && entry.msg.startsWith(prefix)) return entry;
      }
    };
    const ready = await nextLog('Gateway ready');
    const response = await fetch(String(ready.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ stacks { nodes { name } } }' }),
    });
    const body = (await response.json()) as {
      errors?: Array<{ message: string; extensions: { code: string } }>;
    };
    expect(body.errors?.[0]).toEqual({
      message:
        'The gateway could not load its AWS credentials to call DescribeStacks; ask its ' +
        'operator to check them.',
      locations: [{ line: 1, column: 3 }],
      path: ['stacks'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    expect((await nextLog('GraphQL error')).error).toEqual({
      name: 'GatewayError',
      code: 'UPSTREAM_UNAVAILABLE',
      cause: 'CredentialsProviderError',
      hint: 'AWS credentials could not be loaded (the SDK credential provider chain found none)',
    });
  });

  it('refuses to start in production without an explicit upstream', async () => {
    const { code, stderr } = await collect(startMain({ NODE_ENV: 'production', PORT: '0' }));
    expect(code).not.toBe(0);
    expect(stderr).toContain('APPSTREAM_UPSTREAM must be set when NODE_ENV=production');
  });

  it('exits non-zero with one line per configuration problem', async () => {
    const { code, stderr } = await collect(startMain({ PORT: 'x', APPSTREAM_UPSTREAM: 'gcp' }));
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      'PORT must be a plain decimal integer from 0 to 65535; got "x".',
      'APPSTREAM_UPSTREAM must be "emulator" or "aws"; got "gcp".',
    ]);
  });

  it('refuses to start in production without an auth decision, with one line naming both variables', async () => {
    const { code, stderr } = await collect(
      startMain({ NODE_ENV: 'production', APPSTREAM_UPSTREAM: 'aws', PORT: '0' }),
    );
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AUTH_MODE.*ALLOW_UNAUTHENTICATED/);
  });

  it('warns at start when authentication is off and when cursors use a random key', async () => {
    const child = startMain({ PORT: '0', HOST: '127.0.0.1' });
    const logged = await waitForLog(child, 'Gateway ready');
    const warnings = logged.filter(securityWarning).map((entry) => entry.msg);
    expect(warnings).toEqual([
      expect.stringContaining('Authentication is off (AUTH_MODE=none)'),
      expect.stringContaining('CURSOR_SECRET is not set'),
    ]);
  });

  it('requires a bearer token with AUTH_MODE=jwt and keeps the secret out of the logs', async () => {
    const secret = 'a-cursor-secret-that-is-long-enough-1234';
    const child = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: 'https://idp.example.com/',
      AUTH_AUDIENCE: 'appstream-graphql',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      CURSOR_SECRET: secret,
    });
    const logged = await waitForLog(child, 'Gateway ready');
    expect(JSON.stringify(logged)).not.toContain(secret);
    expect(logged.filter(securityWarning)).toEqual([]);
    const response = await fetch(String(logged.at(-1)?.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
  });
});
