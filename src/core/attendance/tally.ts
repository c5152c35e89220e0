// The figures a coordinator, a facilitator, a member and the export all read: per member, the
// submitted sessions they were listed on and how many of those they attended. One function for
// the chat and the CSV, so the two can never disagree.
import { DateTime } from 'luxon';
import type { UserId } from '../plumbing/ids.js';
import type { Group } from '../model.js';
import type { Requirement } from './requirement.js';
import { counts, type Sheet } from './sheet.js';

export interface SessionMark {
  sheet: string;
  /** The session's local date `YYYY-MM-DD`, in the zone it was held in. */
  date: string;
  present: boolean;
  by?: UserId;
  at?: number;
}

export interface MemberTally {
  user: UserId;
  sessions: SessionMark[];
  attended: number;
  expected: number;
  /** Only with a requirement: attended a smaller share of sessions than it asks. */
  belowPace?: boolean;
}

export const localDate = (sheet: Pick<Sheet, 'start' | 'zone'>): string =>
  DateTime.fromMillis(sheet.start, { zone: sheet.zone }).toISODate() ?? '';

/**
 * Below pace: the share attended so far is under the share required (5 of 6 against 6 of 8 is
 * on pace; 4 of 6 is not). It says nothing about anyone else and ranks nobody.
 */
export const belowPace = (attended: number, expected: number, req: Requirement): boolean =>
  expected > 0 && attended * req.of < req.attended * expected;

export interface TallyFilter {
  from?: string;
  to?: string;
}

/**
 * Every current member (role `member`) of the group with their submitted sessions, measured
 * against `requirement` (the one that applies to the group: see requirement.ts).
 */
export function tallyGroup(
  group: Group,
  sheets: readonly Sheet[],
  requirement: Requirement | undefined,
  filter: TallyFilter = {},
): MemberTally[] {
  const shown = sheets
    .filter(counts)
    .filter((s) => (!filter.from || localDate(s) >= filter.from) && (!filter.to || localDate(s) <= filter.to))
    .sort((a, b) => a.start - b.start);
  const students = group.members.filter((m) => m.role === 'member').map((m) => m.user);
  return students.map((user) => {
    const sessions: SessionMark[] = [];
    for (const sheet of shown) {
      const mark = sheet.marks[user];
      if (!mark) continue;
      sessions.push({
        sheet: sheet.id,
        date: localDate(sheet),
        present: mark.present,
        ...(mark.by ? { by: mark.by } : {}),
        ...(mark.at !== undefined ? { at: mark.at } : {}),
      });
    }
    const attended = sessions.filter((s) => s.present).length;
    const tally: MemberTally = { user, sessions, attended, expected: sessions.length };
    if (requirement) tally.belowPace = belowPace(attended, sessions.length, requirement);
    return tally;
  });
}
