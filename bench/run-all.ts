/** `npm run bench`: runs every `bench:*` script in package.json, one after another. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
).filter((name) => name.startsWith('bench:'));
for (const script of scripts) {
  console.log(`\n## npm run ${script}`);
  execFileSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
}
