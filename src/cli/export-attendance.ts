// `balint export attendance [--program PA] [--group <name>] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`:
// writes the attendance CSV (core/attendance/export.ts) to standard output, so an administrator
// can redirect it to a file. Nothing here talks to a chat platform.
import { exportAttendance, type ExportFilter } from '../core/attendance/export.js';
import { isOneOf, PROGRAMS } from '../core/model.js';
import type { UserId } from '../core/plumbing/ids.js';
import type { Store } from '../core/ports.js';
import { Roster } from '../core/roster.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const EXPORT_USAGE =
  'npm run balint -- export attendance [--program PA] [--group "<name>"] [--from YYYY-MM-DD] [--to YYYY-MM-DD]';

/** The filter the flags ask for, or a sentence saying what is wrong (never echoing a value). */
export function readExportFlags(args: readonly string[]): ExportFilter | string {
  const filter: ExportFilter = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) return `${flag ?? 'a flag'} needs a value.`;
    switch (flag) {
      case '--program': {
        const program = value.toUpperCase();
        if (!isOneOf(PROGRAMS, program)) return `--program is one of ${PROGRAMS.join(', ')}.`;
        filter.program = program;
        break;
      }
      case '--group':
        filter.group = value;
        break;
      case '--from':
      case '--to':
        if (!DATE.test(value) || Number.isNaN(Date.parse(value))) return `${flag} takes a date as YYYY-MM-DD.`;
        filter[flag === '--from' ? 'from' : 'to'] = value;
        break;
      default:
        return 'Unknown flag.';
    }
  }
  if (filter.from && filter.to && filter.from > filter.to) return '--from must not be after --to.';
  return filter;
}

export interface ExportRun {
  store: Store;
  coordinators: readonly UserId[];
  write: (text: string) => void;
  err: (line: string) => void;
}

/** Exit codes: 0 written, 2 usage. */
export async function exportAttendanceCommand(args: readonly string[], run: ExportRun): Promise<0 | 2> {
  const filter = readExportFlags(args);
  if (typeof filter === 'string') {
    run.err(filter);
    run.err(`usage: ${EXPORT_USAGE}`);
    return 2;
  }
  const { csv, groups, rows } = await exportAttendance(
    { store: run.store, roster: new Roster(run.store, run.coordinators) },
    filter,
  );
  run.write(csv);
  run.err(`${rows} rows from ${groups} ${groups === 1 ? 'group' : 'groups'}.`);
  return 0;
}
