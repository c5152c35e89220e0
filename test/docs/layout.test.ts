// docs/architecture.md shows the source tree; this keeps it the tree that is there. Every folder
// under src/ must appear in the layout block, and every src/ folder or file the block names must exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/run-npm.js';

function folders(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => [`${prefix}${entry.name}/`, ...folders(join(dir, entry.name), `${prefix}${entry.name}/`)]);
}

/** The layout block as paths: each folder (`name/`) or file (`name.ts`) joined to the folders above it. */
function documentedPaths(block: string): string[] {
  const stack: { indent: number; name: string }[] = [];
  const paths: string[] = [];
  for (const line of block.split('\n')) {
    const match = /^( *)(\S+)/.exec(line);
    if (!match?.[2] || line.trim() === '') continue;
    const indent = match[1]?.length ?? 0;
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const parent = stack.map((entry) => entry.name).join('');
    // A line may name several siblings: `roster/, privacy/, timer/` or `forget.ts, retention.ts`.
    const names = line
      .trim()
      .split(/\s{2,}/)[0]
      ?.split(/,\s*/)
      .map((name) => name.trim())
      .filter((name) => /^[a-z][\w.-]*(?:\/|\.ts|\.mjs)$/i.test(name));
    for (const name of names ?? []) paths.push(parent + name);
    if (names?.length === 1 && names[0]?.endsWith('/')) stack.push({ indent, name: names[0] });
  }
  return paths;
}

describe('the layout in docs/architecture.md', () => {
  const doc = readFileSync(join(projectRoot, 'docs', 'architecture.md'), 'utf8');
  const block = /## The layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const documented = documentedPaths(block).filter((path) => path.startsWith('src/'));

  it('names every folder under src/', () => {
    expect(block).not.toBe('');
    const missing = folders(join(projectRoot, 'src'), 'src/').filter((folder) => !documented.includes(folder));
    expect(missing).toEqual([]);
  });

  it('names no src/ folder or file that is not there', () => {
    const absent = documented.filter((path) => !existsSync(join(projectRoot, path)));
    expect(absent).toEqual([]);
  });
});
