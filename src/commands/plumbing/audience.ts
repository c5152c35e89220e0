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
    case 'coordinator':
      return access.coordinator;
  }
}

export const refusal: Record<Exclude<Audience, 'anyone'>, string> = {
  member: 'Only members of a Balint group can do that.',
  facilitator: "Only a group's facilitators (and coordinators) can do that.",
  coordinator: 'Only coordinators can do that.',
};
