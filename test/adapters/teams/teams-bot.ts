// The bot with its Teams adapter on a real loopback HTTP server, a memory store, a fake clock
// and instant sleeps, talking to a FakeConnector. Activities come from the fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import { RoutingChat } from '../../../src/adapters/platform/routing-chat.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { createTeamsAdapter, type TeamsAdapter, type TeamsDeps } from '../../../src/adapters/teams/index.js';
import type { TeamsConfig } from '../../../src/adapters/teams/config.js';
import { createApp, type App } from '../../../src/app/compose.js';
import { FakeClock } from '../../support/fake-clock.js';
import { dumpStore, LogSink } from '../../support/harness.js';
import { FakeConnector } from './fake-connector.js';

export const TENANT = '00000000-0000-0000-0000-000000000001';
export const BOT = '28:00000000-0000-0000-0000-0000000000b1';
export const member = (n: number) => `29:1UsEr${'0'.repeat(61)}${n}`;
export const aad = (n: number) => `00000000-0000-0000-0000-00000000a00${n}`;
export const user = (n: number) => `teams:${TENANT}:${aad(n)}`;
export const CHANNEL = '19:00000000000000000000000000000002@thread.tacv2';
export const GENERAL = '19:00000000000000000000000000000001@thread.tacv2';
export const personalChat = (n: number) => `a:1PeRsOnAl${'0'.repeat(59)}${n}`;

type Activity = Record<string, unknown> & { conversation: Record<string, unknown>; from: Record<string, unknown> };

let sent = 0;
/**
 * A fixture as a new activity: the channel gives every activity its own id, and the bot acts on
 * an id once (replay-guard.ts), so each copy gets a fresh one. Sending one copy twice is a repeat.
 */
export function fixture(name: string): Activity {
  const activity = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'teams', `${name}.json`), 'utf8'),
  ) as Activity;
  return { ...activity, id: `${String(activity.id)}-${++sent}` };
}

export interface TeamsBot {
  connector: FakeConnector;
  adapter: TeamsAdapter;
  app: App;
  store: KeyvStore;
  clock: FakeClock;
  logs: LogSink;
  /** Every delay the pacer and the retries asked for (they do not really sleep). */
  sleeps: number[];
  /** POSTs an activity (its serviceUrl pointed at the fake connector). */
  send(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  raw(body: string): Promise<number>;
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTeamsBot(
  options: { config?: Partial<TeamsConfig>; coordinators?: string[]; specs?: TeamsDeps['specs'] } = {},
): Promise<TeamsBot> {
  const connector = new FakeConnector();
  await connector.start();
  const store = new KeyvStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 15, 15, 0, 0));
  const logs = new LogSink();
  const logger = createPinoLogger('debug', logs);
  const sleeps: number[] = [];
  let virtual = 0;
  const timing = {
    // The fake clock plus what the pacer and retries slept: pauses end when either moves on.
    now: () => clock.now() + virtual,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      virtual += ms;
    },
    random: () => 0.5,
  };
  const adapter = createTeamsAdapter(
    { appType: 'SingleTenant', ...options.config },
    { store, logger, clock, timing, ...(options.specs ? { specs: options.specs } : {}) },
  );
  const app = createApp({
    store,
    chat: new RoutingChat({ teams: adapter.chat }),
    clock,
    logger,
    coordinators: options.coordinators ?? [user(2)],
    defaultTimeZone: 'America/New_York',
  });
  const server: Server = createHttpServer(await adapter.connect(app.services), logger);
  const port = await listen(server, 0, '127.0.0.1');
  await app.jobs.start();
  const url = `http://127.0.0.1:${port}/api/messages`;
  return {
    connector,
    adapter,
    app,
    store,
    clock,
    logs,
    sleeps,
    async send(activity, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ ...activity, serviceUrl: connector.url }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async raw(body) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.text();
      return response.status;
    },
    snapshot: () => dumpStore(store),
    async stop() {
      await app.jobs.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.stop();
      await adapter.stop();
    },
  };
}

/** A typed message in the 1:1 chat of person `n`, from the personal fixture. */
export function personalMessage(n: number, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = fixture('message-personal');
  return {
    ...base,
    id: `17684892${n}${Math.floor(Math.random() * 1e6)}`,
    text,
    attachments: [],
    from: { ...base.from, id: member(n), aadObjectId: aad(n), name: `User ${n}` },
    conversation: { ...base.conversation, id: personalChat(n) },
    ...extra,
  };
}

/** `<at>Balint</at> <text>` in the team channel, from the channel fixture, typed by person `n`. */
export function channelMessage(n: number, text: string): Record<string, unknown> {
  const base = fixture('message-channel-mention');
  return {
    ...base,
    text: `<at>Balint</at> ${text}`,
    attachments: [],
    from: { ...base.from, id: member(n), aadObjectId: aad(n), name: `User ${n}` },
  };
}
