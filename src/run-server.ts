// The bot as a service: Slack and/or Teams on one HTTP server, over the configured store.
import cron from 'node-cron';
import { systemClock } from './adapters/clock/system-clock.js';
import { createHttpServer, listen, type Route } from './adapters/http/server.js';
import type { PlatformAdapter } from './adapters/platform.js';
import { RoutingChat } from './adapters/routing-chat.js';
import { openStore } from './adapters/store/open-store.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './core/ports.js';

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export async function runServer(config: Config, logger: Logger): Promise<RunningServer> {
  const store = openStore(config.storeUrl);
  const adapters: PlatformAdapter[] = [];
  // Each configured platform adds its adapter here (Slack: src/adapters/slack, Teams: src/adapters/teams).

  const chat = new RoutingChat(Object.fromEntries(adapters.map((a) => [a.platform, a.chat])));
  const { services, jobs } = createApp({
    store,
    chat,
    clock: systemClock,
    logger,
    coordinators: config.coordinators ?? [],
    defaultTimeZone: config.defaultTimeZone,
  });
  const routes: Route[] = [];
  for (const adapter of adapters) routes.push(...(await adapter.connect(services)));
  await jobs.start();
  // The safety net behind the job queue's own timer: once a minute, run anything overdue.
  const sweep = cron.schedule('* * * * *', () => void jobs.sweep());
  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.port);
  logger.info('bot.start', { platform: adapters.map((a) => a.platform).join('+') || 'none', store: config.storeUrl.split(':')[0], count: port });

  return {
    port,
    async stop() {
      await sweep.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const adapter of adapters) await adapter.stop();
      await jobs.stop();
      await store.close();
      logger.info('bot.stop', {});
    },
  };
}
