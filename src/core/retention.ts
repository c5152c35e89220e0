// Old data goes. Once a day a durable job deletes what is older than the retention period
// (BALINT_RETENTION_DAYS, default 365): sessions that ended before it, with their RSVP answers
// (attendance may be counted while it is kept, never kept for ever), attendance sheets of
// sessions that began before it, finished timers, and
// rotations, invite records and digest records of rotations that ended before it.
//
// Why a job and not a step of the minute sweep: a job runs once per day across restarts and
// across instances (only the lease holder runs jobs), is retried when the store hiccups, and
// is visible in the store like every other future action. Each run first arms the next day's
// job, so one failed purge never ends the chain; `arm()` at start-up mends a chain a crash broke.
import type { AttendanceService } from './attendance/service.js';
import { keyNames } from './forget.js';
import type { JobQueue } from './jobs/queue.js';
import { errorCode } from './plumbing/logger.js';
import type { Clock, Logger } from './ports.js';
import type { RotationService } from './rotations/service.js';
import type { ScheduleService } from './schedule/service.js';
import type { TimerService } from './timer/service.js';

export const RETENTION_JOB = 'retention.purge';
export const DEFAULT_RETENTION_DAYS = 365;
/**
 * The shortest period allowed: a rotation's invite may wait up to 28 days and its trigger look
 * up to 90 days ahead, and none of that may be purged while it can still matter.
 */
export const MIN_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 3650;

const DAY_MS = 86_400_000;
/** 03:17 UTC: a quiet hour on both sides of the Atlantic, off the round hours other jobs favour. */
const RUN_AT_MS = (3 * 60 + 17) * 60_000;

export interface PurgeReport {
  sessions: number;
  timers: number;
  rotations: number;
  invites: number;
  attendance: number;
}

export interface RetentionDeps {
  schedule: ScheduleService;
  timers: TimerService;
  rotations: RotationService;
  attendance: AttendanceService;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  retentionDays?: number;
}

/** The first daily run time strictly after `now`. */
export function nextRunAfter(now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS + RUN_AT_MS;
  return today > now ? today : today + DAY_MS;
}

const runKey = (at: number): string => `retention:${new Date(at).toISOString().slice(0, 10)}`;

export class Retention {
  readonly days: number;

  constructor(private readonly deps: RetentionDeps) {
    this.days = deps.retentionDays ?? DEFAULT_RETENTION_DAYS;
    // The purge is idempotent and keyed by day: no finished key worth remembering.
    deps.jobs.register(
      RETENTION_JOB,
      async () => {
        await this.arm();
        await this.purge();
      },
      { rememberFinished: false, maxAttempts: 3, retryBaseMs: 10 * 60_000 },
    );
  }

  /** Makes sure the next daily run is pending. Idempotent; call at start-up. */
  async arm(): Promise<void> {
    const at = nextRunAfter(this.deps.clock.now());
    await this.deps.jobs.enqueue(RETENTION_JOB, at, {}, runKey(at));
  }

  /** Deletes everything older than the period now. Safe to run at any time, any number of times. */
  async purge(): Promise<PurgeReport> {
    const { schedule, timers, rotations, clock, logger } = this.deps;
    const cutoff = clock.now() - this.days * DAY_MS;
    const cutoffDate = new Date(cutoff).toISOString().slice(0, 10);
    try {
      const purged = await schedule.purgeEndedBefore(cutoff);
      const sessions = purged.length;
      // Their reminders' finished keys say who was reminded of what: no longer needed, since
      // nothing can enqueue a reminder for a session that is gone.
      if (sessions > 0) await this.deps.jobs.forgetFinished((key) => purged.some((id) => keyNames(key, id)));
      const timerCount = await timers.purgeBefore(cutoff);
      const erased = await rotations.purgeBefore(cutoffDate);
      const attendance = await this.deps.attendance.purgeBefore(cutoff);
      const report = { sessions, timers: timerCount, rotations: erased.rotations, invites: erased.invites, attendance };
      logger.info('retention.purged', {
        count: sessions + timerCount + erased.rotations + erased.invites + attendance,
      });
      return report;
    } catch (error) {
      logger.warn('retention.failed', { code: errorCode(error) });
      throw error;
    }
  }
}
