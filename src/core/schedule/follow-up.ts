// The second half of a schedule change, made durable. Scheduling, moving and cancelling each
// write the change and then arm reminders, queue notices and invite waiting students. A crash
// between the two would leave a session with no reminders or a move nobody hears about. So
// before the change is written, a follow-up job is stored, due a little later: if the process
// dies in between, the next start runs it and finishes the work. Everything it does is
// idempotent (job keys, invite records), so when nothing went wrong it changes nothing.
import { randomUUID } from 'node:crypto';
import type { JobQueue } from '../jobs/queue.js';
import type { Session } from './session.js';

export const FOLLOW_UP_JOB = 'schedule.follow-up';

/**
 * Long after the change itself has finished, short enough that a reminder due soon after a
 * crash is armed in time.
 */
export const FOLLOW_UP_DELAY_MS = 60_000;

export type FollowUpPayload =
  | { kind: 'group'; group: string }
  | { kind: 'moved'; session: string; sequence: number; was: number }
  | { kind: 'cancelled'; session: string; sequence: number; rest: boolean; count: number };

/** What the schedule service does to finish each kind of change. */
export interface FollowUpWork {
  /** Sessions of the group were scheduled, or its reminder list changed. */
  scheduled(groupId: string): Promise<void>;
  moved(sessionId: string, sequence: number, was: number): Promise<void>;
  cancelled(sessionId: string, sequence: number, rest: boolean, count: number): Promise<void>;
}

export class FollowUps {
  constructor(
    private readonly jobs: JobQueue,
    work: FollowUpWork,
  ) {
    // Idempotent by the state it reads, so no finished key needs remembering.
    jobs.register<FollowUpPayload>(
      FOLLOW_UP_JOB,
      async ({ payload: p }) => {
        if (p.kind === 'group') await work.scheduled(p.group);
        else if (p.kind === 'moved') await work.moved(p.session, p.sequence, p.was);
        else await work.cancelled(p.session, p.sequence, p.rest, p.count);
      },
      { rememberFinished: false },
    );
  }

  /** Before sessions of a group are stored (or its reminders change). */
  async beforeScheduling(groupId: string, now: number): Promise<void> {
    await this.store({ kind: 'group', group: groupId }, `follow-up:group:${groupId}:${randomUUID()}`, now);
  }

  /** Before `session` is moved: the follow-up expects the sequence the move will give it. */
  async beforeMoving(session: Session, now: number): Promise<void> {
    const sequence = session.sequence + 1;
    await this.store(
      { kind: 'moved', session: session.id, sequence, was: session.start },
      `follow-up:moved:${session.id}:${sequence}`,
      now,
    );
  }

  /** Before `first` (and with `rest`, the later sessions of its series) is cancelled. */
  async beforeCancelling(first: Session, rest: boolean, count: number, now: number): Promise<void> {
    const sequence = first.sequence + 1;
    await this.store(
      { kind: 'cancelled', session: first.id, sequence, rest, count },
      `follow-up:cancelled:${first.id}:${sequence}`,
      now,
    );
  }

  private async store(payload: FollowUpPayload, key: string, now: number): Promise<void> {
    await this.jobs.enqueue<FollowUpPayload>(FOLLOW_UP_JOB, now + FOLLOW_UP_DELAY_MS, payload, key);
  }
}
