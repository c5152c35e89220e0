// The little the invite rule needs from scheduling, as a narrow interface: the next session of
// a group, whether a session is still on, the buttons to answer it, and a person's calendar
// link. schedule-sessions.ts implements it over the ScheduleService; tests may give their own.
import type { Button, Fact } from '../cards.js';
import type { UserId } from '../plumbing/ids.js';

export interface UpcomingSession {
  id: string;
  startsAt: number;
  /** What the invite shows about it (when, length, mode, where). */
  facts: Fact[];
}

export interface UpcomingSessions {
  /** The group's first scheduled session starting after `from` and no later than `until`. */
  nextSession(groupId: string, from: number, until: number): Promise<UpcomingSession | undefined>;
  /** The session while it is still scheduled and has not started; else undefined. */
  session(id: string, now: number): Promise<UpcomingSession | undefined>;
  /** Going / Can't make it, as the scheduling work's RSVP buttons. */
  rsvpButtons(sessionId: string): Button[];
  /** The person's private calendar feed URL, where feeds are configured. */
  calendarLink(user: UserId): Promise<string | undefined>;
}
