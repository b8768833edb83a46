/**
 * Mints JWTs for trying `AUTH_MODE=jwt` locally, with a key pair kept in `.dev-auth/`
 * (git-ignored; never use it outside your machine).
 *
 *   npm run token -- keys                       # create the key pair, print the gateway's variables
 *   npm run token -- engineering-desktops       # a token for that stack (several: a b c; all: '*')
 *   npm run token -- '*' --expires 2h --issuer https://idp.example.com/ --audience appstream-graphql
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from 'jose';

const DIR = '.dev-auth';
const PRIVATE = `${DIR}/private.pem`;
const PUBLIC = `${DIR}/public.pem`;
const ALG = 'ES256';

/** Ends the script with one line on stderr (never a stack trace) and exit code 1. */
function fail(message: string): never {
  process.stderr.write(`npm run token: ${message.replaceAll(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

/** What jose's `setExpirationTime` accepts as a duration: `30m`, `2h`, `7d`, `-2m`, `2m ago`. */
const DURATION =
  /^[+-]?\d+(\.\d+)?\s?(sec|secs|second|seconds|s|minute|minutes|min|mins|m|hour|hours|hr|hrs|h|day|days|d|week|weeks|w|year|years|yr|yrs|y)(\s(ago|from now))?$/i;

function readArgs(): ReturnType<typeof parse> {
  try {
    return parse();
  } catch (error: unknown) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      issuer: { type: 'string', default: 'https://idp.local.test/' },
      audience: { type: 'string', default: 'appstream-graphql' },
      claim: { type: 'string', default: 'appstream_stacks' },
      expires: { type: 'string', default: '1h' },
      subject: { type: 'string', default: 'local-developer' },
    },
  });
}

const { values, positionals } = readArgs();
if (!DURATION.test(values.expires)) {
  fail(
    `--expires takes a duration such as 30m, 2h or 7d (an expired token: --expires=-2m); got ` +
      `${JSON.stringify(values.expires)}.`,
  );
}

function environment(): string {
  const pem = readFileSync(PUBLIC, 'utf8').trim().replaceAll('\n', '\\n');
  return [
    'AUTH_MODE=jwt',
    `AUTH_ISSUER=${values.issuer}`,
    `AUTH_AUDIENCE=${values.audience}`,
    `AUTH_PUBLIC_KEY='${pem}'`,
  ].join(' ');
}

if (positionals[0] === 'keys') {
  if (!existsSync(PRIVATE)) {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    mkdirSync(DIR, { recursive: true });
    writeFileSync(PRIVATE, await exportPKCS8(privateKey), { mode: 0o600 });
    writeFileSync(PUBLIC, await exportSPKI(publicKey));
  }
  process.stdout.write(`Start the gateway with:\n\n  ${environment()} npm start\n`);
} else if (positionals.length === 0) {
  process.stderr.write('Name the stacks the token grants (or "*"); see scripts/token.ts.\n');
  process.exitCode = 2;
} else if (!existsSync(PRIVATE)) {
  process.stderr.write('No key pair yet: run `npm run token -- keys` first.\n');
  process.exitCode = 2;
} else {
  const key = await importPKCS8(readFileSync(PRIVATE, 'utf8'), ALG);
  const token = await new SignJWT({ [values.claim]: positionals })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(values.issuer)
    .setAudience(values.audience)
    .setSubject(values.subject)
    .setIssuedAt()
    .setExpirationTime(values.expires)
    .sign(key);
  process.stdout.write(`${token}\n`);
}
