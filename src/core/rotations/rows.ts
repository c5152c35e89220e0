// Checks the rows of a rotation calendar or a roster file, all of them, before anything is
// written. Every problem names its line, its column and what is wrong, never what the cell
// held: a cell can hold anything, including words about a patient.
import { isUserId } from '../plumbing/ids.js';
import { GROUP_ROLES, isOneOf, PROGRAMS, type GroupRole, type Program } from '../model.js';
import { normaliseGroupName, validateGroupName } from '../roster.js';
import { headerKey, looksLikeUtf16, parseCsv, type CsvRecord } from './csv.js';
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
  /** Header columns the import does not use, named once for the summary. */
  ignored: string[];
}

const STUDENT_PROBLEM = 'is neither a user id (slack:T…:U…, teams:<tenant>:<user>, console:name) nor an email address';

function readStudent(cell: string): string | undefined {
  if (isEmail(cell)) return cell.toLowerCase();
  return isUserId(cell) ? cell : undefined;
}

/** A bigger file is refused before it is read (the CLI checks the file's size first). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const UTF16 =
  'the file is not UTF-8 text (it looks like UTF-16, "Unicode text"); save it as CSV UTF-8 (Excel: File, Save As, CSV UTF-8)';

// An extra column is named by its position and spreadsheet letter, never by its header: a
// header cell is typed by a person like any other cell.
const letter = (index: number): string =>
  index < 26 ? String.fromCharCode(65 + index) : letter(Math.floor(index / 26) - 1) + letter(index % 26);
const columnName = (index: number): string => `column ${index + 1} (${letter(index)})`;

interface Table {
  records: CsvRecord[];
  problems: RowProblem[];
  /** Extra columns of the header, named once; their cells are never read. */
  ignored: string[];
}

/**
 * Parses the CSV, finds the expected columns in the header (in any order, any case, spaces
 * ignored) and returns each record's cells in the order of `header`.
 */
function readTable(text: string, header: readonly string[]): Table {
  const none = (problems: RowProblem[]): Table => ({ records: [], problems, ignored: [] });
  if (looksLikeUtf16(text)) return none([{ line: 1, message: UTF16 }]);
  if (text.length > MAX_FILE_BYTES)
    return none([{ line: 1, message: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it` }]);
  const parsed = parseCsv(text, { expected: header, maxRecords: MAX_ROWS + 1 });
  const [first, ...rest] = parsed.records;
  const nameOf = (column: number): string => {
    const key = headerKey(first?.cells[column - 1] ?? '');
    return header.includes(key) ? key : `${column}`;
  };
  const problems: RowProblem[] = parsed.problems.map((p) => ({
    line: p.line,
    ...(p.column !== undefined ? { column: nameOf(p.column) } : {}),
    message: p.message,
  }));
  if (!first) {
    if (problems.length === 0)
      problems.push({ line: 1, message: `the file is empty; the first line must be the header ${header.join(',')}` });
    return none(problems);
  }
  const keys = first.cells.map(headerKey);
  const at = header.map((name) => keys.indexOf(name));
  const missing = header.filter((_, i) => at[i] === -1);
  const extra = keys.map((k, i) => (header.includes(k) && keys.indexOf(k) === i ? -1 : i)).filter((i) => i >= 0);
  if (missing.length > 0) {
    const hint = ` (the header names ${header.join(', ')}, in any order; case and spaces do not matter)`;
    const headerProblems: RowProblem[] = [
      ...missing.map((name) => ({ line: first.line, message: `the header has no ${name} column${hint}` })),
      ...extra.map((i) => ({ line: first.line, column: `${i + 1}`, message: 'is not a column of this file' })),
    ];
    return none(sortProblems([...headerProblems, ...problems]));
  }
  if (parsed.truncated) {
    problems.push({ line: first.line, message: `a file may have at most ${MAX_ROWS} rows; split it` });
    return none(problems);
  }
  const width = first.cells.length;
  const good: CsvRecord[] = [];
  for (const record of rest) {
    if (record.cells.length !== width) {
      problems.push({
        line: record.line,
        message:
          width === header.length
            ? `has ${record.cells.length} cells; expected ${width} (${header.join(',')})`
            : `has ${record.cells.length} cells; expected ${width}, as many as the header`,
      });
    } else good.push({ line: record.line, cells: at.map((i) => record.cells[i] as string) });
  }
  return { records: good, problems, ignored: extra.map(columnName) };
}

export function checkRotationCsv(text: string): Checked<RotationRow> {
  const { records, problems, ignored } = readTable(text, ROTATION_HEADER);
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
    const startProblem = dateProblem(start);
    const endProblem = dateProblem(end);
    if (startProblem) bad('start', startProblem);
    if (endProblem) bad('end', endProblem);
    else if (!startProblem && end < start) bad('end', 'is before the start');
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
  return { rows, problems: sortProblems(problems), duplicates, ignored };
}

export function checkRosterCsv(text: string): Checked<RosterRow> {
  const { records, problems, ignored } = readTable(text, ROSTER_HEADER);
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
  return { rows, problems: sortProblems(problems), duplicates, ignored };
}

/** Why a cell is not a date, or undefined when it is one. The hint is fixed: no cell is quoted. */
export function dateProblem(cell: string): string | undefined {
  if (isIsoDate(cell)) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(cell)) return 'does not exist (check the month and the day)';
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(cell))
    return 'is written day and month in a local order; write YYYY-MM-DD (02/05/2027 in the US is 2027-02-05)';
  return 'is not a date written YYYY-MM-DD';
}

const sortProblems = (problems: RowProblem[]): RowProblem[] => [...problems].sort((a, b) => a.line - b.line);

/** One line per problem, for the CLI and chat: `line 7, column end: is before the start`. */
export const describeProblem = (p: RowProblem): string =>
  `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;

/**
 * The problems for a person to read: one line per kind of problem in one column, listing its
 * lines (a calendar written with US dates is one line per column, not one per cell).
 */
export function describeProblems(problems: readonly RowProblem[], maxLines = 20): string[] {
  const groups = new Map<string, { lines: number[]; problem: RowProblem }>();
  for (const p of problems) {
    const key = `${p.column ?? ''}\u0000${p.message}`;
    const group = groups.get(key) ?? { lines: [], problem: p };
    group.lines.push(p.line);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ lines, problem }) => {
    if (lines.length === 1) return describeProblem(problem);
    const shown = lines.slice(0, maxLines).join(', ');
    const more = lines.length > maxLines ? ` and ${lines.length - maxLines} more` : '';
    return `lines ${shown}${more}${problem.column ? `, column ${problem.column}` : ''}: ${problem.message}`;
  });
}
