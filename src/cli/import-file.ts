// `balint import rotations|roster <file.csv>`: reads the file, imports it into the store (all or
// nothing) and says what happened. Problems name a line and a column, never a cell's content.
// The running bot notices the import within a minute (its poll sees the store's import version
// move) and arms the invites; nothing here talks to a chat platform.
import { readFile, stat } from 'node:fs/promises';
import type { Clock, Store } from '../core/ports.js';
import { Roster } from '../core/roster.js';
import {
  applyRosterPlan,
  applyRotationPlan,
  planRoster,
  planRotations,
  rosterPlanRemoves,
  rotationPlanRemoves,
} from '../core/rotations/import.js';
import { rosterPlanText, rotationPlanText } from './import-plan-text.js';
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
  /** --tz: the zone of groups a roster import creates. */
  timeZone?: string;
  /** --yes: apply a plan that removes, moves or cancels without asking. */
  yes?: boolean;
  /** --dry-run: print the plan, change nothing. */
  dryRun?: boolean;
  /** At a terminal: asks the question, resolves true for yes. Absent when not interactive. */
  ask?: (question: string) => Promise<boolean>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Exit codes: 0 imported (or nothing to do, or a dry run), 1 the file was rejected (every problem
 * listed) or its plan needs --yes, 2 it could not be read.
 */
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
    const { report, plan } = await planRotations(deps, text);
    if (!plan) return rejected(report.problems, run);
    for (const line of rotationPlanText(report, plan)) run.out(line);
    const empty = plan.added.length + plan.changed.length + plan.removed.length === 0 && plan.emails.length === 0;
    const go = await decide(run, empty, rotationPlanRemoves(plan));
    if (go !== 'apply') return go === 'stop' ? 1 : 0;
    await applyRotationPlan(deps, plan);
    run.out('Applied. A running bot picks this up within a minute.');
  } else {
    const timeZone = run.timeZone ?? run.defaultTimeZone;
    const defaults = { timeZone, preset: '60' as const };
    const { report, plan } = await planRoster(deps, text, defaults);
    if (!plan) return rejected(report.problems, run);
    const zoneNote = run.timeZone
      ? `New groups are in the time zone ${timeZone} (--tz).`
      : `New groups are in the time zone ${timeZone}, the configured default (BALINT_DEFAULT_TIMEZONE); give --tz <zone> to choose another, or \`group set <name> tz <zone>\` later.`;
    for (const line of rosterPlanText(report, plan, zoneNote)) run.out(line);
    const empty =
      plan.groups.every((g) => g.id) &&
      plan.added.length + plan.roleChanged.length + plan.removed.length + plan.moved.length + plan.pending.length === 0;
    const go = await decide(run, empty, rosterPlanRemoves(plan));
    if (go !== 'apply') return go === 'stop' ? 1 : 0;
    await applyRosterPlan(deps, plan, defaults);
    run.out('Applied. A running bot picks this up within a minute.');
  }
  return 0;
}

/**
 * Whether to apply a plan: never on --dry-run; at once when it only adds or changes; when it
 * takes anything away, only with --yes or the coordinator's yes at the terminal.
 */
async function decide(run: ImportRun, empty: boolean, removes: boolean): Promise<'apply' | 'done' | 'stop'> {
  if (empty) {
    run.out('Nothing to change: the store already matches the file.');
    return 'done';
  }
  if (run.dryRun) {
    run.out('Dry run: nothing was changed.');
    return 'done';
  }
  if (!removes || run.yes) return 'apply';
  if (run.ask) {
    if (await run.ask('Apply this plan? It removes or moves something. [y/N] ')) return 'apply';
    run.out('Not applied: nothing was changed.');
    return 'done';
  }
  run.err('Not applied: this plan removes, moves or cancels something. Run again with --yes to apply it.');
  return 'stop';
}

function rejected(problems: readonly RowProblem[], run: ImportRun): 1 {
  run.err(
    `Rejected: nothing was imported. ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix:`,
  );
  for (const line of describeProblems(problems)) run.err(`  ${line}`);
  return 1;
}

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
