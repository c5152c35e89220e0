// Properties of the CSV importers (rotation calendars and rosters) under random text and under
// valid files with one random cell: they never throw, every problem names a line that is in
// the file and never quotes a cell (a cell may hold anything, words about a patient included),
// and a rejected file writes nothing at all.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRosterCsv, checkRotationCsv, describeProblem, type RowProblem } from '../../src/core/rotations/rows.js';
import { createHarness, type Harness } from '../support/harness.js';

const RUNS_CHECK = Number(process.env.FUZZ_RUNS_CSV_CHECK ?? process.env.FUZZ_RUNS_CSV ?? 10_000);
const RUNS_IMPORT = Number(process.env.FUZZ_RUNS_CSV_IMPORT ?? process.env.FUZZ_RUNS_CSV ?? 3_000);
const SEED = 20261128;

/** Each run's own marker: a cell holding it must never come back in a message. */
const MARKER = `zq${randomBytes(5).toString('hex')}`;

const lineCount = (text: string): number => text.split(/\r\n|\r|\n/).length;

const ROTATION_HEADER = 'student,program,rotation,start,end';
const ROSTER_HEADER = 'group,program,student,role';

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const row = (cells: string[]): string => cells.map(quote).join(',');

const secretCell = fc.oneof(
  fc.constant(MARKER),
  fc.string({ maxLength: 6 }).map((s) => `${s}${MARKER}`),
  fc.constantFrom(
    `${MARKER}@example.edu`,
    `console:${MARKER}`,
    `"${MARKER}"`,
    `${MARKER},${MARKER}`,
    `${MARKER}\n${MARKER}`,
    `2027-02-${MARKER}`,
  ),
);
const randomCell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    ' ',
    '"',
    '""',
    ',',
    '\n',
    '\r\n',
    'PA',
    'pa',
    'XX',
    'member',
    'leader',
    'boss',
    '2027-02-29',
    '2028-02-29',
    '2027-13-01',
    '2027-03-05',
    'ann@example.edu',
    'console:ann',
    'slack:T1:U1',
    'teams:x',
    'Surgery',
    '@here',
    '<!channel>',
    'Family Medicine',
  ),
  secretCell,
);

const validRotationRow = fc
  .record({
    student: fc.constantFrom('console:ann', 'console:bo', 'ann@example.edu', 'CY@Example.edu'),
    program: fc.constantFrom('PA', 'pt', 'OT'),
    name: fc.constantFrom('Surgery', 'Family Medicine', 'Pediatrics (outpatient)', "Women's Health"),
    start: fc.constantFrom('2027-01-04', '2027-02-01', '2027-03-01'),
    end: fc.constantFrom('2027-03-05', '2027-04-02', '2027-05-28'),
  })
  .map((r) => [r.student, r.program, r.name, r.start, r.end]);
const validRosterRow = fc
  .record({
    group: fc.constantFrom('PA Cohort A', 'PA Cohort B', 'OT Group'),
    program: fc.constantFrom('PA'),
    student: fc.constantFrom('console:ann', 'console:bo', 'console:lee', 'ann@example.edu'),
    role: fc.constantFrom('member', 'leader', 'co-leader'),
  })
  .map((r) => [r.group, r.program, r.student, r.role]);

/** A valid file, then one random cell put somewhere in it (or a line of junk inserted). */
const mutatedFile = (header: string, validRow: fc.Arbitrary<string[]>) =>
  fc
    .tuple(
      fc.array(validRow, { minLength: 1, maxLength: 8 }),
      fc.nat(),
      fc.nat(),
      randomCell,
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.boolean(),
    )
    .map(([rows, r, c, cell, eol, junkLine]) => {
      const lines = rows.map((cells) => [...cells]);
      const target = lines[r % lines.length] as string[];
      if (junkLine) lines.splice(r % (lines.length + 1), 0, [cell]);
      else target[c % target.length] = cell;
      return [header, ...lines.map(row)].join(eol) + (r % 2 ? eol : '');
    });

const anyText = (header: string, validRow: fc.Arbitrary<string[]>) =>
  fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc
      .array(fc.array(randomCell, { maxLength: 7 }), { maxLength: 8 })
      .map((rows) => [header, ...rows.map((cells) => cells.join(','))].join('\n')),
    fc.array(fc.array(randomCell, { maxLength: 7 }), { maxLength: 8 }).map((rows) => rows.map(row).join('\r\n')),
    mutatedFile(header, validRow),
    mutatedFile(header, validRow),
  );

/** What every problem must satisfy: a line in the file, no cell quoted, a short fixed wording. */
function checkProblems(text: string, problems: RowProblem[], wordings: Set<string>): void {
  const lines = lineCount(text);
  for (const p of problems) {
    expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines, `line ${p.line} of ${lines}`).toBe(true);
    const said = describeProblem(p);
    expect(said).not.toContain(MARKER);
    wordings.add(said.replace(/\d+/g, '#'));
  }
}

describe('the CSV importers under random input', () => {
  // csv-parse costs about 75 µs a small file, against a hand parser's few: 20,000 files take
  // some 30 s on a loaded machine, hence the timeout (the assertions are unchanged).
  it(
    `check any text without throwing; problems name a line in the file and quote no cell (${RUNS_CHECK} cases each)`,
    {
      timeout: 120_000,
    },
    () => {
      const wordings = new Set<string>();
      let rejected = 0;
      let accepted = 0;
      for (const [header, validRow, check] of [
        [ROTATION_HEADER, validRotationRow, checkRotationCsv],
        [ROSTER_HEADER, validRosterRow, checkRosterCsv],
      ] as const) {
        fc.assert(
          fc.property(anyText(header, validRow), (text) => {
            const checked = check(text);
            checkProblems(text, checked.problems, wordings);
            if (checked.problems.length > 0) rejected++;
            // Accepted, a marker may well be in a row: as a rotation's or group's name or an
            // email, all fields the file is asked for. Problems are where it must never be.
            else accepted++;
          }),
          { numRuns: RUNS_CHECK, seed: SEED },
        );
      }
      expect(rejected).toBeGreaterThan(RUNS_CHECK / 2);
      expect(accepted).toBeGreaterThan(RUNS_CHECK / 20);
      // Messages come from a short list of sentences (numbers aside): a quoted cell would make
      // the list grow with every random input.
      expect(wordings.size).toBeGreaterThan(10);
      expect(wordings.size).toBeLessThan(60);
    },
  );

  it(
    `import nothing from a rejected file, and never throw (${RUNS_IMPORT} cases each)`,
    { timeout: 120_000 },
    async () => {
      const fresh = async (): Promise<Harness> => {
        const h = createHarness(['console:coord']);
        await h.start();
        await h.run('coord', 'group create PA Cohort A program PA');
        await h.run('coord', 'group add PA Cohort A @ann @bo');
        return h;
      };
      let h = await fresh();
      let dirty = false;
      const outcomes = { accepted: 0, rejected: 0 };
      for (const [header, validRow, kind] of [
        [ROTATION_HEADER, validRotationRow, 'rotations'],
        [ROSTER_HEADER, validRosterRow, 'roster'],
      ] as const) {
        await fc.assert(
          fc.asyncProperty(anyText(header, validRow), async (text) => {
            if (dirty) {
              await h.crash();
              h = await fresh();
              dirty = false;
            }
            const before = await h.snapshot();
            const report =
              kind === 'rotations'
                ? await h.services.rotations.importRotations(text)
                : await h.services.rotations.importRoster(text);
            checkProblems(text, report.problems, new Set());
            if (report.accepted) {
              outcomes.accepted++;
              expect(report.problems).toEqual([]);
              dirty = true;
            } else {
              outcomes.rejected++;
              expect(report.problems.length).toBeGreaterThan(0);
              expect(await h.snapshot()).toBe(before);
            }
          }),
          { numRuns: RUNS_IMPORT, seed: SEED },
        );
      }
      await h.crash();
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.rejected).toBeGreaterThan(0);
      expect(h.logs.lines.join('\n')).not.toContain(MARKER);
    },
  );
});
