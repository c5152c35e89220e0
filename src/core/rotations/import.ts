// Imports a rotation calendar or a roster, all or nothing: every row is checked first and a
// single bad one rejects the file with nothing written. A calendar's scope is the programs it
// names: an imported rotation of such a program that the file no longer lists is removed
// (which cancels its invite if none went out yet). Rotations added in chat are left alone.
// Re-importing the same file finds every rotation unchanged and writes nothing.
import { UserError } from '../plumbing/errors.js';
import { isUserId, type UserId } from '../plumbing/ids.js';
import type { GroupRole, Program, SessionPreset } from '../model.js';
import type { Clock } from '../ports.js';
import type { Roster } from '../roster.js';
import { personKey, type People } from './people.js';
import { endKey, type InviteRecord, type InviteState, type RotationRecords } from './records.js';
import { rotationId, type Rotation } from './rotation.js';
import { DEFAULT_ROTATION_SETTINGS } from './settings.js';
import { checkRosterCsv, checkRotationCsv, type RosterRow, type RowProblem } from './rows.js';

export interface ImportDeps {
  records: RotationRecords;
  people: People;
  roster: Roster;
  clock: Clock;
}

export interface RotationImportReport {
  accepted: boolean;
  problems: RowProblem[];
  programs: Program[];
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  duplicates: number;
  /** Lines whose student is an email no platform user is known for yet. */
  unresolved: number[];
  /** Header columns the import did not use. */
  ignored: string[];
}

export interface RosterImportReport {
  accepted: boolean;
  problems: RowProblem[];
  groupsCreated: number;
  added: number;
  roleChanged: number;
  unchanged: number;
  duplicates: number;
  unresolved: number[];
  ignored: string[];
}

const rejected = <T extends object>(
  problems: RowProblem[],
  empty: T,
): T & { accepted: false; problems: RowProblem[] } => ({ ...empty, accepted: false, problems });

/** What a rotation import would do, computed from the store without writing anything. */
export interface RotationPlan {
  programs: Program[];
  added: Rotation[];
  changed: Array<{ before: Rotation; next: Rotation }>;
  removed: Rotation[];
  unchanged: number;
  /** Invites not yet sent that the removals would cancel. */
  invitesCancelled: number;
  /** Lines whose student is in no group of the program: no invite can ever go out. */
  noGroup: number[];
  /** Emails no user is known for yet, noted when the plan is applied. */
  emails: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PENDING: ReadonlySet<InviteState> = new Set(['queued', 'waiting']);

/** Checks the file and works out the plan; nothing is written. */
export async function planRotations(
  deps: ImportDeps,
  text: string,
): Promise<{ report: RotationImportReport; plan?: RotationPlan }> {
  const checked = checkRotationCsv(text);
  const report: RotationImportReport = {
    accepted: true,
    problems: [],
    programs: [],
    added: 0,
    changed: 0,
    removed: 0,
    unchanged: 0,
    duplicates: checked.duplicates,
    unresolved: [],
    ignored: checked.ignored,
  };
  if (checked.problems.length > 0) return { report: rejected(checked.problems, report) };
  const now = deps.clock.now();
  const scope = new Set(checked.rows.map((r) => r.program));
  report.programs = [...scope].sort();
  const plan: RotationPlan = {
    programs: report.programs,
    added: [],
    changed: [],
    removed: [],
    unchanged: 0,
    invitesCancelled: 0,
    noGroup: [],
    emails: [],
  };

  const existing = new Map<string, Rotation>();
  // A rotation stored under an email now matched to a user is found under that user too.
  const alias = new Map<string, string>();
  for await (const rotation of deps.records.all()) {
    if (!scope.has(rotation.program)) continue;
    existing.set(rotation.id, rotation);
    const user = rotation.person ? await deps.people.userOf(rotation.person) : undefined;
    if (user) alias.set(rotationId(user, rotation.program, rotation.name, rotation.start), rotation.id);
  }
  const students = new Map<Program, Set<UserId>>();
  for (const group of await deps.roster.groups()) {
    if (!group.program) continue;
    const set = students.get(group.program) ?? new Set<UserId>();
    for (const m of group.members) if (m.role === 'member') set.add(m.user);
    students.set(group.program, set);
  }

  for (const row of checked.rows) {
    // A student named by an email already matched to a user is that user: the same calendar
    // written with emails or with user ids is the same calendar.
    let user: UserId | undefined;
    if (isUserId(row.student)) user = row.student;
    else {
      const key = personKey(row.student);
      user = await deps.people.userOf(key);
      if (!user) {
        report.unresolved.push(row.line);
        // Noted once: an email already waiting for its user is no change.
        if (!(await deps.people.get(key))) plan.emails.push(row.student);
      }
    }
    const who: Pick<Rotation, 'student' | 'person'> = user ? { student: user } : { person: personKey(row.student) };
    if (user && !students.get(row.program)?.has(user)) plan.noGroup.push(row.line);
    const id = user ? rotationId(user, row.program, row.name, row.start) : row.id;
    const before = existing.get(id) ?? existing.get(row.id) ?? existing.get(alias.get(id) ?? '');
    if (before) existing.delete(before.id);
    const next: Rotation = {
      id: before?.id ?? id,
      ...who,
      program: row.program,
      name: row.name,
      start: row.start,
      end: row.end,
      endSetAt: before && before.end === row.end ? before.endSetAt : now,
      source: 'import',
    };
    if (before && JSON.stringify(before) === JSON.stringify(next)) plan.unchanged++;
    else if (before) plan.changed.push({ before, next });
    else plan.added.push(next);
  }
  plan.removed = [...existing.values()].filter((r) => r.source === 'import');
  if (plan.removed.length > 0) {
    const gone = new Set(plan.removed.map((r) => r.id));
    for await (const [, invite] of deps.records.invites())
      if (gone.has(invite.rotation) && PENDING.has(invite.state)) plan.invitesCancelled++;
  }
  report.added = plan.added.length;
  report.changed = plan.changed.length;
  report.removed = plan.removed.length;
  report.unchanged = plan.unchanged;
  return { report, plan };
}

/** True when the plan takes anything away: it then needs the coordinator's yes. */
export const rotationPlanRemoves = (plan: RotationPlan): boolean =>
  plan.removed.length > 0 || plan.invitesCancelled > 0;

export async function applyRotationPlan(deps: ImportDeps, plan: RotationPlan): Promise<void> {
  const writes = [...plan.added, ...plan.changed.map((c) => c.next)];
  const indexAdd = new Map<string, string[]>();
  const indexRemove = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, id: string) => map.set(key, [...(map.get(key) ?? []), id]);
  for (const next of writes) push(indexAdd, endKey(next.program, next.end), next.id);
  for (const { before, next } of plan.changed)
    if (before.end !== next.end) push(indexRemove, endKey(before.program, before.end), before.id);
  for (const gone of plan.removed) push(indexRemove, endKey(gone.program, gone.end), gone.id);
  // Emails not matched yet are noted, so the bot asks the platform about them.
  for (const email of plan.emails) await deps.people.note(email);
  // Documents before the index entries that point at them; readers check a rotation's end
  // against the index, so an entry left behind by a crash is ignored, never acted on.
  for (const rotation of writes) await deps.records.put(rotation);
  for (const key of new Set([...indexAdd.keys(), ...indexRemove.keys()])) {
    await deps.records.index(key, indexAdd.get(key) ?? [], indexRemove.get(key) ?? []);
  }
  for (const gone of plan.removed) await deps.records.remove(gone.id);
  if (writes.length > 0 || plan.removed.length > 0)
    await deps.records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
}

export async function importRotations(deps: ImportDeps, text: string): Promise<RotationImportReport> {
  const { report, plan } = await planRotations(deps, text);
  if (plan) await applyRotationPlan(deps, plan);
  return report;
}

export interface RosterDefaults {
  timeZone: string;
  preset: SessionPreset;
}

export interface RosterPlanGroup {
  name: string;
  program: Program;
  /** Undefined for a group the import creates. */
  id?: string;
  /** Filled with the new group's id when the plan is applied. */
}

export interface Membership {
  group: string;
  user: UserId;
  role: GroupRole;
}

/** What a roster import would do. The file is the truth for the groups it names. */
export interface RosterPlan {
  groups: RosterPlanGroup[];
  timeZone: string;
  added: Membership[];
  roleChanged: Membership[];
  removed: Membership[];
  moved: Array<{ user: UserId; from: string; to: string; role: GroupRole }>;
  unchanged: number;
  /** Emails not matched to a user yet, with the membership waiting for them. */
  pending: Array<{ email: string; group: string; role: GroupRole }>;
  /** Invites not yet sent of people removed: they are dropped. */
  invitesCancelled: number;
  /** Invites not yet sent of people moved: they follow to the new group. */
  invitesMoved: number;
}

export const rosterPlanRemoves = (plan: RosterPlan): boolean =>
  plan.removed.length > 0 || plan.moved.length > 0 || plan.invitesCancelled > 0;

export async function planRoster(
  deps: ImportDeps,
  text: string,
  defaults: RosterDefaults,
): Promise<{ report: RosterImportReport; plan?: RosterPlan }> {
  const checked = checkRosterCsv(text);
  const report: RosterImportReport = {
    accepted: true,
    problems: [],
    groupsCreated: 0,
    added: 0,
    roleChanged: 0,
    unchanged: 0,
    duplicates: checked.duplicates,
    unresolved: [],
    ignored: checked.ignored,
  };
  if (checked.problems.length > 0) return { report: rejected(checked.problems, report) };

  const byGroup = new Map<string, RosterRow[]>();
  for (const row of checked.rows) {
    const key = row.group.toLowerCase();
    byGroup.set(key, [...(byGroup.get(key) ?? []), row]);
  }
  const problems: RowProblem[] = [];
  const plan: RosterPlan = {
    groups: [],
    timeZone: defaults.timeZone,
    added: [],
    roleChanged: [],
    removed: [],
    moved: [],
    unchanged: 0,
    pending: [],
    invitesCancelled: 0,
    invitesMoved: 0,
  };
  const adds: Membership[] = [];
  const removes: Membership[] = [];
  for (const rows of byGroup.values()) {
    const first = rows[0] as RosterRow;
    const group = await deps.roster.findGroup(first.group);
    if (group?.program && group.program !== first.program) {
      problems.push({
        line: first.line,
        column: 'program',
        message: 'differs from the program of the existing group by that name',
      });
      continue;
    }
    plan.groups.push({ name: group?.name ?? first.group, program: first.program, ...(group ? { id: group.id } : {}) });
    const groupName = group?.name ?? first.group;
    const wanted = new Map<UserId, GroupRole>();
    for (const row of rows) {
      const user = isUserId(row.student) ? row.student : await deps.people.userOf(personKey(row.student));
      if (user) wanted.set(user, row.role);
      else {
        report.unresolved.push(row.line);
        const waiting = (await deps.people.get(personKey(row.student)))?.memberships ?? [];
        if (!group || !waiting.some((m) => m.group === group.id && m.role === row.role))
          plan.pending.push({ email: row.student, group: groupName, role: row.role });
      }
    }
    const current = new Map((group?.members ?? []).map((m) => [m.user, m.role] as const));
    for (const [user, role] of wanted) {
      const was = current.get(user);
      if (was === undefined) adds.push({ group: groupName, user, role });
      else if (was !== role) plan.roleChanged.push({ group: groupName, user, role });
      else plan.unchanged++;
    }
    for (const [user, role] of current) if (!wanted.has(user)) removes.push({ group: groupName, user, role });
  }
  if (problems.length > 0) return { report: rejected(problems, report) };

  // Out of one named group and into another of the same program: a move.
  const programOf = new Map(plan.groups.map((g) => [g.name, g.program]));
  for (const add of adds) {
    const from = removes.findIndex((r) => r.user === add.user && programOf.get(r.group) === programOf.get(add.group));
    if (from < 0) plan.added.push(add);
    else {
      const [gone] = removes.splice(from, 1) as [Membership];
      plan.moved.push({ user: add.user, from: gone.group, to: add.group, role: add.role });
    }
  }
  plan.removed = removes;
  if (plan.removed.length + plan.moved.length > 0) {
    const idOf = new Map(plan.groups.map((g) => [g.name, g.id]));
    const leaving = new Set(
      [...plan.removed, ...plan.moved.map((m) => ({ group: m.from, user: m.user }))].map(
        (m) => `${idOf.get(m.group) ?? ''}|${m.user}`,
      ),
    );
    const moving = new Set(plan.moved.map((m) => `${idOf.get(m.from) ?? ''}|${m.user}`));
    for await (const [, invite] of deps.records.invites()) {
      const key = `${invite.group}|${invite.user}`;
      if (!PENDING.has(invite.state) || !leaving.has(key)) continue;
      if (moving.has(key)) plan.invitesMoved++;
      else plan.invitesCancelled++;
    }
  }
  report.groupsCreated = plan.groups.filter((g) => !g.id).length;
  report.added = plan.added.length;
  report.roleChanged = plan.roleChanged.length;
  report.unchanged = plan.unchanged;
  return { report, plan };
}

export async function applyRosterPlan(deps: ImportDeps, plan: RosterPlan, defaults: RosterDefaults): Promise<void> {
  const now = deps.clock.now();
  const ids = new Map<string, string>();
  let changed = false;
  for (const planned of plan.groups) {
    let group = planned.id ? await deps.roster.getGroup(planned.id) : await deps.roster.findGroup(planned.name);
    if (!group) {
      try {
        group = await deps.roster.createGroup(
          { name: planned.name, program: planned.program, timeZone: plan.timeZone, preset: defaults.preset },
          now,
        );
        changed = true;
      } catch (error) {
        // Made by someone else a moment ago: use theirs.
        group = error instanceof UserError ? await deps.roster.findGroup(planned.name) : undefined;
        if (!group) throw error;
      }
    } else if (!group.program) {
      await deps.roster.configureGroup(group.id, { program: planned.program });
      changed = true;
    }
    ids.set(planned.name, group.id);
  }
  const id = (name: string): string => ids.get(name) as string;
  const byRole = new Map<string, Membership[]>();
  for (const m of [...plan.added, ...plan.roleChanged, ...plan.moved.map((v) => ({ ...v, group: v.to }))]) {
    const key = `${id(m.group)}\u0000${m.role}`;
    byRole.set(key, [...(byRole.get(key) ?? []), m]);
  }
  // Into the new group before out of the old one: a crash in between leaves a person in both
  // groups for a moment (the same import again finishes the move), never in none.
  for (const [key, members] of byRole) {
    const [groupId, role] = key.split('\u0000') as [string, GroupRole];
    await deps.roster.addMembers(
      groupId,
      members.map((m) => m.user),
      role,
    );
    changed = true;
  }
  for (const move of plan.moved) await moveInvites(deps, move.user, id(move.from), id(move.to));
  const out = new Map<string, UserId[]>();
  for (const m of [...plan.removed, ...plan.moved.map((v) => ({ group: v.from, user: v.user }))])
    out.set(id(m.group), [...(out.get(id(m.group)) ?? []), m.user]);
  for (const [groupId, users] of out) {
    await deps.roster.removeMembers(groupId, users);
    changed = true;
  }
  for (const p of plan.pending) {
    const person = await deps.people.note(p.email, { group: id(p.group), role: p.role });
    if (person.changed) changed = true;
  }
  if (changed) await deps.records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
}

/**
 * A student moved to another group: their invites not sent yet wait for the new group's next
 * session instead (the bot invites them as soon as it has one). One queued for the old group's
 * session is taken back first: its job then finds nothing pending and sends nothing.
 */
async function moveInvites(deps: ImportDeps, user: UserId, from: string, to: string): Promise<void> {
  const moved: string[] = [];
  for await (const [key, invite] of deps.records.invites()) {
    if (invite.user !== user || invite.group !== from || !PENDING.has(invite.state)) continue;
    await deps.records.changeInvite(key, (current) => {
      if (!current || current.user !== user || current.group !== from || !PENDING.has(current.state)) return undefined;
      moved.push(key);
      const next: InviteRecord = {
        ...current,
        state: 'waiting',
        group: to,
        waitUntil: current.waitUntil ?? deps.clock.now() + DEFAULT_ROTATION_SETTINGS.waitDays * DAY_MS,
      };
      // No longer queued for the old group's session.
      delete next.session;
      return next;
    });
  }
  if (moved.length === 0) return;
  await deps.records.changeWaiting(to, (keys) => [...new Set([...keys, ...moved])]);
  await deps.records.changeWaiting(from, (keys) => keys.filter((k) => !moved.includes(k)));
}

export async function importRoster(
  deps: ImportDeps,
  text: string,
  defaults: RosterDefaults,
): Promise<RosterImportReport> {
  const { report, plan } = await planRoster(deps, text, defaults);
  if (plan) await applyRosterPlan(deps, plan, defaults);
  return report;
}
