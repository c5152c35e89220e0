// Compiles src/ to dist/ when dist/ is missing or older than any source file, so that
// `npm install && npm start` needs no third command and a `git pull` is picked up, while a
// start with an up-to-date dist/ costs a directory walk (milliseconds), not a compile.
// Plain JavaScript on purpose: it must run before anything is compiled, without tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestSource(join(root, 'src')),
  statSync(join(root, 'tsconfig.json')).mtimeMs,
  statSync(join(root, 'tsconfig.build.json')).mtimeMs,
);
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) process.exit(0);

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  if (existsSync(join(root, 'dist', 'main.js'))) {
    process.stderr.write(
      'dist/ may be older than src/, and TypeScript is not installed to rebuild it: using dist/ as it is\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'dist/ is missing and TypeScript is not installed: run `npm install` (with dev dependencies), then `npm run build`\n',
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
