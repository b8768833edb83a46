// Fails when src/__generated__/ is not what `npm run codegen` would write from schema/.
// Regenerates in place (codegen.yml names the output path), compares with what was there, and
// always puts the original files back, so a passing or failing check leaves the tree as it was.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const generatedDir = 'src/__generated__';
const before = new Map(
  readdirSync(generatedDir).map((name) => [name, readFileSync(join(generatedDir, name), 'utf8')]),
);
const backup = mkdtempSync(join(tmpdir(), 'codegen-check-'));
cpSync(generatedDir, backup, { recursive: true });
let stale = [];
try {
  execFileSync('npm', ['run', '--silent', 'codegen'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const after = new Map(
    readdirSync(generatedDir).map((name) => [name, readFileSync(join(generatedDir, name), 'utf8')]),
  );
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(name) !== after.get(name)) stale.push(join(generatedDir, name));
  }
} finally {
  rmSync(generatedDir, { recursive: true, force: true });
  cpSync(backup, generatedDir, { recursive: true });
  rmSync(backup, { recursive: true, force: true });
}
if (stale.length > 0) {
  console.error(
    `Generated code is stale: ${stale.join(', ')}. Run \`npm run codegen\` and commit the result.`,
  );
  process.exit(1);
}
console.log('Generated code is up to date.');
