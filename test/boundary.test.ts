// The core and the commands stay platform-free: they may import each other (commands → core,
// never core → commands), luxon, and a few Node built-ins. No chat SDK, no store package, no
// HTTP framework, nothing under src/adapters.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', 'src');

// csv-parse: a small pure parser with no I/O of its own (the core is handed the file's text).
const PACKAGES_ALLOWED = new Set(['luxon', 'csv-parse/sync', 'node:crypto']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(pattern)) found.push((m[1] ?? m[2] ?? m[3]) as string);
  return found;
}

/** What is wrong with `file` importing `spec`, or undefined when it may. */
export function violation(file: string, spec: string, layer: 'core' | 'commands'): string | undefined {
  if (!spec.startsWith('.')) return PACKAGES_ALLOWED.has(spec) ? undefined : `imports the package ${spec}`;
  const target = relative(src, resolve(dirname(file), spec));
  const allowedRoots = layer === 'core' ? ['core'] : ['core', 'commands'];
  return allowedRoots.some((r) => target.startsWith(`${r}/`)) ? undefined : `imports ${target}`;
}

describe('layer boundaries', () => {
  for (const layer of ['core', 'commands'] as const) {
    it(`src/${layer} imports no platform SDK, store package, HTTP framework or adapter`, () => {
      const problems: string[] = [];
      const files = filesUnder(join(src, layer));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        for (const spec of importsOf(readFileSync(file, 'utf8'))) {
          const wrong = violation(file, spec, layer);
          if (wrong) problems.push(`${relative(src, file)} ${wrong}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('catches the imports it exists to forbid', () => {
    const file = join(src, 'core', 'x.ts');
    const source = [
      "import { App } from '@slack/bolt';",
      "import type { TurnContext } from 'botbuilder';",
      "import express from 'express';",
      "import KeyvSqlite from '@keyv/sqlite';",
      "import Keyv from 'keyv';",
      "export { x } from '../adapters/console/terminal.js';",
      "const m = await import('../commands/dispatch.js');",
      "import { DateTime } from 'luxon';",
      "import type { Card } from './cards.js';",
    ].join('\n');
    const specs = importsOf(source);
    expect(specs).toHaveLength(9);
    expect(specs.map((s) => violation(file, s, 'core') !== undefined)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(violation(join(src, 'commands', 'x.ts'), '../core/cards.js', 'commands')).toBeUndefined();
  });
});
