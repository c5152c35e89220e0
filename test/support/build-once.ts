// Vitest global setup: the end-to-end tests run the compiled bot (dist/), as `npm start` does,
// so compile it once before any test file runs (a no-op when dist/ is up to date).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function buildOnce(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build-if-stale.mjs')], {
    stdio: 'inherit',
  });
}
