// Builds the bot's services from its ports. main.ts calls it with the real adapters; tests call
// it with a memory store, a fake clock and a recording chat.
import type { Services } from '../commands/plumbing/spec.js';
import type { UserId } from '../core/plumbing/ids.js';
import { PaceDigest } from '../core/attendance/pace-digest.js';
import { AttendanceService } from '../core/attendance/service.js';
import { SurveyService } from '../core/attendance/survey-service.js';
import { JobQueue, type JobCoordination } from '../core/jobs/queue.js';
import { DataRights } from '../core/forget.js';
import type { ChatPort, Clock, Locks, Logger, RateLimits, Store } from '../core/ports.js';
import type { RateBudget } from '../core/plumbing/rate-budget.js';
import { Retention } from '../core/retention.js';
import { RoomLinks } from '../core/room/links.js';
import { Roster } from '../core/roster.js';
import { scheduleSessions } from '../core/rotations/schedule-sessions.js';
import { RotationService } from '../core/rotations/service.js';
import type { RotationSettings } from '../core/rotations/settings.js';
import { CalendarFeeds } from '../core/schedule/feeds.js';
import { ScheduleService } from '../core/schedule/service.js';
import { TimerService } from '../core/timer/service.js';

export interface AppPorts {
  store: Store;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  coordinators: readonly UserId[];
  defaultTimeZone: string;
  refreshBudget?: RateBudget;
  /** Where a platform asked the bot to wait (adapters/platform/rate-pauses.ts). */
  rateLimits?: RateLimits;
  /** Several instances over one store (adapters/lease): shared locks and who runs the jobs. */
  cluster?: { locks: Locks; coordination: JobCoordination };
  /** Where people reach the HTTP server (calendar feed links); unset: no feeds. */
  publicUrl?: string;
  /** Post-rotation invites: invite time, window (defaults: 17:00, 14 days). */
  rotations?: Partial<RotationSettings>;
  /** Days sessions, timers and rotations are kept after they ended (default 365). */
  retentionDays?: number;
}

export interface App {
  services: Services;
  jobs: JobQueue;
  /** The daily purge of old data: call `arm()` once the job queue runs. */
  retention: Retention;
  /** The coordinators' weekly below-pace digest: call `arm()` once the job queue runs. */
  paceDigest: PaceDigest;
}

export function createApp(ports: AppPorts): App {
  const { store, chat, clock, logger } = ports;
  const jobs = new JobQueue({
    store,
    clock,
    logger,
    ...(ports.cluster ? { coordination: ports.cluster.coordination } : {}),
  });
  const roster = new Roster(store, ports.coordinators);
  const timers = new TimerService({
    store,
    roster,
    chat,
    jobs,
    clock,
    logger,
    ...(ports.refreshBudget ? { refreshBudget: ports.refreshBudget } : {}),
    ...(ports.rateLimits ? { rateLimits: ports.rateLimits } : {}),
    ...(ports.cluster ? { locks: ports.cluster.locks } : {}),
  });
  const schedule = new ScheduleService({ store, chat, jobs, clock, logger, roster });
  const attendance = new AttendanceService({ store, roster, schedule, chat, jobs, clock, logger });
  timers.onSessionEnded(async (ended) => {
    const timer = await timers.get(ended.timerId);
    await attendance.sessionEnded({
      id: ended.timerId,
      groupId: ended.groupId,
      startedAt: timer?.events[0]?.at ?? ended.at,
    });
  });
  const paceDigest = new PaceDigest({
    attendance,
    roster,
    chat,
    jobs,
    clock,
    logger,
    zone: ports.defaultTimeZone,
  });
  const surveys = new SurveyService({ store, roster, schedule, chat, jobs, clock, logger });
  schedule.onScheduled((groupId) => surveys.sync(groupId));
  const calendars = new CalendarFeeds({ store, roster, schedule, clock }, ports.publicUrl);
  const rotations = new RotationService({
    store,
    chat,
    jobs,
    clock,
    logger,
    roster,
    sessions: scheduleSessions(schedule, calendars),
    defaultTimeZone: ports.defaultTimeZone,
    ...(ports.rotations ? { settings: ports.rotations } : {}),
  });
  schedule.onScheduled((groupId) => rotations.onSessionScheduled(groupId));
  const rights = new DataRights({ roster, schedule, rotations, calendars, attendance, jobs, logger });
  const retention = new Retention({
    schedule,
    timers,
    rotations,
    attendance,
    jobs,
    clock,
    logger,
    ...(ports.retentionDays ? { retentionDays: ports.retentionDays } : {}),
  });
  return {
    services: {
      roster,
      timers,
      schedule,
      calendars,
      rooms: new RoomLinks({ store, clock }, ports.publicUrl),
      rotations,
      attendance,
      surveys,
      rights,
      clock,
      logger,
      defaultTimeZone: ports.defaultTimeZone,
    },
    jobs,
    retention,
    paceDigest,
  };
}
