// What `/balint rotations` shows: a student's own rotations with where their invite stands, a
// group's rotations by end date, and for coordinators the emails still awaiting a platform user.
import type { UserId } from '../plumbing/ids.js';
import type { Group } from '../model.js';
import type { People } from './people.js';
import type { InviteRecord, RotationRecords } from './records.js';
import { inviteKey, type Rotation } from './rotation.js';

export interface RotationView {
  rotation: Rotation;
  user: UserId | undefined;
  invite: InviteRecord | undefined;
  /** The student is in no group of the rotation's program: no invite is possible. */
  noGroup?: boolean;
  /** The student's group has no session after the rotation ends: the invite waits for one. */
  noSession?: boolean;
}

export async function viewsOf(
  records: RotationRecords,
  people: People,
  match: (r: Rotation, user: UserId | undefined) => boolean,
): Promise<RotationView[]> {
  const views: RotationView[] = [];
  for await (const rotation of records.all()) {
    const user = rotation.student ?? (rotation.person ? await people.userOf(rotation.person) : undefined);
    if (!match(rotation, user)) continue;
    views.push({ rotation, user, invite: user ? await records.invite(inviteKey(user, rotation)) : undefined });
  }
  return views.sort(
    (a, b) => a.rotation.end.localeCompare(b.rotation.end) || a.rotation.name.localeCompare(b.rotation.name),
  );
}

export const forStudent = (records: RotationRecords, people: People, user: UserId) =>
  viewsOf(records, people, (_r, u) => u === user);

export const forGroup = (records: RotationRecords, people: People, group: Group) =>
  viewsOf(
    records,
    people,
    (r, u) =>
      u !== undefined && r.program === group.program && group.members.some((m) => m.user === u && m.role === 'member'),
  );

/** Emails no platform user was found for yet (shown to coordinators only). */
export async function unresolvedEmails(people: People): Promise<string[]> {
  const emails: string[] = [];
  for await (const [, person] of people.unresolved()) if (person.email) emails.push(person.email);
  return emails.sort();
}

export function stateText(view: RotationView, today: string): string {
  const invite = view.invite;
  if (!view.user) return 'student not matched to a platform user yet';
  if (!invite && view.noGroup) return 'no group: no invite possible';
  if (!invite && view.noSession && view.rotation.end >= today)
    return 'no session scheduled yet: the invite waits; schedule one';
  if (!invite) return view.rotation.end >= today ? 'invite at the end' : 'no invite (ended before it was known)';
  switch (invite.state) {
    case 'queued':
      return 'invite being sent';
    case 'invited':
      return 'invited';
    case 'waiting':
      return 'waiting for a session to be scheduled';
    case 'expired':
      return 'no session was scheduled in time';
    case 'failed':
      return `invite not delivered (${invite.code ?? 'unknown'})`;
    case 'skipped':
      return 'invite dropped (session cancelled or row removed)';
  }
}

/**
 * A group's rotations as one table, student by rotation: rows grouped by student (in the order
 * the group lists its members), each student's rotations by end date, each row with its state.
 */
export function tableRows(
  views: readonly RotationView[],
  group: Group,
  today: string,
): Array<{ user: UserId; label: string; state: string }> {
  const order = new Map(group.members.map((m, i) => [m.user, i]));
  return views
    .filter((v): v is RotationView & { user: UserId } => v.user !== undefined)
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (order.get(a.v.user) ?? 0) - (order.get(b.v.user) ?? 0) || a.i - b.i)
    .map(({ v }) => ({
      user: v.user,
      label: `${v.rotation.name}, ${v.rotation.start} to ${v.rotation.end}`,
      state: stateText(v, today),
    }));
}
