// Several bot instances in one process over one shared store (Redis or Postgres), each with its
// own connection, its own Coordinator and its own JobQueue, as separate processes would have.
// They share a fake clock for the bot's time (the lease keeps real time) and one recording chat.
import { Coordinator } from '../../src/adapters/lease/coordinator.js';
import type { SharedStore } from '../../src/adapters/store/shared-store.js';
import { createApp, type App } from '../../src/app/compose.js';
import { dispatch } from '../../src/commands/dispatch.js';
import { consoleUser } from '../../src/core/plumbing/ids.js';
import { silentLogger } from '../../src/core/plumbing/logger.js';
import type { Reply } from '../../src/core/cards.js';
import { FakeClock } from './fake-clock.js';
import { RecordingChat } from './recording-chat.js';
import { openShared } from './services.js';

export interface Instance {
  app: App;
  shared: SharedStore;
  coordinator: Coordinator;
  leads(): boolean;
}

export interface Cluster {
  clock: FakeClock;
  chat: RecordingChat;
  instances: Instance[];
  /** `/balint <text>` as console:<actor> in #general, on instance `i`. */
  run(i: number, actor: string, text: string): Promise<Reply[]>;
  leader(): Instance | undefined;
  /** Moves the fake clock and waits until every instance is quiet (network I/O takes real time). */
  advance(ms: number): Promise<void>;
  quiet(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startCluster(
  kind: 'redis' | 'postgres',
  prefix: string,
  count: number,
  leaseTtlMs: number,
): Promise<Cluster> {
  const clock = new FakeClock();
  const chat = new RecordingChat(() => clock.now());
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const shared = await openShared(kind, prefix);
    const coordinator = new Coordinator(shared, { prefix, logger: silentLogger, leaseTtlMs });
    const app = createApp({
      store: shared.store,
      chat,
      clock,
      logger: silentLogger,
      coordinators: ['console:coord'],
      defaultTimeZone: 'America/New_York',
      cluster: coordinator,
    });
    await coordinator.run(app.jobs);
    instances.push({ app, shared, coordinator, leads: () => coordinator.lease.fence() !== undefined });
  }
  const quiet = async () => {
    let last = '';
    for (let round = 0; round < 200; round++) {
      await sleep(15);
      await Promise.all(instances.map((i) => i.app.jobs.idle()));
      const now = `${chat.sent.length}/${clock.waiting}`;
      if (now === last) return;
      last = now;
    }
  };
  return {
    clock,
    chat,
    instances,
    quiet,
    run: (i, actor, text) =>
      dispatch((instances[i] as Instance).app.services, {
        actor: `console:${actor}`,
        place: 'console:#general',
        text,
        prefix: '/balint ',
        mention: (token) => (token.startsWith('@') ? consoleUser(token.slice(1)) : undefined),
      }),
    leader: () => instances.find((i) => i.leads()),
    advance: async (ms) => {
      await clock.advance(ms);
      await quiet();
    },
    close: async () => {
      for (const i of instances) {
        await i.coordinator.stop();
        await i.app.jobs.stop();
        await i.shared.store.close();
      }
    },
  };
}
