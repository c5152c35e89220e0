// When the post-rotation invite goes out and how far ahead it looks. Programs differ (an evening
// cohort, a fortnightly group), so every figure can be set; the defaults follow the issue.
import { localDate, resolveLocal } from '../schedule/local-time.js';

export interface RotationSettings {
  /** Local time on the end date, in the group's zone, `HH:MM`. */
  inviteTime: string;
  /** A session counts as "next" when it starts within this many days of the invite time. */
  windowDays: number;
  /** Students with no session in the window wait this many days for one to be scheduled. */
  waitDays: number;
  /**
   * The coordinators' digest follows the invites by this much, so that it can report the
   * deliveries that failed (the invite retries settle within a few minutes).
   */
  digestDelayMinutes: number;
}

export const DEFAULT_ROTATION_SETTINGS: RotationSettings = {
  inviteTime: '17:00',
  windowDays: 14,
  waitDays: 28,
  digestDelayMinutes: 15,
};

export const DAY_MS = 86_400_000;

/**
 * The instant of `time` on `date` in `zone`, by the scheduling work's one policy for clock
 * changes (a skipped time moves forward, a repeated one is the first): schedule/local-time.ts.
 */
export const inviteInstant = (date: string, zone: string, time: string): number => resolveLocal(date, time, zone);

export { localDate };
