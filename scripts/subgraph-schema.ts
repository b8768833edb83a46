// `npm run schema:subgraph`: writes the subgraph SDL, exactly what `_service { sdl }` answers and
// what `rover subgraph publish` or a registry check would upload, to schema/published/ (a folder
// the schema loaders and codegen do not read). With `--check` (CI), writes nothing and fails when
// the committed file is not what the current schema/ would produce.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { printSubgraphSdl } from '../src/server/subgraph-schema.js';

const PUBLISHED_SUBGRAPH_SDL = 'schema/published/subgraph.graphql';

const sdl = `${printSubgraphSdl()}\n`;
if (process.argv.includes('--check')) {
  let committed: string;
  try {
    committed = readFileSync(PUBLISHED_SUBGRAPH_SDL, 'utf8');
  } catch {
    committed = '';
  }
  if (committed !== sdl) {
    console.error(
      `${PUBLISHED_SUBGRAPH_SDL} is stale. Run \`npm run schema:subgraph\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`${PUBLISHED_SUBGRAPH_SDL} is up to date.`);
} else {
  mkdirSync(dirname(PUBLISHED_SUBGRAPH_SDL), { recursive: true });
  writeFileSync(PUBLISHED_SUBGRAPH_SDL, sdl);
  console.log(`Wrote ${PUBLISHED_SUBGRAPH_SDL}.`);
}
