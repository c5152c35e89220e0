// One session's attendance: for each listed member, present or absent, who marked it and when.
// Nothing else is kept: no notes, no free text, no ratings, nothing about who presented.
import type { UserId } from '../plumbing/ids.js';
import type { MessageRef } from '../ports.js';

/** Attendance can be changed for this long after the sheet opens, then it is closed. */
export const ATTENDANCE_WINDOW_MS = 7 * 86_400_000;

export interface Mark {
  present: boolean;
  /** Who marked it and when. Absent: pre-set from the member's RSVP, not yet confirmed. */
  by?: UserId;
  at?: number;
}

export interface Sheet {
  /** The scheduled session's id (`ses_…`), or `day_<group>_<yyyymmdd>` for an unscheduled one. */
  id: string;
  groupId: string;
  /** When the session began (epoch ms) and the zone its date is read in. */
  start: number;
  zone: string;
  closesAt: number;
  marks: Record<UserId, Mark>;
  /** Set by the first submit; later changes within the window are saved as they are made. */
  submitted?: { by?: UserId; at: number };
  /** The card each facilitator was sent, updated in place when anyone changes a mark. */
  cards: Record<UserId, MessageRef>;
}

export const SHEET_ID = /^(ses_[0-9a-f]{12}|day_[0-9a-f]{16}_\d{8})$/;

export const isOpen = (sheet: Sheet, now: number): boolean => now < sheet.closesAt;

/** Counted sheets are submitted ones: a card nobody submitted says nothing about anyone. */
export const counts = (sheet: Sheet): boolean => sheet.submitted !== undefined;
