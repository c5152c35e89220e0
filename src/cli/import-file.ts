// `balint import rotations|roster <file.csv>`: reads the file, imports it into the store (all or
// nothing) and says what happened. Problems name a line and a column, never a cell's content.
// The running bot notices the import within a minute (its poll sees the store's import version
// move) and arms the invites; nothing here talks to a chat platform.
import { readFile, stat } from 'node:fs/promises';
import type { Clock, Store } from '../core/ports.js';
import { Roster } from '../core/roster.js';
import {
  importRoster,
  importRotations,
  type RosterImportReport,
  type RotationImportReport,
} from '../core/rotations/import.js';
import { People } from '../core/rotations/people.js';
import { RotationRecords } from '../core/rotations/records.js';
import { describeProblems, MAX_FILE_BYTES, MAX_ROWS, type RowProblem } from '../core/rotations/rows.js';
import type { UserId } from '../core/plumbing/ids.js';

export type ImportKind = 'rotations' | 'roster';

export interface ImportRun {
  store: Store;
  clock: Clock;
  coordinators: readonly UserId[];
  defaultTimeZone: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit codes: 0 imported, 1 the file was rejected (every problem listed), 2 it could not be read. */
export async function importFile(kind: ImportKind, path: string, run: ImportRun): Promise<0 | 1 | 2> {
  let text: string;
  try {
    // The size first: a file too big is refused before a byte of it is read.
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) {
      run.err(
        `Rejected: nothing was imported. The file is ${megabytes(size)} MB; an import may be at most ${megabytes(MAX_FILE_BYTES)} MB and ${MAX_ROWS.toLocaleString('en-US')} rows. Split it, by program or by term.`,
      );
      return 1;
    }
    const bytes = await readFile(path);
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      run.err(
        'Rejected: nothing was imported. The file is UTF-16 ("Unicode text"); save it as CSV UTF-8 and import that.',
      );
      return 1;
    }
    text = bytes.toString('utf8');
  } catch {
    run.err('Cannot read that file. Check the path and that you may read it.');
    return 2;
  }
  const deps = {
    records: new RotationRecords(run.store),
    people: new People(run.store),
    roster: new Roster(run.store, run.coordinators),
    clock: run.clock,
  };
  if (kind === 'rotations') {
    const report = await importRotations(deps, text);
    if (!report.accepted) return rejected(report.problems, run);
    printRotations(report, run.out);
  } else {
    const report = await importRoster(deps, text, { timeZone: run.defaultTimeZone, preset: '60' });
    if (!report.accepted) return rejected(report.problems, run);
    printRoster(report, run.out);
  }
  return 0;
}

function rejected(problems: readonly RowProblem[], run: ImportRun): 1 {
  run.err(
    `Rejected: nothing was imported. ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix:`,
  );
  for (const line of describeProblems(problems)) run.err(`  ${line}`);
  return 1;
}

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

const lines = (numbers: readonly number[]): string =>
  numbers.length > 20 ? `${numbers.slice(0, 20).join(', ')} and ${numbers.length - 20} more` : numbers.join(', ');

function unresolvedNote(numbers: readonly number[], out: (line: string) => void): void {
  if (numbers.length === 0) return;
  out(
    `${numbers.length} ${numbers.length === 1 ? 'row names' : 'rows name'} a student by an email no platform user is known for yet (${numbers.length === 1 ? 'line' : 'lines'} ${lines(numbers)}).`,
  );
  out(
    '  The running bot asks Slack or Teams about them each hour; `/balint rotations` lists the ones still unmatched.',
  );
}

function printRotations(r: RotationImportReport, out: (line: string) => void): void {
  out(
    `Imported the rotation calendar for ${r.programs.join(', ') || 'no program'}: ${r.added} added, ${r.changed} changed, ${r.removed} removed, ${r.unchanged} unchanged${r.duplicates ? `, ${r.duplicates} repeated rows ignored` : ''}.`,
  );
  unresolvedNote(r.unresolved, out);
  out('A running bot picks this up within a minute.');
}

function printRoster(r: RosterImportReport, out: (line: string) => void): void {
  out(
    `Imported the roster: ${r.groupsCreated} groups created, ${r.added} people added, ${r.roleChanged} roles changed, ${r.unchanged} unchanged${r.duplicates ? `, ${r.duplicates} repeated rows ignored` : ''}.`,
  );
  unresolvedNote(r.unresolved, out);
}
