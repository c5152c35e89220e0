// Checks the rows of a rotation calendar or a roster file, all of them, before anything is
// written. Every problem names its line, its column and what is wrong, never what the cell
// held: a cell can hold anything, including words about a patient.
import { isUserId } from '../plumbing/ids.js';
import { GROUP_ROLES, isOneOf, PROGRAMS, type GroupRole, type Program } from '../model.js';
import { normaliseGroupName, validateGroupName } from '../roster.js';
import { parseCsv, type CsvRecord } from './csv.js';
import { isEmail, isIsoDate, normaliseName, rotationId, rotationNameProblem } from './rotation.js';

export interface RowProblem {
  line: number;
  /** The header name of the column, when the problem is in one cell. */
  column?: string;
  message: string;
}

export interface RotationRow {
  line: number;
  id: string;
  /** A user id, or an email in lower case. */
  student: string;
  program: Program;
  name: string;
  start: string;
  end: string;
}

export interface RosterRow {
  line: number;
  group: string;
  program: Program;
  student: string;
  role: GroupRole;
}

export const ROTATION_HEADER = ['student', 'program', 'rotation', 'start', 'end'] as const;
export const ROSTER_HEADER = ['group', 'program', 'student', 'role'] as const;
/** Far more than a program's year (5,000 rows is the benchmark); a bigger file is a mistake. */
export const MAX_ROWS = 50_000;

export interface Checked<Row> {
  rows: Row[];
  problems: RowProblem[];
  /** Rows that repeat an earlier row exactly: harmless, counted, not stored twice. */
  duplicates: number;
}

const STUDENT_PROBLEM = 'is neither a user id (slack:T…:U…, teams:<tenant>:<user>, console:name) nor an email address';

function readStudent(cell: string): string | undefined {
  if (isEmail(cell)) return cell.toLowerCase();
  return isUserId(cell) ? cell : undefined;
}

/** Parses the CSV and checks the header and the cell count of each record. */
function readTable(text: string, header: readonly string[]): { records: CsvRecord[]; problems: RowProblem[] } {
  const { records, problems: csvProblems } = parseCsv(text);
  const problems: RowProblem[] = csvProblems.map((p) => ({
    line: p.line,
    ...(p.column !== undefined ? { column: header[p.column - 1] ?? `column ${p.column}` } : {}),
    message: p.message,
  }));
  const [first, ...rest] = records;
  if (!first) {
    if (problems.length === 0)
      problems.push({ line: 1, message: `the file is empty; the first line must be the header ${header.join(',')}` });
    return { records: [], problems };
  }
  const got = first.cells.map((c) => c.trim().toLowerCase());
  if (got.length !== header.length || got.some((c, i) => c !== header[i])) {
    problems.unshift({ line: first.line, message: `the header must be exactly ${header.join(',')}` });
    return { records: [], problems };
  }
  if (rest.length > MAX_ROWS) {
    problems.push({ line: first.line, message: `a file may have at most ${MAX_ROWS} rows` });
    return { records: [], problems };
  }
  const good: CsvRecord[] = [];
  for (const record of rest) {
    if (record.cells.length !== header.length) {
      problems.push({
        line: record.line,
        message: `has ${record.cells.length} cells; expected ${header.length} (${header.join(',')})`,
      });
    } else good.push({ line: record.line, cells: record.cells.map((c) => c.trim()) });
  }
  return { records: good, problems };
}

export function checkRotationCsv(text: string): Checked<RotationRow> {
  const { records, problems } = readTable(text, ROTATION_HEADER);
  const rows: RotationRow[] = [];
  const seen = new Map<string, RotationRow>();
  let duplicates = 0;
  for (const { line, cells } of records) {
    const [studentCell, programCell, nameCell, start, end] = cells as [string, string, string, string, string];
    const before = problems.length;
    const bad = (column: string, message: string) => problems.push({ line, column, message });
    const student = readStudent(studentCell);
    if (!student) bad('student', STUDENT_PROBLEM);
    const program = programCell.toUpperCase();
    if (!isOneOf(PROGRAMS, program)) bad('program', `is not a program; use one of ${PROGRAMS.join(', ')}`);
    const nameProblem = rotationNameProblem(nameCell);
    if (nameProblem) bad('rotation', nameProblem);
    if (!isIsoDate(start)) bad('start', 'is not a date written YYYY-MM-DD');
    if (!isIsoDate(end)) bad('end', 'is not a date written YYYY-MM-DD');
    else if (isIsoDate(start) && end < start) bad('end', 'is before the start');
    if (problems.length > before || !student || !isOneOf(PROGRAMS, program)) continue;
    const name = normaliseName(nameCell);
    const row: RotationRow = {
      line,
      id: rotationId(student, program, name, start),
      student,
      program,
      name,
      start,
      end,
    };
    const earlier = seen.get(row.id);
    if (earlier) {
      if (earlier.end === row.end) duplicates++;
      else bad('end', `repeats the student, program, rotation and start of line ${earlier.line} with another end date`);
      continue;
    }
    seen.set(row.id, row);
    rows.push(row);
  }
  return { rows, problems: sortProblems(problems), duplicates };
}

export function checkRosterCsv(text: string): Checked<RosterRow> {
  const { records, problems } = readTable(text, ROSTER_HEADER);
  const rows: RosterRow[] = [];
  const programOf = new Map<string, { program: Program; line: number }>();
  const roleOf = new Map<string, { role: GroupRole; line: number }>();
  let duplicates = 0;
  for (const { line, cells } of records) {
    const [groupCell, programCell, studentCell, roleCell] = cells as [string, string, string, string];
    const before = problems.length;
    const bad = (column: string, message: string) => problems.push({ line, column, message });
    let group: string | undefined;
    try {
      group = validateGroupName(groupCell);
    } catch {
      bad('group', "is not a group name (letters, digits, spaces and . , ' & ( ) / _ + -, at most 60 characters)");
    }
    const program = programCell.toUpperCase();
    if (!isOneOf(PROGRAMS, program)) bad('program', `is not a program; use one of ${PROGRAMS.join(', ')}`);
    const student = readStudent(studentCell);
    if (!student) bad('student', STUDENT_PROBLEM);
    const role = roleCell.toLowerCase();
    if (!isOneOf(GROUP_ROLES, role)) bad('role', `is not a role; use one of ${GROUP_ROLES.join(', ')}`);
    if (problems.length > before || !group || !student || !isOneOf(PROGRAMS, program) || !isOneOf(GROUP_ROLES, role))
      continue;
    const groupKey = normaliseGroupName(group).toLowerCase();
    const known = programOf.get(groupKey);
    if (known && known.program !== program) {
      bad('program', `differs from the program given for this group on line ${known.line}`);
      continue;
    }
    programOf.set(groupKey, { program, line });
    const memberKey = `${groupKey}\u0000${student}`;
    const earlier = roleOf.get(memberKey);
    if (earlier) {
      if (earlier.role === role) duplicates++;
      else bad('role', `differs from the role given for this person in this group on line ${earlier.line}`);
      continue;
    }
    roleOf.set(memberKey, { role, line });
    rows.push({ line, group, program, student, role });
  }
  return { rows, problems: sortProblems(problems), duplicates };
}

const sortProblems = (problems: RowProblem[]): RowProblem[] => [...problems].sort((a, b) => a.line - b.line);

/** One line per problem, for the CLI and chat: `line 7, column end: is before the start`. */
export const describeProblem = (p: RowProblem): string =>
  `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;
