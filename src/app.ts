// Builds the bot's services from its ports. main.ts calls it with the real adapters; tests call
// it with a memory store, a fake clock and a recording chat.
import type { Services } from './commands/spec.js';
import type { UserId } from './core/ids.js';
import { JobQueue } from './core/jobs.js';
import type { ChatPort, Clock, Logger, Store } from './core/ports.js';
import type { RateBudget } from './core/rate-budget.js';
import { Roster } from './core/roster.js';
import { TimerService } from './core/timer/service.js';

export interface AppPorts {
  store: Store;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  coordinators: readonly UserId[];
  defaultTimeZone: string;
  refreshBudget?: RateBudget;
}

export interface App {
  services: Services;
  jobs: JobQueue;
}

export function createApp(ports: AppPorts): App {
  const { store, chat, clock, logger } = ports;
  const jobs = new JobQueue({ store, clock, logger });
  const roster = new Roster(store, ports.coordinators);
  const timers = new TimerService({ store, roster, chat, jobs, clock, logger, ...(ports.refreshBudget ? { refreshBudget: ports.refreshBudget } : {}) });
  return {
    services: { roster, timers, clock, logger, defaultTimeZone: ports.defaultTimeZone },
    jobs,
  };
}
