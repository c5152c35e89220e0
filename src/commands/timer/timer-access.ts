import { refused } from '../../core/plumbing/errors.js';
import { isFacilitatorOf, type Access } from '../../core/roster.js';
import type { Timer } from '../../core/timer/service.js';

export const ONLY_FACILITATORS = 'Only the facilitators can steer the timer.';

/**
 * A group's timer is started and steered by its leader and co-leader, and by coordinators.
 * Nobody is locked out of their own room: the facilitators of any group that meets in the
 * timer's channel (has run a session there) may also end it, or take it over by starting
 * their own (`mayEnd`).
 */
export function assertMaySteer(access: Access, groupId: string): void {
  if (!access.coordinator && !isFacilitatorOf(access, groupId)) throw refused(ONLY_FACILITATORS);
}

/** Whether `access` may end (or take over) `timer`, given the groups that meet in its channel. */
export function mayEnd(access: Access, timer: Timer, meetingHere: readonly string[]): boolean {
  if (access.coordinator || isFacilitatorOf(access, timer.groupId)) return true;
  return meetingHere.some((groupId) => isFacilitatorOf(access, groupId));
}

export function assertMayEnd(access: Access, timer: Timer, meetingHere: readonly string[]): void {
  if (!mayEnd(access, timer, meetingHere)) throw refused(ONLY_FACILITATORS);
}
