// A bot core on a memory store and a fake clock, driven the way an adapter drives it.
import { Writable } from 'node:stream';
import { createPinoLogger } from '../../src/adapters/log/pino-logger.js';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { dispatch } from '../../src/commands/dispatch.js';
import type { Services } from '../../src/commands/spec.js';
import { plainText, type Reply } from '../../src/core/cards.js';
import { consoleUser, type UserId } from '../../src/core/ids.js';
import { Roster } from '../../src/core/roster.js';
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
  services: Services;
  /** Runs `/balint <text>` as `console:<actor>` in #general. */
  run(actor: string, text: string): Promise<Reply[]>;
  /** The same, as plain text. */
  say(actor: string, text: string): Promise<string>;
  /** Every stored document, serialised: compare before and after to prove nothing changed. */
  snapshot(): Promise<string>;
}

export function createHarness(coordinators: UserId[] = ['console:coord']): Harness {
  const store = new KeyvStore();
  const clock = new FakeClock();
  const logs = new LogSink();
  const services: Services = {
    roster: new Roster(store, coordinators),
    clock,
    logger: createPinoLogger('debug', logs),
    defaultTimeZone: 'America/New_York',
  };
  const run = (actor: string, text: string) =>
    dispatch(services, {
      actor: `console:${actor}`,
      place: 'console:#general',
      text,
      prefix: '/balint ',
      mention: (token) => (token.startsWith('@') ? consoleUser(token.slice(1)) : undefined),
    });
  return {
    store,
    clock,
    logs,
    services,
    run,
    say: async (actor, text) => (await run(actor, text)).map((r) => plainText(r.card)).join('\n'),
    snapshot: () => dumpStore(store),
  };
}

export async function dumpStore(store: KeyvStore): Promise<string> {
  const all: Record<string, Record<string, unknown>> = {};
  for (const namespace of store.namespaces().sort()) {
    const docs: Record<string, unknown> = {};
    for await (const [key, value] of store.entries(namespace)) docs[key] = value;
    if (Object.keys(docs).length === 0) continue; // opened by a read, never written
    all[namespace] = Object.fromEntries(Object.entries(docs).sort(([a], [b]) => a.localeCompare(b)));
  }
  return JSON.stringify(all);
}
