// botbuilder is archived: every import of it stays in src/adapters/teams, so moving to its
// successor touches one folder. This checks the whole tree, benches and scripts included.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const SDK_IMPORT = /(?:from|import)\s*\(?\s*['"](botbuilder|botframework-)[^'"]*['"]/;

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('botbuilder boundary', () => {
  it('only src/adapters/teams imports botbuilder (or its botframework packages)', () => {
    const files = ['src', 'bench', 'scripts'].flatMap(tsFiles);
    const offenders = files.filter(
      (file) => !file.startsWith('src/adapters/teams/') && SDK_IMPORT.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(files.some((f) => f.startsWith('src/adapters/teams/'))).toBe(true);
    expect(offenders).toEqual([]);
    expect(SDK_IMPORT.test("import type { Activity } from 'botbuilder';")).toBe(true);
    expect(SDK_IMPORT.test("const c = await import('botframework-connector');")).toBe(true);
  });
});
