// Who may plan a group's sessions: coordinators, and the group's leader for that group.
import { refused } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import type { Access, Roster } from '../../core/roster.js';

export const ONLY_PLANNERS = "Only coordinators and the group's leader can plan its sessions.";

export const mayPlan = (access: Access, groupId: string): boolean =>
  access.coordinator || access.roles.get(groupId) === 'leader';

export function assertMayPlan(access: Access, groupId: string): void {
  if (!mayPlan(access, groupId)) throw refused(ONLY_PLANNERS);
}

/** The groups a person may plan for, by name. */
export async function plannableGroups(roster: Roster, access: Access): Promise<Group[]> {
  return (await roster.groups()).filter((g) => mayPlan(access, g.id));
}

/** A group's usual session length in minutes, from its preset (`90x2` is 90). */
export const defaultMinutes = (group: Group): number => Number.parseInt(group.preset, 10) || 60;
