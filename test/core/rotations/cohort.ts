// A PA cohort for the rotation tests: 40 students in one group, nine five-week rotation blocks
// over a year, every student on a different rotation in each block (as PA programs stagger them).
import { DateTime } from 'luxon';
import type { Harness } from '../../support/harness.js';

export const STUDENTS = Array.from({ length: 40 }, (_, i) => `console:s${String(i + 1).padStart(2, '0')}`);
export const ROTATIONS = [
  'Family Medicine',
  'Internal Medicine',
  'Emergency Medicine',
  'General Surgery',
  'Pediatrics',
  "Women's Health",
  'Behavioral Health',
  'Elective',
  'Orthopedics',
];
export const ZONE = 'America/New_York';

/** Block k: starts on a Monday, ends on the Friday of its fifth week. */
export function block(k: number): { start: string; end: string } {
  const start = DateTime.fromISO('2027-02-01', { zone: 'UTC' }).plus({ weeks: 5 * k });
  return { start: start.toISODate() as string, end: start.plus({ days: 32 }).toISODate() as string };
}

export const nameFor = (student: number, k: number): string => ROTATIONS[(student + k) % ROTATIONS.length] as string;

export function rotationCsv(rows = allRows()): string {
  return (
    ['student,program,rotation,start,end', ...rows.map((r) => `${r.student},PA,${r.name},${r.start},${r.end}`)].join(
      '\r\n',
    ) + '\r\n'
  );
}

export interface Row {
  student: string;
  name: string;
  start: string;
  end: string;
}

export function allRows(): Row[] {
  const rows: Row[] = [];
  for (let k = 0; k < 9; k++) {
    for (const [i, student] of STUDENTS.entries()) rows.push({ student, name: nameFor(i, k), ...block(k) });
  }
  return rows;
}

export const rosterCsv = (): string =>
  [
    'group,program,student,role',
    'PA Cohort A,PA,console:lee,leader',
    ...STUDENTS.map((s) => `PA Cohort A,PA,${s},member`),
  ].join('\n');

/** 17:00 in New York on `date`. */
export const fivePm = (date: string): number => DateTime.fromISO(`${date}T17:00`, { zone: ZONE }).toMillis();

export async function cohortGroup(h: Harness) {
  const report = await h.services.rotations.importRoster(rosterCsv());
  if (!report.accepted) throw new Error('roster rejected');
  await h.services.roster.configureGroup((await h.services.roster.findGroup('PA Cohort A'))!.id, { timeZone: ZONE });
  return (await h.services.roster.findGroup('PA Cohort A'))!;
}

/** One 60-minute session for the group at 16:00 local on `date`. */
export async function sessionOn(h: Harness, date: string) {
  const group = (await h.services.roster.findGroup('PA Cohort A'))!;
  const [session] = await h.services.schedule.schedule(group, { date, time: '16:00', minutes: 60, mode: 'in-person' });
  return session!;
}

export const invites = (h: Harness) =>
  h.chat.sent.filter((s) => s.kind === 'direct' && s.text.startsWith('Welcome back'));
export const digests = (h: Harness) =>
  h.chat.sent.filter((s) => s.kind === 'direct' && s.text.startsWith('Rotation ends'));
