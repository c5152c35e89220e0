// Tells every member of a group, once, that a session moved or was cancelled: one durable job
// per member, keyed by the session and its new sequence, so a retry or a restart never sends a
// notice twice. A notice superseded by a later change (the sequence moved on) is skipped: the
// later change sends its own.
import type { JobQueue, Job } from '../jobs/queue.js';
import type { Group } from '../model.js';
import type { ChatPort } from '../ports.js';
import type { Roster } from '../roster.js';
import { cancelledCard, movedCard } from './cards.js';
import { readerZone } from './reader-zone.js';
import type { SessionRecords } from './records.js';
import type { Session } from './session.js';

export const NOTICE_JOB = 'schedule.notice';

/** `until`: the session's start, after which the notice helps nobody (absent in older records). */
type NoticePayload =
  | { kind: 'moved'; session: string; sequence: number; user: string; was: number; until?: number }
  | { kind: 'cancelled'; session: string; sequence: number; user: string; count: number; until?: number };

const noticeUsefulUntil = (job: Job): number | undefined => {
  const until = (job.payload as NoticePayload).until;
  return typeof until === 'number' ? until : undefined;
};

export type Notice = { kind: 'moved'; was: number } | { kind: 'cancelled'; count: number };

export const noticeKey = (session: string, sequence: number, user: string): string =>
  `notice:${session}:${sequence}:${user}`;

export class Notices {
  constructor(private readonly deps: { records: SessionRecords; roster: Roster; chat: ChatPort; jobs: JobQueue }) {
    // Retried through an outage until the session starts; then given up with `job.expired`.
    deps.jobs.register<NoticePayload>(NOTICE_JOB, (job) => this.send(job), { usefulUntil: noticeUsefulUntil });
  }

  /** One notice job per member about `session` (for a series: its first cancelled session). */
  async tell(group: Group, session: Session, notice: Notice, now: number): Promise<void> {
    for (const member of group.members) {
      const payload: NoticePayload = {
        ...notice,
        session: session.id,
        sequence: session.sequence,
        user: member.user,
        until: session.start,
      };
      await this.deps.jobs.enqueue<NoticePayload>(
        NOTICE_JOB,
        now,
        payload,
        noticeKey(session.id, session.sequence, member.user),
      );
    }
  }

  private async send(job: Job<NoticePayload>): Promise<void> {
    const p = job.payload;
    const session = await this.deps.records.get(p.session);
    if (!session || session.sequence !== p.sequence) return;
    const group = await this.deps.roster.getGroup(session.groupId);
    if (!group || !group.members.some((m) => m.user === p.user)) return;
    const zone = await readerZone(this.deps.chat, p.user, session.zone);
    const shown =
      p.kind === 'moved'
        ? movedCard(session, group.name, zone, p.was)
        : cancelledCard(session, p.count, group.name, zone);
    await this.deps.chat.direct(p.user, shown);
  }
}
