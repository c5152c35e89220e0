// Data rights: `forget` erases one person from everything the bot keeps. Each service takes
// its own records out (roster, sessions, rotations, calendar feeds), each document under its
// own lock; then the person's pending messages are cancelled through the job queue and the
// finished job keys that name them are dropped. What is left says nothing about them.
//
// Order matters: the person leaves their groups first, so a reminder or invite that fires in
// the middle finds them in no group and sends nothing.
import type { AttendanceService } from './attendance/service.js';
import type { UserId } from './plumbing/ids.js';
import type { Job, JobQueue, Json } from './jobs/queue.js';
import type { Logger } from './ports.js';
import type { Roster } from './roster.js';
import type { RotationService } from './rotations/service.js';
import type { CalendarFeeds } from './schedule/feeds.js';
import type { ScheduleService } from './schedule/service.js';

export interface ForgetReport {
  /** Groups the person was taken out of. */
  groups: number;
  /** `configured`: a coordinator from BALINT_COORDINATORS, which only the configuration can change. */
  coordinator: 'removed' | 'configured' | 'none';
  /** RSVP answers removed from sessions. */
  answers: number;
  rotations: number;
  /** Invite records of their rotations (what the post-rotation invite remembered). */
  invites: number;
  calendarLinks: number;
  /** Attendance marks of theirs (who marked others' goes too). */
  attendance: number;
  /** Reminders, notices, invites and digests that had not gone out yet. */
  pendingMessages: number;
  /** Records kept by adapters (Teams conversation references, for example). */
  other: number;
}

/** An adapter's own per-person records: erase them, return how many. */
export type Eraser = (user: UserId) => Promise<number>;

export interface DataRightsDeps {
  roster: Roster;
  schedule: ScheduleService;
  rotations: RotationService;
  calendars: CalendarFeeds;
  attendance: AttendanceService;
  jobs: JobQueue;
  logger: Logger;
}

/** Whether a job key names `user` as one of its colon-separated parts (ids hold colons too). */
export function keyNames(key: string, user: UserId): boolean {
  return key === user || key.startsWith(`${user}:`) || key.endsWith(`:${user}`) || key.includes(`:${user}:`);
}

function payloadNames(value: Json, user: UserId): boolean {
  if (typeof value === 'string') return value === user;
  if (Array.isArray(value)) return value.some((v) => payloadNames(v, user));
  if (value && typeof value === 'object') return Object.values(value).some((v) => payloadNames(v, user));
  return false;
}

export const jobNames = (job: Job, user: UserId): boolean =>
  keyNames(job.idempotencyKey, user) || payloadNames(job.payload, user);

/** What `forget` would erase, read without changing anything (the confirmation shows it). */
export interface ForgetPreview {
  groups: number;
  coordinator: boolean;
  rotations: number;
  pendingMessages: number;
}

export const previewIsEmpty = (p: ForgetPreview): boolean =>
  !p.coordinator && p.groups === 0 && p.rotations === 0 && p.pendingMessages === 0;

export class DataRights {
  private readonly erasers: Eraser[] = [];

  constructor(private readonly deps: DataRightsDeps) {}

  /** Adapters that keep per-person records of their own register here. */
  onForget(eraser: Eraser): void {
    this.erasers.push(eraser);
  }

  /**
   * The main things the person is part of. Answers, attendance marks and a calendar link are
   * left out: they are only reachable through a group, so a person in none has at most leftovers.
   */
  async preview(user: UserId): Promise<ForgetPreview> {
    const { roster, rotations, jobs } = this.deps;
    const access = await roster.access(user);
    const pending = (await jobs.pending()).filter((job) => jobNames(job, user)).length;
    return {
      groups: access.roles.size,
      coordinator: access.coordinator,
      rotations: (await rotations.forStudent(user)).length,
      pendingMessages: pending,
    };
  }

  async forget(user: UserId): Promise<ForgetReport> {
    const { roster, schedule, rotations, calendars, jobs, logger } = this.deps;
    const { groups, coordinator } = await roster.forget(user);
    const answers = await schedule.forget(user);
    const erased = await rotations.forget(user);
    const calendarLinks = await calendars.forget(user);
    const attendance = await this.deps.attendance.forget(user);
    let pendingMessages = 0;
    for (const job of await jobs.pending()) {
      if (jobNames(job, user) && (await jobs.cancel(job.idempotencyKey))) pendingMessages++;
    }
    await jobs.forgetFinished((key) => keyNames(key, user));
    let other = 0;
    for (const erase of this.erasers) other += await erase(user);
    const report: ForgetReport = {
      groups,
      coordinator,
      answers,
      rotations: erased.rotations,
      invites: erased.invites,
      calendarLinks,
      attendance,
      pendingMessages,
      other,
    };
    // Counts only: the log must not say whom, or the erasure would live on in it.
    logger.info('rights.forgotten', {
      count:
        groups + answers + erased.rotations + erased.invites + calendarLinks + attendance + pendingMessages + other,
    });
    return report;
  }
}
