// A scheduled Balint session and the series it may belong to. A session keeps the local date
// and time it was asked for plus the zone, so a move or a re-expansion reads the same wall-clock
// time; `start` is the instant that local time resolves to (see local-time.ts).
import { randomBytes } from 'node:crypto';
import type { UserId } from '../plumbing/ids.js';

export const SESSION_MODES = ['in-person', 'online', 'hybrid'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const RSVP_ANSWERS = ['yes', 'no'] as const;
export type Rsvp = (typeof RSVP_ANSWERS)[number];

export const FREQUENCIES = ['week', '2 weeks', 'month'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** A series ends on a date or after a number of sessions; never open-ended. */
export type RecurrenceRule = { every: Frequency } & ({ until: string } | { count: number });

export interface Session {
  /** `ses_` + 12 hex digits: short enough to type in `move` and `cancel`, and safe to log. */
  id: string;
  groupId: string;
  seriesId?: string;
  /** Local date `YYYY-MM-DD` and time `HH:MM` as asked for, in `zone`. */
  date: string;
  time: string;
  /** The group's IANA zone when the session was planned. */
  zone: string;
  /** Epoch ms: the local date and time resolved in `zone`. */
  start: number;
  minutes: number;
  mode: SessionMode;
  /** Asked-for fields, shown to the group and in the calendar feed. */
  place?: string;
  link?: string;
  /** iCalendar SEQUENCE: bumped on every change subscribers must see (move, cancel). */
  sequence: number;
  status: 'scheduled' | 'cancelled';
  rsvps: Record<UserId, Rsvp>;
  createdAt: number;
  updatedAt: number;
}

export interface Series {
  id: string;
  groupId: string;
  rule: RecurrenceRule;
  except?: string[];
  date: string;
  time: string;
  zone: string;
  sessionIds: string[];
}

/** What the person asked for, checked; the service expands and stores it. */
export interface SessionPlan {
  date: string;
  time: string;
  rule?: RecurrenceRule;
  /** Dates of the series left out (a spring break); each is one of the rule's dates. */
  except?: string[];
  minutes: number;
  mode: SessionMode;
  place?: string;
  link?: string;
}

export const SESSION_ID = /^ses_[0-9a-f]{12}$/;
export const newSessionId = (): string => `ses_${randomBytes(6).toString('hex')}`;
export const newSeriesId = (): string => `ser_${randomBytes(6).toString('hex')}`;

export const endOf = (session: Session): number => session.start + session.minutes * 60_000;
