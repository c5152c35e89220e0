// The attendance export: CSV for a program's records, the same figures the chat shows (both
// come from tallyGroup). One file, two kinds of row, told apart by the first column:
//   session  one per member and session: the session's date and id, present or absent,
//            who marked it and when (UTC, ISO 8601)
//   summary  one per member: sessions attended of sessions expected, the requirement (the group's
//            own or its program's, and whose), below pace
// Every cell is written formula-safe: a spreadsheet must never run a cell as a formula.
import type { Program } from '../model.js';
import type { Roster } from '../roster.js';
import { AttendanceRecords } from './records.js';
import { applyRequirement, describeRequirement, ProgramRequirements } from './requirement.js';
import { tallyGroup, type TallyFilter } from './tally.js';

export const EXPORT_COLUMNS = [
  'row',
  'program',
  'group',
  'member',
  'session',
  'date',
  'status',
  'marked_by',
  'marked_at',
  'attended',
  'expected',
  'requirement',
  'below_pace',
  'requirement_from',
] as const;

export interface ExportFilter extends TallyFilter {
  program?: Program;
  /** A group's name, as `attendance <group>` takes it. */
  group?: string;
}

/**
 * A cell a spreadsheet reads as text: one starting with = + - @, a tab or a carriage return
 * gets a leading apostrophe (OWASP's advice against CSV injection); then RFC 4180 quoting.
 */
export function csvCell(value: string | number): string {
  let cell = String(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const line = (cells: ReadonlyArray<string | number>): string => cells.map(csvCell).join(',');

export async function exportAttendance(
  deps: { store: ConstructorParameters<typeof AttendanceRecords>[0]; roster: Roster },
  filter: ExportFilter = {},
): Promise<{ csv: string; groups: number; rows: number }> {
  const records = new AttendanceRecords(deps.store);
  const wanted = filter.group?.trim().toLowerCase();
  const groups = (await deps.roster.groups()).filter(
    (g) => (!filter.program || g.program === filter.program) && (!wanted || g.name.toLowerCase() === wanted),
  );
  const programs = await new ProgramRequirements(deps.store).all();
  const lines = [line(EXPORT_COLUMNS)];
  for (const group of groups) {
    const requirement = applyRequirement(group, programs);
    const tallies = tallyGroup(group, await records.forGroup(group.id), requirement, filter);
    const program = group.program ?? '';
    for (const t of tallies) {
      for (const s of t.sessions)
        lines.push(
          line([
            'session',
            program,
            group.name,
            t.user,
            s.sheet,
            s.date,
            s.present ? 'present' : 'absent',
            s.by ?? '',
            s.at !== undefined ? new Date(s.at).toISOString() : '',
            '',
            '',
            '',
            '',
            '',
          ]),
        );
      lines.push(
        line([
          'summary',
          program,
          group.name,
          t.user,
          '',
          '',
          '',
          '',
          '',
          t.attended,
          t.expected,
          // The figures alone; whose requirement it is has its own column.
          requirement ? describeRequirement({ attended: requirement.attended, of: requirement.of }) : 'none',
          t.belowPace === undefined ? '' : t.belowPace ? 'yes' : 'no',
          requirement?.from ?? '',
        ]),
      );
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, groups: groups.length, rows: lines.length - 1 };
}
