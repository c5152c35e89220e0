// `help` shows each person exactly the commands they may run: for every role of the
// authorization matrix in docs/security.md (the table matrix.test.ts proves by running every
// command), help lists a command if and only if the matrix says yes for that role.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/registry.js';
import { createHarness } from '../support/harness.js';

const COLUMNS = ['coordinator', 'leader', 'co-leader', 'member', 'other', 'leader here', 'stranger'] as const;
type Column = (typeof COLUMNS)[number];

function matrix(): Map<string, Record<Column, string>> {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'security.md'), 'utf8');
  const section = doc.split('### Authorization matrix')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('| `/balint '));
  return new Map(
    rows.map((row) => {
      const cells = row
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const name = (cells[0] ?? '').replace(/`/g, '').replace(/^\/balint /, '');
      return [name, Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i + 1] ?? ''])) as Record<Column, string>];
    }),
  );
}

// `rotations` is open to anyone for their own rotations; the matrix row is about another
// student's, which only coordinators see.
const OWN_DATA = new Set(['rotations']);

describe('help and the authorization matrix', () => {
  it.each([
    ['coordinator', 'coord'],
    ['leader', 'lee'],
    ['co-leader', 'cal'],
    ['member', 'ann'],
    ['stranger', 'stranger'],
  ] as const)('help shows a %s exactly the commands the matrix gives them', async (column, actor) => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A program PA');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @cal as co-leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    const said = await h.say(actor, 'help');
    const verbs = [...commands.map((c) => c.verb)].sort((a, b) => b.length - a.length);
    const listed = new Set(
      said
        .split('\n')
        .map((line) =>
          verbs.find((v) => line.startsWith(`/balint ${v}`) && /^[\s<[:]|^$/.test(line.slice(9 + v.length))),
        )
        .filter((v): v is string => v !== undefined),
    );
    const expected = [...matrix()]
      .filter(([name, row]) => row[column] === 'yes' || OWN_DATA.has(name))
      .map(([name]) => name)
      .sort();
    expect([...listed].sort()).toEqual(expected);
    await h.crash();
  });
});
