import type { Access } from '../../core/roster.js';
import { isFacilitatorAnywhere } from '../../core/roster.js';
import type { Audience } from './spec.js';

export function mayRun(audience: Audience, access: Access): boolean {
  switch (audience) {
    case 'anyone':
      return true;
    case 'member':
      return access.coordinator || access.roles.size > 0;
    case 'facilitator':
      return access.coordinator || isFacilitatorAnywhere(access);
    // Scheduling is the leader's (co-leaders run the session, they do not plan the calendar).
    case 'leader':
      return access.coordinator || [...access.roles.values()].includes('leader');
    case 'coordinator':
      return access.coordinator;
  }
}

export const refusal: Record<Exclude<Audience, 'anyone'>, string> = {
  member: 'Only members of a Balint group can do that.',
  facilitator: "Only a group's facilitators (and coordinators) can do that.",
  leader: "Only coordinators and the group's leader can plan its sessions.",
  coordinator: 'Only coordinators can do that.',
};
