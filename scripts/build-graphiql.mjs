/**
 * Builds the GraphiQL page the gateway serves (graphiql/ → dist/graphiql/) and precompresses every
 * file with brotli and gzip, so that the gateway serves them compressed without compressing per
 * request. Run by `npm ci`/`npm install` (the `prepare` script) and by `npm run build:graphiql`.
 *
 * Without the dev dependencies (`npm ci --omit=dev`, a production install) it prints why it
 * skipped and exits 0: GraphiQL is off in production by default, and the gateway answers
 * `GET /graphql` from a browser with a page that says how to build it. Brotli quality 9: quality
 * 11 saves another 10% but takes ten times as long on 7 MB.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'dist', 'graphiql');

let vite;
try {
  vite = await import('vite');
} catch {
  console.log('GraphiQL not built: the dev dependencies (vite, graphiql) are not installed.');
  process.exit(0);
}

const started = Date.now();
await vite.build({ configFile: join(root, 'graphiql', 'vite.config.ts') });

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const COMPRESSIBLE = /\.(html|js|css|ttf|svg|json)$/;

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

let raw = 0;
let compressed = 0;
for await (const path of files(outDir)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const content = await readFile(path);
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzipAsync(content, { level: 9 }),
  ]);
  await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gz)]);
  raw += content.length;
  compressed += br.length;
}
const html = await stat(join(outDir, 'index.html'));
console.log(
  `GraphiQL built into dist/graphiql in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
    `${(raw / 1e6).toFixed(1)} MB, ${(compressed / 1e6).toFixed(1)} MB with brotli (index.html ${html.size} bytes).`,
);
