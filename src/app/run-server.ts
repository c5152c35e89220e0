// The bot as a service: Slack and/or Teams on one HTTP server, over the configured store.
import cron from 'node-cron';
import { scaledClock } from '../adapters/clock/scaled-clock.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { calendarRoute } from '../adapters/http/calendar-route.js';
import { opsRoutes } from '../adapters/http/ops-routes.js';
import { Readiness } from '../adapters/http/readiness.js';
import { createHttpServer, listen, type Route } from '../adapters/http/server.js';
import type { PlatformAdapter } from '../adapters/platform/platform-adapter.js';
import { RoutingChat } from '../adapters/platform/routing-chat.js';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { Coordinator } from '../adapters/lease/coordinator.js';
import { countingChat } from '../adapters/metrics/counting-chat.js';
import { countingLogger } from '../adapters/metrics/counting-logger.js';
import { Metrics } from '../adapters/metrics/metrics.js';
import { onAuthChange } from '../adapters/platform/auth-health.js';
import { RatePauses } from '../adapters/platform/rate-pauses.js';
import { openCheckedStore } from '../adapters/store/open-checked.js';
import { createApp } from './compose.js';
import { startRoomDisplay } from './room-display.js';
import type { Config } from './config.js';
import type { Logger, Store } from '../core/ports.js';
import { RateBudget } from '../core/plumbing/rate-budget.js';
import { TICK_JOB } from '../core/timer/service.js';

export interface RunningServer {
  port: number;
  /** The store the bot runs on (tests compare it before and after a request). */
  store: Store;
  /** GET /readyz's checks: a platform that finds its credentials refused later reports here. */
  readiness: Readiness;
  stop(): Promise<void>;
}

export async function runServer(config: Config, baseLogger: Logger): Promise<RunningServer> {
  // GET /metrics counts the log events the code already writes, and every message sent.
  const metrics = new Metrics();
  const logger = countingLogger(baseLogger, metrics);
  const readiness = new Readiness();
  readiness.expect('jobs');
  // Redis or Postgres: several instances may share the store; only the lease holder runs jobs.
  // Checked within seconds: an unusable store stops the start with one line (StoreStartError).
  const { store, shared } = await openCheckedStore(config.storeUrl, config.storePrefix ?? 'balint', logger);
  // A read of a key nobody writes, in a namespace the bot has open anyway (no new connection).
  readiness.probe('store', async () => void (await store.get('groups', 'readyz-probe')));
  // Tests only (config.ts refuses it outside NODE_ENV=test): a compressed time line that a restart continues.
  const clock = config.testClock ? scaledClock(config.testClock.speed, Date.now, config.testClock.origin) : systemClock;
  const coordinator =
    shared &&
    new Coordinator(shared, {
      prefix: shared.prefix,
      logger,
      ...(config.leaseTtlMs ? { leaseTtlMs: config.leaseTtlMs } : {}),
    });
  const adapters: PlatformAdapter[] = [];
  // Each configured platform adds its adapter here (Slack: src/adapters/slack, Teams: src/adapters/teams).
  // A 429's Retry-After is a fact about a workspace, kept in the store for every instance: the
  // Slack adapter refuses sends there meanwhile and the timers skip their card refreshes.
  const ratePauses = new RatePauses({ store, clock, logger });
  if (config.slack) adapters.push(createSlackAdapter(config.slack, { logger, store, clock, pauses: ratePauses }));
  // Loaded only when Teams is configured: botbuilder takes over a second to import, which a
  // Slack-only bot (and every restart after a crash) would otherwise pay for nothing.
  if (config.teams) {
    const { createTeamsAdapter } = await import('../adapters/teams/index.js');
    adapters.push(createTeamsAdapter(config.teams, { store, logger, clock }));
  }

  for (const adapter of adapters) readiness.expect(`platform.${adapter.platform}`);
  const chat = countingChat(new RoutingChat(Object.fromEntries(adapters.map((a) => [a.platform, a.chat]))), metrics);
  const { services, jobs, retention, paceDigest } = createApp({
    store,
    chat,
    clock,
    logger,
    coordinators: config.coordinators ?? [],
    defaultTimeZone: config.defaultTimeZone,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.rotations ? { rotations: config.rotations } : {}),
    ...(config.retentionDays ? { retentionDays: config.retentionDays } : {}),
    // Slack's chat.update allows about 50 a minute per workspace, shared by every running timer.
    ...(config.slack ? { refreshBudget: new RateBudget(50) } : {}),
    rateLimits: ratePauses,
    ...(coordinator ? { cluster: coordinator } : {}),
  });
  metrics.readPendingFrom(async () => (await jobs.pending()).map((job) => job.kind), TICK_JOB);
  const room = await startRoomDisplay({
    services,
    clock,
    logger,
    clockRate: config.testClock?.speed ?? 1,
    ...(shared ? { signals: shared.roomSignals } : {}),
  });
  const routes: Route[] = [calendarRoute(services.calendars, logger), ...opsRoutes(readiness, metrics), ...room.routes];
  for (const adapter of adapters) {
    routes.push(...(await adapter.connect(services)));
    // Connected means the credentials were accepted (Slack's auth.test at start-up, for one).
    readiness.report(`platform.${adapter.platform}`, undefined);
  }
  // Credentials refused while running (a revoked token) make the instance not ready until a
  // call gets through again; deliveries wait meanwhile (adapters/platform/auth-health.ts).
  const stopAuthReports = onAuthChange((platform, problem) => readiness.report(`platform.${platform}`, problem));
  if (coordinator) await coordinator.run(jobs);
  else await jobs.start();
  // With several instances, a follower is ready too: it serves requests, the lease holder runs jobs.
  readiness.report('jobs', undefined);
  // The daily purge of old data (core/retention.ts); a no-op when it is already armed.
  await retention.arm();
  await paceDigest.arm();
  // The safety net behind the job queue's own timer: once a minute, run anything overdue.
  // Rotations: re-sync after an import made by the CLI, resolve emails, serve waiting students.
  // With several instances only the one running jobs does it, so the same email look-ups and
  // syncs are not made by every instance each minute.
  const pollRotations = () => {
    if (!coordinator || coordinator.lease.fence() !== undefined) void services.rotations.poll();
  };
  pollRotations();
  const sweep = cron.schedule('* * * * *', () => {
    void jobs.sweep();
    pollRotations();
  });
  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.port);
  logger.info('bot.start', {
    platform: adapters.map((a) => a.platform).join('+') || 'none',
    store: config.storeUrl.split(':')[0],
    count: port,
  });

  return {
    port,
    store,
    readiness,
    async stop() {
      stopAuthReports();
      await sweep.stop();
      // Open event streams would keep the server from closing.
      await room.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const adapter of adapters) await adapter.stop();
      await coordinator?.stop();
      await jobs.stop();
      await store.close();
      logger.info('bot.stop', {});
    },
  };
}
