// Rotation calendars and the post-rotation invite, as the commands and the app see them.
// The scheduling work tells this service when a session is scheduled (`onSessionScheduled`);
// the minute sweep calls `poll`, the safety net for imports made by another process.
import { conflict, invalid } from '../plumbing/errors.js';
import type { UserId } from '../plumbing/ids.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Group, Program, SessionPreset } from '../model.js';
import type { ChatPort, Clock, Logger, Store } from '../ports.js';
import type { Roster } from '../roster.js';
import { forgetStudent, purgeRotationsBefore, type Erased } from './erase.js';
import { importRoster, importRotations, type RosterImportReport, type RotationImportReport } from './import.js';
import { InviteRule } from './invite-rule.js';
import { People } from './people.js';
import { endKey, RotationRecords } from './records.js';
import { isIsoDate, normaliseName, rotationId, rotationNameProblem, type Rotation } from './rotation.js';
import type { UpcomingSessions } from './sessions-port.js';
import { DEFAULT_ROTATION_SETTINGS, inviteInstant, localDate, type RotationSettings } from './settings.js';
import { Triggers } from './triggers.js';
import { forGroup, forStudent, unresolvedEmails, type RotationView } from './views.js';

export interface RotationDeps {
  store: Store;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  roster: Roster;
  sessions: UpcomingSessions;
  settings?: Partial<RotationSettings>;
  /** For groups a roster import creates. */
  defaultTimeZone: string;
  defaultPreset?: SessionPreset;
}

export type AddOutcome = 'added' | 'changed' | 'unchanged';

export class RotationService {
  readonly settings: RotationSettings;
  readonly records: RotationRecords;
  readonly people: People;
  private readonly rule: InviteRule;
  private readonly triggers: Triggers;

  constructor(private readonly deps: RotationDeps) {
    this.settings = { ...DEFAULT_ROTATION_SETTINGS, ...deps.settings };
    this.records = new RotationRecords(deps.store);
    this.people = new People(deps.store);
    this.rule = new InviteRule({ ...deps, records: this.records, people: this.people, settings: this.settings });
    this.triggers = new Triggers({
      ...deps,
      records: this.records,
      people: this.people,
      rule: this.rule,
      settings: this.settings,
    });
  }

  /** Imports a calendar file (all or nothing) and arms its triggers in this process. */
  async importRotations(text: string): Promise<RotationImportReport> {
    const report = await importRotations(this.importDeps(), text);
    if (report.accepted) await this.afterImport();
    return report;
  }

  async importRoster(text: string): Promise<RosterImportReport> {
    const report = await importRoster(this.importDeps(), text, {
      timeZone: this.deps.defaultTimeZone,
      preset: this.deps.defaultPreset ?? '60',
    });
    if (report.accepted) await this.afterImport();
    return report;
  }

  /** One rotation from chat. The program is the student's group's; the name is asked for. */
  async add(user: UserId, program: Program, rawName: string, start: string, end: string): Promise<AddOutcome> {
    const problem = rotationNameProblem(rawName);
    if (problem) throw invalid(`The rotation's name ${problem}.`);
    if (!isIsoDate(start) || !isIsoDate(end)) throw invalid('Dates are written YYYY-MM-DD, for example 2027-03-12.');
    if (end < start) throw invalid('The rotation ends before it starts.');
    const name = normaliseName(rawName);
    const id = rotationId(user, program, name, start);
    const now = this.deps.clock.now();
    const before = await this.records.get(id);
    if (before && before.end === end && before.name === name) return 'unchanged';
    const next: Rotation = {
      id,
      student: user,
      program,
      name,
      start,
      end,
      endSetAt: before && before.end === end ? before.endSetAt : now,
      source: before?.source ?? 'chat',
    };
    await this.records.put(next);
    await this.records.index(endKey(program, end), [id], []);
    if (before && before.end !== end) await this.records.index(endKey(program, before.end), [], [id]);
    await this.records.changeMeta((m) => ({ ...m, version: m.version + 1 }));
    await this.afterImport();
    return before ? 'changed' : 'added';
  }

  /** The program a chat-added rotation belongs to: the one of the student's group. */
  async programOf(user: UserId): Promise<Program> {
    const programs = new Set(
      (await this.deps.roster.groups())
        .filter((g) => g.program && g.members.some((m) => m.user === user && m.role === 'member'))
        .map((g) => g.program as Program),
    );
    if (programs.size === 0)
      throw invalid(
        'That person is not a member of a group with a program yet. Add them to their group first (`group add`).',
      );
    if (programs.size > 1)
      throw conflict(
        'That person is a member of groups in several programs; import their rotations from a file instead.',
      );
    return [...programs][0] as Program;
  }

  /** A student's rotations; one of a program where they are in no group is marked: no invite can come of it. */
  async forStudent(user: UserId): Promise<RotationView[]> {
    const programs = new Set(
      (await this.deps.roster.groups())
        .filter((g) => g.program && g.members.some((m) => m.user === user && m.role === 'member'))
        .map((g) => g.program),
    );
    return (await forStudent(this.records, this.people, user)).map((v) =>
      programs.has(v.rotation.program) ? v : { ...v, noGroup: true },
    );
  }

  /** Whether the group has a session after the invite time of a rotation ending on `end`. */
  async sessionAfter(group: Group, end: string): Promise<boolean> {
    const from = inviteInstant(end, group.timeZone, this.settings.inviteTime);
    return (await this.deps.sessions.nextSession(group.id, from, Number.MAX_SAFE_INTEGER)) !== undefined;
  }

  /** A group's rotations; one whose invite would find no session after it is marked. */
  async forGroup(group: Group): Promise<RotationView[]> {
    const views = await forGroup(this.records, this.people, group);
    const after = new Map<string, boolean>();
    for (const v of views) {
      if (v.invite) continue;
      if (!after.has(v.rotation.end)) after.set(v.rotation.end, await this.sessionAfter(group, v.rotation.end));
      if (!after.get(v.rotation.end)) v.noSession = true;
    }
    return views;
  }

  unresolvedEmails(): Promise<string[]> {
    return unresolvedEmails(this.people);
  }

  today(zone: string): string {
    return localDate(this.deps.clock.now(), zone);
  }

  /**
   * Call after a session was scheduled for `groupId` (ScheduleService.schedule): students
   * waiting for one are invited to it at once. Returns how many invites were queued.
   */
  onSessionScheduled(groupId: string): Promise<number> {
    return this.rule.checkWaiting(groupId);
  }

  /** Data rights: the person's rotations, invite records, outboxes and resolved emails. */
  forget(user: UserId): Promise<Erased> {
    return forgetStudent(this.records, this.people, user);
  }

  /** Retention: rotations that ended before `cutoffDate` (YYYY-MM-DD) and their records. */
  purgeBefore(cutoffDate: string): Promise<Erased> {
    return purgeRotationsBefore(this.records, cutoffDate);
  }

  /** Each minute from the sweep; harmless to call more often. */
  poll(): Promise<void> {
    return this.triggers.poll();
  }

  sync(): Promise<number> {
    return this.triggers.sync();
  }

  private importDeps() {
    return { records: this.records, people: this.people, roster: this.deps.roster, clock: this.deps.clock };
  }

  private async afterImport(): Promise<void> {
    await this.triggers.resolvePeople();
    await this.triggers.sync();
  }
}
