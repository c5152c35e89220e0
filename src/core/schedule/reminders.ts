// Reminders are durable jobs in two steps. One job per session and reminder offset
// (`remind:<session>:<sequence>:<offset>`) comes due at the reminder time and fans out one job
// per member (`reminder:<session>:<sequence>:<offset>:<user>`), each persisted before its direct
// message is sent. The sequence in the keys means a moved session gets fresh reminders while
// the old ones, if any survive, find a newer sequence and do nothing.
//
// Stale policy: a reminder is useful until its session starts, and only until the next,
// closer reminder for the same session comes due. After downtime an overdue reminder is sent
// once if still useful and otherwise dropped by the queue with a `job.stale` log line: nobody
// gets "in 24 hours" and "in 1 hour" together, nor a reminder for a session already under way.
import type { Group } from '../model.js';
import type { JobQueue, Job } from '../jobs/queue.js';
import type { ChatPort, Clock, Logger } from '../ports.js';
import type { Roster } from '../roster.js';
import { reminderCard } from './cards.js';
import { readerZone } from './reader-zone.js';
import type { SessionRecords } from './records.js';
import type { Session } from './session.js';

export const REMIND_JOB = 'schedule.remind';
export const REMINDER_JOB = 'schedule.reminder';

/** Minutes before the start: 24 hours and 1 hour unless the group says otherwise. */
export const DEFAULT_REMINDERS: readonly number[] = [24 * 60, 60];

type RemindPayload = { session: string; sequence: number; offset: number; until: number };
type ReminderPayload = RemindPayload & { user: string };

export const reminderOffsets = (group: Pick<Group, 'reminderMinutes'>): number[] =>
  [...new Set(group.reminderMinutes ?? DEFAULT_REMINDERS)].sort((a, b) => b - a);

const remindKey = (session: string, sequence: number, offset: number) => `remind:${session}:${sequence}:${offset}`;
export const reminderKey = (session: string, sequence: number, offset: number, user: string) =>
  `reminder:${session}:${sequence}:${offset}:${user}`;

/** Until when a reminder at `offset` is useful: the next, closer one of `offsets`, or the start. */
function usefulUntil(session: Session, offsets: readonly number[], offset: number): number {
  const next = offsets[offsets.indexOf(offset) + 1];
  return next === undefined ? session.start : session.start - next * 60_000;
}

/** Stale once the session starts or the next reminder is due: `until` says which comes first. */
const stale = (job: Job, lateMs: number): boolean => job.dueAt + lateMs >= (job.payload as RemindPayload).until;

export interface ReminderDeps {
  records: SessionRecords;
  roster: Roster;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
}

export class Reminders {
  constructor(private readonly deps: ReminderDeps) {
    // Retried through an outage for as long as the reminder is still useful, not a count of times.
    const options = { staleAfterMs: stale, usefulUntil: (job: Job) => (job.payload as RemindPayload).until };
    deps.jobs.register<RemindPayload>(REMIND_JOB, (job, ctx) => this.fanOut(job, ctx.now), options);
    deps.jobs.register<ReminderPayload>(REMINDER_JOB, (job, ctx) => this.send(job.payload, ctx.now), options);
  }

  /** Enqueues the reminders of a session that are still useful now. Idempotent. */
  async arm(session: Session, offsets: readonly number[]): Promise<number> {
    if (session.status !== 'scheduled') return 0;
    const now = this.deps.clock.now();
    let armed = 0;
    for (const offset of offsets) {
      const until = usefulUntil(session, offsets, offset);
      if (until <= now) continue;
      const payload: RemindPayload = { session: session.id, sequence: session.sequence, offset, until };
      await this.deps.jobs.enqueue(
        REMIND_JOB,
        session.start - offset * 60_000,
        payload,
        remindKey(session.id, session.sequence, offset),
      );
      armed++;
    }
    return armed;
  }

  /**
   * After the group's list changed from `previous` to `offsets`: reminders no longer on the list
   * go, and a kept one whose next reminder changed is armed afresh with its new limit (a kept
   * job would otherwise carry the old one, and after downtime be sent beside the new reminder).
   */
  async rearm(session: Session, previous: readonly number[], offsets: readonly number[]): Promise<number> {
    const outdated = previous.filter(
      (o) => !offsets.includes(o) || usefulUntil(session, previous, o) !== usefulUntil(session, offsets, o),
    );
    await this.disarm(session, outdated);
    return this.arm(session, offsets);
  }

  /** Removes a session's pending reminders for one sequence (before a move or cancel). */
  async disarm(session: Session, offsets: readonly number[]): Promise<void> {
    for (const offset of offsets) await this.deps.jobs.cancel(remindKey(session.id, session.sequence, offset));
  }

  /**
   * The session and group a reminder is still for, judged at `now`, the moment its attempt
   * started: the queue's stale rule judged it then too. Reading the clock again here would
   * open a gap in which the queue finds a reminder useful and the handler finds the session
   * begun, and it would be marked done with nothing sent and no log line (the crash trials
   * found this after a restart whose claims ran slow).
   */
  private async current(payload: RemindPayload, now: number): Promise<{ session: Session; group: Group } | undefined> {
    const session = await this.deps.records.get(payload.session);
    if (!session || session.status !== 'scheduled' || session.sequence !== payload.sequence) return undefined;
    if (session.start <= now) return undefined;
    const group = await this.deps.roster.getGroup(session.groupId);
    if (!group || !reminderOffsets(group).includes(payload.offset)) return undefined;
    return { session, group };
  }

  private async fanOut(job: Job<RemindPayload>, now: number): Promise<void> {
    const found = await this.current(job.payload, now);
    if (!found) return;
    const { session, group } = found;
    for (const member of group.members) {
      const key = reminderKey(session.id, session.sequence, job.payload.offset, member.user);
      await this.deps.jobs.enqueue<ReminderPayload>(
        REMINDER_JOB,
        job.dueAt,
        { ...job.payload, user: member.user },
        key,
      );
    }
    this.deps.logger.info('schedule.reminders', { session: session.id, group: group.id, count: group.members.length });
  }

  private async send(payload: ReminderPayload, now: number): Promise<void> {
    const found = await this.current(payload, now);
    if (!found || !found.group.members.some((m) => m.user === payload.user)) return;
    const { session, group } = found;
    const zone = await readerZone(this.deps.chat, payload.user, session.zone);
    await this.deps.chat.direct(payload.user, reminderCard(session, group.name, zone, session.rsvps[payload.user]));
  }
}
