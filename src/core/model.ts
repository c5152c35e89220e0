// The people and groups the bot knows. Deliberately small: there is no field for who
// presented a case, and nothing about a case at all.
import type { UserId } from './plumbing/ids.js';

export const PROGRAMS = ['PA', 'PT', 'OT', 'GC', 'CSD'] as const;
export type Program = (typeof PROGRAMS)[number];

export const PROGRAM_NAMES: Record<Program, string> = {
  PA: 'Physician Assistant Studies',
  PT: 'Physical Therapy',
  OT: 'Occupational Therapy',
  GC: 'Genetic Counseling',
  CSD: 'Communication Sciences and Disorders',
};

/** Roles inside one group. Coordinators are program staff, outside any one group. */
export const GROUP_ROLES = ['leader', 'co-leader', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const SESSION_PRESETS = ['45', '60', '75', '90', '90x2'] as const;
export type SessionPreset = (typeof SESSION_PRESETS)[number];

/** How the presenter steps back online during the push back; each group chooses. */
export const PUSH_BACK_MODES = ['camera-off', 'look-away', 'stay-muted'] as const;
export type PushBackMode = (typeof PUSH_BACK_MODES)[number];

export interface Member {
  user: UserId;
  role: GroupRole;
}

export interface Group {
  /** Opaque (`grp_…`), never derived from the name: ids go into logs, names never do. */
  id: string;
  name: string;
  program?: Program;
  timeZone: string;
  preset: SessionPreset;
  pushBackMode: PushBackMode;
  members: Member[];
  createdAt: number;
  /** The group's own words for the confidentiality opening and the closing reminder. */
  openingText?: string;
  closingText?: string;
  /** 'led' (absent): the facilitators move the phases on; 'strict': phases end at their targets. */
  pacing?: 'led' | 'strict';
  /** Minutes before a session that members are reminded; absent: 24 h and 1 h. */
  reminderMinutes?: number[];
  /** Attendance asked of members, e.g. 6 of 8 sessions; absent: none. */
  attendance?: { attended: number; of: number };
}

export const isFacilitatorRole = (role: GroupRole): boolean => role === 'leader' || role === 'co-leader';

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
