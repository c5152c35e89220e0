// Keeps one `rotations.day` job armed for every group and end date that has students to invite.
// Imports may come from another process (the `balint import` CLI writes straight to the store,
// and a job queue only runs what its own process enqueued), so the running bot re-syncs when
// the store's import version moves (checked each minute by `poll`), and once an hour anyway
// to catch roster changes made in chat.
import type { UserId } from '../plumbing/ids.js';
import type { JobQueue } from '../jobs/queue.js';
import { KeyedLock } from '../plumbing/keyed-lock.js';
import { errorCode } from '../plumbing/logger.js';
import type { Group, Program } from '../model.js';
import type { ChatPort, Clock, Logger } from '../ports.js';
import type { Roster } from '../roster.js';
import { DAY_JOB, dayJobKey, isStudentOf, type InviteRule } from './invite-rule.js';
import type { People } from './people.js';
import { LOOKUP_RETRY_MS } from './people.js';
import type { RotationRecords } from './records.js';
import { DAY_MS, type RotationSettings } from './settings.js';

const RESYNC_MS = 60 * 60 * 1000;
/** Platform look-ups per poll: Slack's users.lookupByEmail is Tier 3 (about 50 a minute). */
const LOOKUPS_PER_POLL = 20;

export interface TriggerDeps {
  records: RotationRecords;
  people: People;
  roster: Roster;
  rule: InviteRule;
  jobs: JobQueue;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  settings: RotationSettings;
}

export class Triggers {
  private syncedVersion: number | undefined;
  private syncedAt = Number.NEGATIVE_INFINITY;
  private polling: Promise<void> | undefined;
  /** One sync at a time: one that read the store earlier must not undo a later one's arming. */
  private readonly syncs = new KeyedLock();

  constructor(private readonly deps: TriggerDeps) {}

  /** The minute safety net: resolve emails, re-sync after an import elsewhere, serve waiting lists. */
  poll(): Promise<void> {
    // One poll at a time; a slow store must not pile them up.
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const { records, clock, rule, logger } = this.deps;
    try {
      const resolved = await this.resolvePeople();
      const version = (await records.meta())?.version ?? 0;
      if (resolved > 0 || version !== this.syncedVersion || clock.now() - this.syncedAt >= RESYNC_MS) await this.sync();
      for await (const group of records.waitingGroups()) await rule.checkWaiting(group);
    } catch (error) {
      logger.warn('rotations.poll-failed', { code: errorCode(error) });
    }
  }

  /** Arms, moves and cancels trigger jobs to match the store. Returns how many are armed. */
  sync(): Promise<number> {
    return this.syncs.run('sync', () => this.syncOnce());
  }

  private async syncOnce(): Promise<number> {
    const { records, roster, people, rule, jobs, clock, settings } = this.deps;
    const now = clock.now();
    const version = (await records.meta())?.version ?? 0;
    const groupsOf = studentGroups(await roster.groups());
    const users = new Map<string, UserId | undefined>();
    const desired: Record<string, { dueAt: number; group: string; date: string }> = {};
    for await (const rotation of records.all()) {
      let user = rotation.student;
      if (!user && rotation.person) {
        if (!users.has(rotation.person)) users.set(rotation.person, await people.userOf(rotation.person));
        user = users.get(rotation.person);
      }
      const group = user && groupsOf.get(rotation.program)?.get(user);
      if (!group) continue;
      let dueAt: number;
      try {
        dueAt = rule.triggerAt(group, rotation.end);
      } catch {
        continue; // a zone luxon does not know: `group set … tz` is where that gets fixed
      }
      if (dueAt <= rotation.endSetAt || dueAt + settings.windowDays * DAY_MS < now) continue;
      desired[dayJobKey(group.id, rotation.end)] = { dueAt, group: group.id, date: rotation.end };
    }
    const armed = (await records.meta())?.armed ?? {};
    for (const [key, want] of Object.entries(desired)) {
      const result = await jobs.enqueue(DAY_JOB, want.dueAt, { group: want.group, date: want.date }, key);
      if (result.status === 'pending' && !result.created && result.job.dueAt !== want.dueAt)
        await jobs.reschedule(key, want.dueAt);
    }
    for (const key of Object.keys(armed)) if (!(key in desired)) await jobs.cancel(key);
    await records.changeMeta((m) => ({
      ...m,
      armed: Object.fromEntries(Object.entries(desired).map(([k, v]) => [k, v.dueAt])),
    }));
    this.syncedVersion = version;
    this.syncedAt = now;
    return Object.keys(desired).length;
  }

  /** Asks the platform about emails not yet known; applies roster rows waiting for them. */
  async resolvePeople(): Promise<number> {
    const { people, roster, chat, clock, logger } = this.deps;
    if (!chat.userByEmail) return 0;
    const now = clock.now();
    const ask: Array<[string, string]> = [];
    for await (const [key, person] of people.unresolved()) {
      if (person.email && (person.triedAt === undefined || now - person.triedAt >= LOOKUP_RETRY_MS))
        ask.push([key, person.email]);
      if (ask.length >= LOOKUPS_PER_POLL) break;
    }
    let resolved = 0;
    for (const [key, email] of ask) {
      let user: UserId | undefined;
      try {
        user = await chat.userByEmail(email);
      } catch (error) {
        logger.warn('rotations.lookup-failed', { code: errorCode(error) });
      }
      for (const m of await people.resolved(key, user, now)) {
        await roster.addMembers(m.group, [user as UserId], m.role).catch(() => undefined); // the group may be gone
      }
      if (user) resolved++;
    }
    if (ask.length > 0)
      logger.info('rotations.lookups', { count: ask.length, outcome: resolved === ask.length ? 'ok' : 'not-found' });
    return resolved;
  }
}

/** Program → student → the group they meet in (the first by name when there are several). */
function studentGroups(groups: readonly Group[]): Map<Program, Map<UserId, Group>> {
  const out = new Map<Program, Map<UserId, Group>>();
  for (const group of groups) {
    if (!group.program) continue;
    const byUser = out.get(group.program) ?? new Map<UserId, Group>();
    for (const m of group.members) if (isStudentOf(group, m.user) && !byUser.has(m.user)) byUser.set(m.user, group);
    out.set(group.program, byUser);
  }
  return out;
}
