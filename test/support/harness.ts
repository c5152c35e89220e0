// A bot core on a memory store and a fake clock, driven the way an adapter drives it.
import { Writable } from 'node:stream';
import { createPinoLogger } from '../../src/adapters/log/pino-logger.js';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { dispatch } from '../../src/commands/dispatch.js';
import type { Services } from '../../src/commands/plumbing/spec.js';
import { plainText, replyCard, type Reply } from '../../src/core/cards.js';
import { CLAIMS } from '../../src/core/plumbing/claim-once.js';
import { consoleUser, type UserId } from '../../src/core/plumbing/ids.js';
import { RecordingChat } from './recording-chat.js';
import { createApp, type AppPorts } from '../../src/app/compose.js';
import type { JobQueue } from '../../src/core/jobs/queue.js';
import type { PaceDigest } from '../../src/core/attendance/pace-digest.js';
import type { Retention } from '../../src/core/retention.js';
import type { ChatPort } from '../../src/core/ports.js';
import { FakeClock } from './fake-clock.js';

/** Captures every JSON line the real (pino) logger writes. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface Harness {
  store: KeyvStore;
  clock: FakeClock;
  logs: LogSink;
  readonly services: Services;
  /** The recording chat (when the harness made it). */
  chat: RecordingChat;
  readonly jobs: JobQueue;
  /** The daily purge of old data (not armed unless a test arms it). */
  readonly retention: Retention;
  /** The coordinators' weekly below-pace digest (not armed unless a test arms it). */
  readonly paceDigest: PaceDigest;
  /** Starts the job queue (timers need it). */
  start(): Promise<void>;
  /** Stops the bot as a crash would: nothing more runs until `restart`. */
  crash(): Promise<void>;
  /** A new bot process over the same store, chat and clock. */
  restart(): Promise<void>;
  /** Runs `/balint <text>` as `console:<actor>` in #general. */
  run(actor: string, text: string): Promise<Reply[]>;
  /** The same, as plain text. */
  say(actor: string, text: string): Promise<string>;
  /** Every stored document, serialised: compare before and after to prove nothing changed. */
  snapshot(): Promise<string>;
}

export function createHarness(
  coordinators: UserId[] = ['console:coord'],
  chatPort?: ChatPort,
  extra: Partial<AppPorts> = {},
): Harness {
  const store = new KeyvStore();
  const clock = new FakeClock();
  const logs = new LogSink();
  const chat = new RecordingChat(() => clock.now());
  const logger = createPinoLogger('debug', logs);
  const build = () =>
    createApp({
      store,
      chat: chatPort ?? chat,
      clock,
      logger,
      coordinators,
      defaultTimeZone: 'America/New_York',
      ...extra,
    });
  let app = build();
  const run = (actor: string, text: string) =>
    dispatch(app.services, {
      actor: `console:${actor}`,
      place: 'console:#general',
      text,
      prefix: '/balint ',
      mention: (token) => (token.startsWith('@') ? consoleUser(token.slice(1)) : undefined),
    });
  const harness: Harness = {
    store,
    clock,
    logs,
    get services() {
      return app.services;
    },
    chat,
    get jobs() {
      return app.jobs;
    },
    get retention() {
      return app.retention;
    },
    get paceDigest() {
      return app.paceDigest;
    },
    start: async () => {
      await app.jobs.start();
    },
    crash: async () => {
      await app.jobs.stop();
    },
    restart: async () => {
      await app.jobs.stop();
      app = build();
      await app.jobs.start();
      await clock.advance(0);
    },
    run,
    say: async (actor, text) => (await run(actor, text)).map((r) => plainText(replyCard(r))).join('\n'),
    snapshot: () => dumpStore(store),
  };
  return harness;
}

export async function dumpStore(store: KeyvStore): Promise<string> {
  const all: Record<string, Record<string, unknown>> = {};
  for (const namespace of store.namespaces().sort()) {
    // Which signed requests were accepted (replay protection): a record of the door, not of what
    // the bot holds; a refused or repeated request leaves none, which its own tests check.
    if (namespace === CLAIMS) continue;
    const docs: Record<string, unknown> = {};
    for await (const [key, value] of store.entries(namespace)) docs[key] = value;
    if (Object.keys(docs).length === 0) continue; // opened by a read, never written
    all[namespace] = Object.fromEntries(Object.entries(docs).sort(([a], [b]) => a.localeCompare(b)));
  }
  return JSON.stringify(all);
}
