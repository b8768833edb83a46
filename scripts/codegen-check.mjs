// Fails when generated files are not what `npm run codegen` would write from schema/: the resolver
// types in src/__generated__/ and the published subgraph SDL in schema/published/. Regenerates in
// place, compares with what was there, and always puts the original files back, so a passing or
// failing check leaves the tree as it was.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const generatedDirs = ['src/__generated__', 'schema/published'];
const snapshot = (dir) =>
  new Map(
    existsSync(dir)
      ? readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')])
      : [],
  );
const before = new Map(generatedDirs.map((dir) => [dir, snapshot(dir)]));
const backup = mkdtempSync(join(tmpdir(), 'codegen-check-'));
generatedDirs.forEach((dir, index) => {
  if (existsSync(dir)) cpSync(dir, join(backup, String(index)), { recursive: true });
});
let stale = [];
try {
  execFileSync('npm', ['run', '--silent', 'codegen'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const dir of generatedDirs) {
    const was = before.get(dir);
    const now = snapshot(dir);
    for (const name of new Set([...was.keys(), ...now.keys()])) {
      if (was.get(name) !== now.get(name)) stale.push(join(dir, name));
    }
  }
} finally {
  generatedDirs.forEach((dir, index) => {
    rmSync(dir, { recursive: true, force: true });
    const saved = join(backup, String(index));
    if (existsSync(saved)) {
      mkdirSync(dir, { recursive: true });
      cpSync(saved, dir, { recursive: true });
    }
  });
  rmSync(backup, { recursive: true, force: true });
}
if (stale.length > 0) {
  console.error(
    `Generated code is stale: ${stale.join(', ')}. Run \`npm run codegen\` and commit the result.`,
  );
  process.exit(1);
}
console.log('Generated code is up to date.');
