// The bot as a service: Slack and/or Teams on one HTTP server, over the configured store.
import cron from 'node-cron';
import { scaledClock } from '../adapters/clock/scaled-clock.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { calendarRoute } from '../adapters/http/calendar-route.js';
import { createHttpServer, listen, type Route } from '../adapters/http/server.js';
import type { PlatformAdapter } from '../adapters/platform/platform-adapter.js';
import { RoutingChat } from '../adapters/platform/routing-chat.js';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { Coordinator } from '../adapters/lease/coordinator.js';
import { openCheckedStore } from '../adapters/store/open-checked.js';
import { createApp } from './compose.js';
import type { Config } from './config.js';
import type { Logger, Store } from '../core/ports.js';
import { RateBudget } from '../core/plumbing/rate-budget.js';

export interface RunningServer {
  port: number;
  /** The store the bot runs on (tests compare it before and after a request). */
  store: Store;
  stop(): Promise<void>;
}

export async function runServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Redis or Postgres: several instances may share the store; only the lease holder runs jobs.
  // Checked within seconds: an unusable store stops the start with one line (StoreStartError).
  const { store, shared } = await openCheckedStore(config.storeUrl, config.storePrefix ?? 'balint', logger);
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
  if (config.slack) adapters.push(createSlackAdapter(config.slack, { logger }));
  // Loaded only when Teams is configured: botbuilder takes over a second to import, which a
  // Slack-only bot (and every restart after a crash) would otherwise pay for nothing.
  if (config.teams) {
    const { createTeamsAdapter } = await import('../adapters/teams/index.js');
    adapters.push(createTeamsAdapter(config.teams, { store, logger, clock }));
  }

  const chat = new RoutingChat(Object.fromEntries(adapters.map((a) => [a.platform, a.chat])));
  const { services, jobs, retention } = createApp({
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
    ...(coordinator ? { cluster: coordinator } : {}),
  });
  const routes: Route[] = [calendarRoute(services.calendars, logger)];
  for (const adapter of adapters) routes.push(...(await adapter.connect(services)));
  if (coordinator) await coordinator.run(jobs);
  else await jobs.start();
  // The daily purge of old data (core/retention.ts); a no-op when it is already armed.
  await retention.arm();
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
    async stop() {
      await sweep.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const adapter of adapters) await adapter.stop();
      await coordinator?.stop();
      await jobs.stop();
      await store.close();
      logger.info('bot.stop', {});
    },
  };
}
