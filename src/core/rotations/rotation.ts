// A clinical rotation as the bot keeps it: who, which program, the rotation's name (a field the
// coordinator's calendar asks for) and its dates. Deliberately nothing more: no site, no
// preceptor, no patient. Ids are derived from the row, so importing the same file twice finds
// the same rotations instead of making new ones.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { UserId } from '../plumbing/ids.js';
import type { Program } from '../model.js';

export interface Rotation {
  /** `rot_` + 16 hex digits of a hash of student, program, name (any case) and start. */
  id: string;
  /** The student's platform user id, when known. */
  student?: UserId;
  /** Else the key of the email awaiting resolution (see people.ts). */
  person?: string;
  program: Program;
  name: string;
  /** Local dates, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /**
   * When this end date was first stored (epoch ms). A rotation whose invite time had already
   * passed by then (a calendar imported late) is never invited: nobody wants an invite for a
   * rotation that ended weeks ago.
   */
  endSetAt: number;
  /** An import's scope covers only imported rotations; one added in chat stays until changed in chat. */
  source: 'import' | 'chat';
}

export const ROTATION_NAME_MAX = 60;
// Letters, digits, spaces and a little punctuation: no '@', '<', '>' or '#', so a name never
// becomes a mention or a link when a platform renders it.
const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .,'’&()/_+:-]*$/u;

export const normaliseName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/** The reason a rotation name is refused, or undefined when it is fine. */
export function rotationNameProblem(raw: string): string | undefined {
  const name = normaliseName(raw);
  if (name.length === 0) return 'is empty';
  if (name.length > ROTATION_NAME_MAX) return `is longer than ${ROTATION_NAME_MAX} characters`;
  if (!NAME_PATTERN.test(name))
    return "may use letters, digits, spaces and . , ' & ( ) / _ + : - only, starting with a letter or digit";
  return undefined;
}

/** A real calendar date written YYYY-MM-DD (2027-02-30 is not). Plain arithmetic: a file has thousands. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const EMAIL =
  /^[^\s@<>",;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const isEmail = (value: string): boolean => value.length <= 254 && EMAIL.test(value);

const hex = (text: string, length = 16): string => createHash('sha256').update(text).digest('hex').slice(0, length);

/** How a student cell is keyed: the user id as it is, an email in lower case. */
export const studentKey = (cell: string): string => (isEmail(cell) ? `email:${cell.toLowerCase()}` : cell);

export function rotationId(student: string, program: Program, name: string, start: string): string {
  return `rot_${hex(`${studentKey(student)}|${program}|${normaliseName(name).toLowerCase()}|${start}`)}`;
}

/**
 * The key of the one invite a (student, rotation) may ever get. Made from the resolved user,
 * not from how the file named them, so switching a row from an email to a user id (or back)
 * cannot earn a second invite.
 */
export function inviteKey(user: UserId, rotation: Pick<Rotation, 'program' | 'name' | 'start'>): string {
  return `inv_${hex(`${user}|${rotation.program}|${normaliseName(rotation.name).toLowerCase()}|${rotation.start}`, 24)}`;
}

/** How a date reads in a message: `12 March` (with the year when it is not `thisYear`). */
export function readableDate(date: string, thisYear?: number): string {
  const d = DateTime.fromFormat(date, 'yyyy-MM-dd', { zone: 'UTC' });
  return d.toFormat(thisYear !== undefined && d.year !== thisYear ? 'd LLLL yyyy' : 'd LLLL');
}
