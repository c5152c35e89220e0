import { refused } from '../../core/plumbing/errors.js';
import { isFacilitatorOf, type Access } from '../../core/roster.js';

export const ONLY_FACILITATORS = 'Only the facilitators can steer the timer.';

/** A group's timer is started and steered by its leader and co-leader, and by coordinators. */
export function assertMaySteer(access: Access, groupId: string): void {
  if (!access.coordinator && !isFacilitatorOf(access, groupId)) throw refused(ONLY_FACILITATORS);
}
