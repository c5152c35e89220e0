// The post-rotation invite, as three kinds of durable job:
//   rotations.day     (group, date)  at the invite time on the end date: who finished, is there
//                                    a next session within the window? Queue invites, or put
//                                    the students on the group's waiting list.
//   rotations.invite  (user, session) one direct message with the session's RSVP buttons.
//   rotations.digest  (group, date)  after the invites have settled: one digest per coordinator
//                                    when students wait for a session or could not be reached.
// The invite record per (student, rotation) is written before any message and never deleted
// once a message may have gone out, so nothing here invites anyone twice, whatever repeats.
import type { Job, JobContext, JobQueue } from '../jobs/queue.js';
import type { UserId } from '../plumbing/ids.js';
import { errorCode } from '../plumbing/logger.js';
import type { Group } from '../model.js';
import type { ChatPort, Clock, Logger } from '../ports.js';
import type { Roster } from '../roster.js';
import { digestCard, inviteCard } from './cards.js';
import type { People } from './people.js';
import type { InviteRecord, RotationRecords } from './records.js';
import { inviteKey, type Rotation } from './rotation.js';
import type { UpcomingSession, UpcomingSessions } from './sessions-port.js';
import { DAY_MS, inviteInstant, type RotationSettings } from './settings.js';

export const DAY_JOB = 'rotations.day';
export const INVITE_JOB = 'rotations.invite';
export const DIGEST_JOB = 'rotations.digest';
export const DIGEST_TO_JOB = 'rotations.digest-to';

/** `round`: a later digest of the same day (an invite given up after the first digest went out). */
type DayPayload = { group: string; date: string; round?: string };
/** `until`: the session's start, after which an invite helps nobody (absent in older records). */
type InvitePayload = { user: string; group: string; session: string; until?: number };
type DigestToPayload = DayPayload & { to: string };

export const dayJobKey = (group: string, date: string): string => `rotday:${group}:${date}`;
const inviteJobKey = (user: UserId, session: string): string => `rotinvite:${user}:${session}`;
const digestJobKey = (group: string, date: string): string => `rotdigest:${group}:${date}`;

/** Attempts at one direct message written before invites carried their session's start. */
const INVITE_ATTEMPTS = 4;

const inviteUsefulUntil = (job: Job): number | undefined => {
  const until = (job.payload as InvitePayload).until;
  return typeof until === 'number' ? until : undefined;
};
const NO_END = Number.MAX_SAFE_INTEGER;
const digestUsefulUntil = (job: Job): number | undefined => {
  const day = Date.parse(`${(job.payload as DigestToPayload).date}T00:00:00Z`);
  return Number.isFinite(day) ? day + 3 * DAY_MS : undefined;
};

export interface InviteRuleDeps {
  records: RotationRecords;
  people: People;
  roster: Roster;
  sessions: UpcomingSessions;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  settings: RotationSettings;
}

interface Due {
  key: string;
  rotation: string;
  name: string;
}

/** A student finishing a rotation is a `member` of a group of that program. */
export const isStudentOf = (group: Group, user: UserId): boolean =>
  group.members.some((m) => m.user === user && m.role === 'member');

export class InviteRule {
  constructor(private readonly deps: InviteRuleDeps) {
    const { jobs, settings } = deps;
    // A trigger later than its window can invite nobody to anything useful.
    jobs.register<DayPayload>(DAY_JOB, (job) => this.day(job.payload), { staleAfterMs: settings.windowDays * DAY_MS });
    // Invites share the queue's slots with reminders and timers; the kind's own cap keeps a
    // fan-out of a thousand from taking every slot.
    // Retried through an outage until the session starts (usefulness), then given up with
    // `job.expired` and a digest entry; a permanent refusal is recorded at once.
    jobs.register<InvitePayload>(INVITE_JOB, (job, ctx) => this.invite(job, ctx), {
      usefulUntil: inviteUsefulUntil,
      maxAttempts: INVITE_ATTEMPTS,
      onGiveUp: (job, error) => this.gaveUp(job as Job<InvitePayload>, error),
    });
    jobs.register<DayPayload>(DIGEST_JOB, (job) => this.digest(job.payload));
    // A coordinator's digest is retried through an outage while its news is fresh: until two
    // days after its day (three attempts was twenty seconds of a dropped connection).
    jobs.register<DigestToPayload>(DIGEST_TO_JOB, (job) => this.digestTo(job.payload), {
      maxAttempts: 3,
      usefulUntil: digestUsefulUntil,
    });
  }

  async userOf(rotation: Rotation): Promise<UserId | undefined> {
    return rotation.student ?? (rotation.person ? this.deps.people.userOf(rotation.person) : undefined);
  }

  triggerAt(group: Group, date: string): number {
    return inviteInstant(date, group.timeZone, this.deps.settings.inviteTime);
  }

  /** The trigger of one group and end date. Safe to run again: the invite records decide. */
  async day({ group: groupId, date }: DayPayload): Promise<void> {
    const { records, sessions, clock, settings, logger } = this.deps;
    const group = await this.deps.roster.getGroup(groupId);
    if (!group?.program) return;
    const now = clock.now();
    const triggerAt = this.triggerAt(group, date);
    const due = new Map<UserId, Due[]>();
    for (const rotation of await records.ending(group.program, date)) {
      const user = await this.userOf(rotation);
      // Imported after its invite time: nobody wants an invite for a rotation long over.
      if (!user || !isStudentOf(group, user) || rotation.endSetAt >= triggerAt) continue;
      const key = inviteKey(user, rotation);
      const existing = await records.invite(key);
      // Waiting for an end date that has since moved here: this day takes it over. Queued for
      // this day: a crash may have come before its invite job was stored, so queue it again
      // (the job's key makes that a no-op when it was).
      const requeue = existing?.state === 'queued' && existing.date === date;
      if (existing && !requeue && !(existing.state === 'waiting' && existing.date !== date)) continue;
      due.set(user, [...(due.get(user) ?? []), { key, rotation: rotation.id, name: rotation.name }]);
    }
    if (due.size === 0) return;
    const all = [...due.values()].flat();
    await records.addToDay(
      group.id,
      date,
      all.map((d) => d.key),
      [...new Set(all.map((d) => d.name))],
      now,
    );
    const session = await sessions.nextSession(group.id, now, triggerAt + settings.windowDays * DAY_MS);
    if (session) {
      for (const [user, list] of due)
        await this.queue(
          user,
          group.id,
          session,
          list.map((d) => ({ ...d, date })),
        );
    } else {
      const waitUntil = triggerAt + settings.waitDays * DAY_MS;
      const waiting: string[] = [];
      for (const [user, list] of due) {
        for (const d of list) {
          const written = await records.changeInvite(d.key, (current) =>
            current && !(current.state === 'waiting' && current.date !== date)
              ? undefined
              : { state: 'waiting', user, group: group.id, rotation: d.rotation, date, waitUntil, at: now },
          );
          if (written) waiting.push(d.key);
        }
      }
      await records.changeWaiting(group.id, (keys) => [...new Set([...keys, ...waiting])]);
    }
    await this.deps.jobs.enqueue<DayPayload>(
      DIGEST_JOB,
      triggerAt + settings.digestDelayMinutes * 60_000,
      { group: group.id, date },
      digestJobKey(group.id, date),
    );
    logger.info('rotations.day', { group: group.id, count: due.size, outcome: session ? 'ok' : 'not-found' });
  }

  /**
   * Moves invite records from nothing (or waiting) to queued, notes them in the student's
   * outbox for that session, and makes sure one invite job exists for (student, session).
   */
  private async queue(
    user: UserId,
    groupId: string,
    session: UpcomingSession,
    due: ReadonlyArray<Due & { date: string }>,
  ): Promise<void> {
    const { records, jobs, clock } = this.deps;
    const now = clock.now();
    const queued: string[] = [];
    for (const d of due) {
      const written = await records.changeInvite(d.key, (current) =>
        current && current.state !== 'waiting'
          ? undefined
          : {
              state: 'queued',
              user,
              group: groupId,
              rotation: d.rotation,
              date: current?.date ?? d.date,
              session: session.id,
              at: now,
            },
      );
      if (written) {
        queued.push(d.key);
        continue;
      }
      // Already queued for this session by a run that crashed before storing the job below.
      const already = await records.invite(d.key);
      if (already?.state === 'queued' && already.session === session.id) queued.push(d.key);
    }
    if (queued.length === 0) return;
    await records.addToOutbox(user, session.id, queued);
    const result = await jobs.enqueue<InvitePayload>(
      INVITE_JOB,
      now,
      { user, group: groupId, session: session.id, until: session.startsAt },
      inviteJobKey(user, session.id),
    );
    // This student already had their message about this session: these rotations share it.
    if (result.status !== 'pending')
      await this.settle(queued, session.id, result.status === 'done' ? { state: 'invited' } : { state: 'skipped' });
  }

  private async settle(
    keys: readonly string[],
    session: string,
    outcome: Pick<InviteRecord, 'state' | 'code'>,
  ): Promise<void> {
    const now = this.deps.clock.now();
    for (const key of keys) {
      await this.deps.records.changeInvite(key, (current) =>
        current?.state === 'queued' && current.session === session ? { ...current, ...outcome, at: now } : undefined,
      );
    }
  }

  /** The invite records still waiting for this student's message about this session. */
  private async queuedFor(
    user: UserId,
    sessionId: string,
  ): Promise<{ pending: InviteRecord[]; pendingKeys: string[] }> {
    const { records } = this.deps;
    const pending: InviteRecord[] = [];
    const pendingKeys: string[] = [];
    for (const key of (await records.outbox(user, sessionId))?.keys ?? []) {
      const record = await records.invite(key);
      if (record?.state === 'queued' && record.session === sessionId) {
        pending.push(record);
        pendingKeys.push(key);
      }
    }
    return { pending, pendingKeys };
  }

  /** The queue gave the invite up: its records say so, for the digest and `rotations @student`. */
  private async gaveUp(job: Job<InvitePayload>, error: unknown): Promise<void> {
    const { user, group, session } = job.payload;
    const { pending, pendingKeys } = await this.queuedFor(user, session);
    await this.settle(pendingKeys, session, { state: 'failed', code: errorCode(error) });
    this.deps.logger.warn('rotations.invite-failed', { user, group, session, code: errorCode(error) });
    for (const date of new Set(pending.map((r) => r.date))) await this.lateDigest(group, date, session);
  }

  /**
   * An invite given up after its day's digest went out (retried through an outage until its
   * session began) would reach no digest: the coordinators get one more for that day and session.
   */
  private async lateDigest(groupId: string, date: string, session: string): Promise<void> {
    const group = await this.deps.roster.getGroup(groupId);
    if (!group) return;
    const regular = await this.deps.jobs.enqueue<DayPayload>(
      DIGEST_JOB,
      this.triggerAt(group, date) + this.deps.settings.digestDelayMinutes * 60_000,
      { group: groupId, date },
      digestJobKey(groupId, date),
    );
    if (regular.status !== 'done') return; // still to come (or created now): it will list this one
    await this.deps.jobs.enqueue<DayPayload>(
      DIGEST_JOB,
      this.deps.clock.now(),
      { group: groupId, date, round: session },
      `${digestJobKey(groupId, date)}:${session}`,
    );
  }

  private async invite(job: Job<InvitePayload>, ctx: JobContext): Promise<void> {
    const { records, sessions, roster, chat } = this.deps;
    const { user, session: sessionId } = job.payload;
    const { pending, pendingKeys } = await this.queuedFor(user, sessionId);
    if (pending.length === 0) return;
    // A removed calendar row cancels an invite that has not gone out.
    const rotations = (await Promise.all(pending.map((r) => records.get(r.rotation)))).filter(
      (r): r is Rotation => r !== undefined,
    );
    // Judged when the attempt began, as the queue judged it: not a moment later.
    const session = await sessions.session(sessionId, ctx.now);
    const group = await roster.getGroup(job.payload.group);
    if (rotations.length === 0 || !session || !group || !isStudentOf(group, user)) {
      await this.settle(pendingKeys, sessionId, { state: 'skipped' });
      return;
    }
    const card = inviteCard({
      groupName: group.name,
      rotationNames: [...new Set(rotations.sort((a, b) => a.start.localeCompare(b.start)).map((r) => r.name))],
      session,
      buttons: sessions.rsvpButtons(session.id),
      calendarLink: await sessions.calendarLink(user).catch(() => undefined),
    });
    await chat.direct(user, card);
    await this.settle(pendingKeys, sessionId, { state: 'invited' });
  }

  /**
   * A session was scheduled (or time passed): invite the group's waiting students to its next
   * session, and let those who waited `waitDays` in vain go. Returns how many were queued.
   */
  async checkWaiting(groupId: string): Promise<number> {
    const { records, sessions, clock, roster } = this.deps;
    const list = await records.waiting(groupId);
    if (!list || list.keys.length === 0) return 0;
    const now = clock.now();
    const group = await roster.getGroup(groupId);
    const session = group && (await sessions.nextSession(groupId, now, NO_END));
    const byUser = new Map<UserId, Array<Due & { date: string }>>();
    const done: string[] = [];
    for (const key of list.keys) {
      const record = await records.invite(key);
      if (!record || record.state !== 'waiting' || record.group !== groupId) {
        done.push(key);
        continue;
      }
      const rotation = await records.get(record.rotation);
      const moved = !rotation || rotation.end !== record.date;
      if (moved || (record.waitUntil ?? 0) <= now || !group) {
        // Row removed or end date moved: nothing went out, so the record may go (a moved end
        // date is invited on its new day). A wait run out stays on record as expired.
        if (moved)
          await records.changeInvite(key, (current) =>
            current?.state === 'waiting' ? { ...current, state: 'skipped', at: now } : undefined,
          );
        else
          await records.changeInvite(key, (current) =>
            current?.state === 'waiting' ? { ...current, state: 'expired', at: now } : undefined,
          );
        done.push(key);
        continue;
      }
      if (!session) continue;
      byUser.set(record.user, [
        ...(byUser.get(record.user) ?? []),
        { key, rotation: record.rotation, name: rotation.name, date: record.date },
      ]);
      done.push(key);
    }
    let queued = 0;
    if (session) {
      for (const [user, due] of byUser) {
        await this.queue(user, groupId, session, due);
        queued += due.length;
      }
    }
    if (done.length > 0) await records.changeWaiting(groupId, (keys) => keys.filter((k) => !done.includes(k)));
    if (queued > 0) this.deps.logger.info('rotations.waiting-invited', { group: groupId, count: queued });
    return queued;
  }

  private async digest({ group: groupId, date, round }: DayPayload): Promise<void> {
    const key = round === undefined ? digestJobKey(groupId, date) : `${digestJobKey(groupId, date)}:${round}`;
    for (const to of await this.deps.roster.coordinators()) {
      await this.deps.jobs.enqueue<DigestToPayload>(
        DIGEST_TO_JOB,
        this.deps.clock.now(),
        { group: groupId, date, to },
        `${key}:${to}`,
      );
    }
  }

  private async digestTo({ group: groupId, date, to }: DigestToPayload): Promise<void> {
    const { records, roster, clock, settings, chat } = this.deps;
    const [day, group] = await Promise.all([records.day(groupId, date), roster.getGroup(groupId)]);
    if (!day || !group) return;
    const invites = (await Promise.all(day.keys.map((k) => records.invite(k)))).filter(
      (r): r is InviteRecord => r !== undefined && r.date === date,
    );
    const users = (state: InviteRecord['state']) =>
      [...new Set(invites.filter((r) => r.state === state).map((r) => r.user))].sort();
    const waiting = users('waiting');
    const failed = invites
      .filter((r) => r.state === 'failed')
      .map((r) => ({ user: r.user, code: r.code ?? 'unknown' }));
    const failedOnce = [...new Map(failed.map((f) => [f.user, f])).values()];
    if (waiting.length === 0 && failedOnce.length === 0) return;
    await chat.direct(
      to,
      digestCard({
        groupId: group.id,
        groupName: group.name,
        date,
        names: day.names,
        finishing: new Set(invites.map((r) => r.user)).size,
        waiting,
        invited: users('invited').length,
        sending: users('queued').length,
        failed: failedOnce,
        windowDays: settings.windowDays,
        thisYear: new Date(clock.now()).getUTCFullYear(),
      }),
    );
  }
}
