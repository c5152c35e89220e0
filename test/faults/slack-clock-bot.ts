// The bot with its Slack adapter on a real loopback HTTP server, a memory store and a fake
// clock that the test moves by hand, talking to a FakeSlack: for fault tests that need an hour
// of simulated time without sleeping it (slack-bot.ts compresses real time instead). The
// adapter, the rate pauses and the job queue all read the one fake clock.
import type { Server } from 'node:http';
import { createHttpServer, listen } from '../../src/adapters/http/server.js';
import { createPinoLogger } from '../../src/adapters/log/pino-logger.js';
import { RatePauses } from '../../src/adapters/platform/rate-pauses.js';
import { RoutingChat } from '../../src/adapters/platform/routing-chat.js';
import { createSlackAdapter } from '../../src/adapters/slack/adapter.js';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { createApp, type App } from '../../src/app/compose.js';
import type { RotationSettings } from '../../src/core/rotations/settings.js';
import { RateBudget } from '../../src/core/plumbing/rate-budget.js';
import { FakeClock } from '../support/fake-clock.js';
import { LogSink } from '../support/harness.js';
import { BOT_TOKEN, FakeSlack, sendSigned, SIGNING_SECRET, slashBody } from '../adapters/slack/fake-slack.js';

export interface SlackClockBot {
  fake: FakeSlack;
  app: App;
  store: KeyvStore;
  clock: FakeClock;
  logs: LogSink;
  pauses: RatePauses;
  /**
   * `/balint <text>` by `user` in `channel`, signed; resolves once `done` holds (the command runs
   * after its acknowledgement), polling in real time for up to 10 s.
   */
  command(user: string, text: string, done: () => Promise<boolean>, channel?: string): Promise<void>;
  events(name: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startSlackClockBot(
  options: { start?: number; rotations?: Partial<RotationSettings> } = {},
): Promise<SlackClockBot> {
  const fake = new FakeSlack({ directChannelPerUser: true });
  await fake.start();
  const store = new KeyvStore();
  const clock = new FakeClock(options.start ?? Date.UTC(2026, 0, 15, 15, 0, 0));
  const logs = new LogSink();
  const logger = createPinoLogger('debug', logs);
  const pauses = new RatePauses({ store, clock, logger });
  const adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, timeoutMs: 2_000 },
    { logger, store, clock, pauses, identity: { botId: 'B0001', botUserId: 'U0999' } },
  );
  const app = createApp({
    store,
    chat: new RoutingChat({ slack: adapter.chat }),
    clock,
    logger,
    coordinators: ['slack:T0001:U0001'],
    defaultTimeZone: 'UTC',
    refreshBudget: new RateBudget(50),
    rateLimits: pauses,
    ...(options.rotations ? { rotations: options.rotations } : {}),
  });
  const server: Server = createHttpServer(await adapter.connect(app.services), logger);
  const port = await listen(server, 0, '127.0.0.1');
  await app.jobs.start();
  return {
    fake,
    app,
    store,
    clock,
    logs,
    pauses,
    async command(user, text, done, channel = 'C0001') {
      const body = slashBody(fake, { user_id: user, text, channel_id: channel });
      const sent = await sendSigned(port, 'slash-command', body);
      if (sent.status !== 200) throw new Error(`the command was refused with ${sent.status}`);
      const end = Date.now() + 10_000;
      while (!(await done())) {
        if (Date.now() > end)
          throw new Error(`\`${text}\` did not take effect: ${fake.hooks.map((h) => String(h.body.text)).join(' / ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await app.jobs.idle();
    },
    events(name) {
      return logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === name);
    },
    async stop() {
      await app.jobs.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.stop();
      await fake.stop();
    },
  };
}
