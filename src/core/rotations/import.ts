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
import type { People } from './people.js';
import { endKey, type RotationRecords } from './records.js';
import type { Rotation } from './rotation.js';
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
}

const rejected = <T extends object>(
  problems: RowProblem[],
  empty: T,
): T & { accepted: false; problems: RowProblem[] } => ({ ...empty, accepted: false, problems });

export async function importRotations(deps: ImportDeps, text: string): Promise<RotationImportReport> {
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
  };
  if (checked.problems.length > 0) return rejected(checked.problems, report);
  const now = deps.clock.now();
  const scope = new Set(checked.rows.map((r) => r.program));
  report.programs = [...scope].sort();

  const existing = new Map<string, Rotation>();
  for await (const rotation of deps.records.all()) if (scope.has(rotation.program)) existing.set(rotation.id, rotation);

  const writes: Rotation[] = [];
  const indexAdd = new Map<string, string[]>();
  const indexRemove = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, id: string) => map.set(key, [...(map.get(key) ?? []), id]);

  for (const row of checked.rows) {
    let who: Pick<Rotation, 'student' | 'person'>;
    if (isUserId(row.student)) who = { student: row.student };
    else {
      const person = await deps.people.note(row.student);
      who = { person: person.key };
      if (!person.user) report.unresolved.push(row.line);
    }
    const before = existing.get(row.id);
    existing.delete(row.id);
    const next: Rotation = {
      id: row.id,
      ...who,
      program: row.program,
      name: row.name,
      start: row.start,
      end: row.end,
      endSetAt: before && before.end === row.end ? before.endSetAt : now,
      source: 'import',
    };
    if (before && JSON.stringify(before) === JSON.stringify(next)) {
      report.unchanged++;
      continue;
    }
    if (before) report.changed++;
    else report.added++;
    writes.push(next);
    push(indexAdd, endKey(next.program, next.end), next.id);
    if (before && before.end !== next.end) push(indexRemove, endKey(before.program, before.end), before.id);
  }
  const removals = [...existing.values()].filter((r) => r.source === 'import');
  for (const gone of removals) push(indexRemove, endKey(gone.program, gone.end), gone.id);
  report.removed = removals.length;

  // Documents before the index entries that point at them; readers check a rotation's end
  // against the index, so an entry left behind by a crash is ignored, never acted on.
  for (const rotation of writes) await deps.records.put(rotation);
  for (const key of new Set([...indexAdd.keys(), ...indexRemove.keys()])) {
    await deps.records.index(key, indexAdd.get(key) ?? [], indexRemove.get(key) ?? []);
  }
  for (const gone of removals) await deps.records.remove(gone.id);
  if (writes.length > 0 || removals.length > 0)
    await deps.records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
  return report;
}

export interface RosterDefaults {
  timeZone: string;
  preset: SessionPreset;
}

export async function importRoster(
  deps: ImportDeps,
  text: string,
  defaults: RosterDefaults,
): Promise<RosterImportReport> {
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
  };
  if (checked.problems.length > 0) return rejected(checked.problems, report);

  // Checks that need the store, still before any write: a group that exists with another program.
  const byGroup = new Map<string, RosterRow[]>();
  for (const row of checked.rows) {
    const key = row.group.toLowerCase();
    byGroup.set(key, [...(byGroup.get(key) ?? []), row]);
  }
  const problems: RowProblem[] = [];
  for (const rows of byGroup.values()) {
    const first = rows[0] as RosterRow;
    const group = await deps.roster.findGroup(first.group);
    if (group?.program && group.program !== first.program) {
      problems.push({
        line: first.line,
        column: 'program',
        message: 'differs from the program of the existing group by that name',
      });
    }
  }
  if (problems.length > 0) return rejected(problems, report);

  const now = deps.clock.now();
  let notedPeople = 0;
  for (const rows of byGroup.values()) {
    const first = rows[0] as RosterRow;
    let group = await deps.roster.findGroup(first.group);
    if (!group) {
      try {
        group = await deps.roster.createGroup(
          { name: first.group, program: first.program, timeZone: defaults.timeZone, preset: defaults.preset },
          now,
        );
        report.groupsCreated++;
      } catch (error) {
        // Made by someone else a moment ago: use theirs.
        group = error instanceof UserError ? await deps.roster.findGroup(first.group) : undefined;
        if (!group) throw error;
      }
    } else if (!group.program) {
      await deps.roster.configureGroup(group.id, { program: first.program });
    }
    const byRole = new Map<GroupRole, UserId[]>();
    for (const row of rows) {
      let user: UserId | undefined = isUserId(row.student) ? row.student : undefined;
      if (!user) {
        const person = await deps.people.note(row.student, { group: group.id, role: row.role });
        if (person.changed) notedPeople++;
        user = person.user;
        if (!user) {
          report.unresolved.push(row.line);
          continue;
        }
      }
      byRole.set(row.role, [...(byRole.get(row.role) ?? []), user]);
    }
    for (const [role, users] of byRole) {
      const changes = await deps.roster.addMembers(group.id, users, role);
      report.added += changes.added.length;
      report.roleChanged += changes.changedRole.length;
      report.unchanged += changes.unchanged.length;
    }
  }
  if (report.groupsCreated + report.added + report.roleChanged + notedPeople > 0) {
    await deps.records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
  }
  return report;
}
