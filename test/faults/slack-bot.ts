// The Slack bot for the fault tests: the real server (runServer) on a SQLite file, a fake Web
// API on loopback that records every call and fails on request, signed slash commands, and a
// compressed clock (config.testClock) so that phases and reminders come due within seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinoLogger } from '../../src/adapters/log/pino-logger.js';
import { runServer, type RunningServer } from '../../src/app/run-server.js';
import {
  BOT_TOKEN,
  FakeSlack,
  sendSigned,
  SIGNING_SECRET,
  slackServerConfig,
  slashBody,
  type Call,
} from '../adapters/slack/fake-slack.js';
import { LogSink } from '../support/harness.js';

export interface FaultBot {
  fake: FakeSlack;
  server: RunningServer;
  logs: LogSink;
  storePath: string;
  /** Simulated now, as the bot's clock has it. */
  now(): number;
  /** Real epoch ms at which the bot's clock reads `sim`. */
  realOf(sim: number): number;
  /** Simulated time of a real instant. */
  simOf(real: number): number;
  /**
   * `/balint <text>` by `user` in `channel`; resolves with the private answer's text (or '' when
   * `answered` is false).
   */
  command(user: string, text: string, channel?: string, answered?: boolean): Promise<string>;
  /** Delivered chat.postMessage calls to `channel`, with their heading. */
  postsTo(channel: string): Array<Call & { heading: string }>;
  events(name: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export const heading = (call: Call): string => /^\*(.+?)\*/.exec(String(call.params.text ?? ''))?.[1] ?? '';

export interface FaultBotOptions {
  speed: number;
  timeoutMs?: number;
  /** Another store than the SQLite file in a fresh directory (a private Redis, say). */
  storeUrl?: string;
  storePrefix?: string;
}

export async function startFaultBot(options: FaultBotOptions): Promise<FaultBot> {
  const dir = mkdtempSync(join(tmpdir(), 'balint-faults-'));
  const storePath = join(dir, 'balint.sqlite');
  const fake = new FakeSlack({ directChannelPerUser: true });
  await fake.start();
  const logs = new LogSink();
  const origin = Date.now();
  const config = slackServerConfig(fake, {
    storeUrl: options.storeUrl ?? `sqlite://${storePath}`,
    ...(options.storePrefix ? { storePrefix: options.storePrefix } : {}),
    defaultTimeZone: 'UTC',
    testClock: { speed: options.speed, origin },
    ...(options.timeoutMs
      ? { slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, timeoutMs: options.timeoutMs } }
      : {}),
  });
  const server = await runServer(config, createPinoLogger('debug', logs));
  const simOf = (real: number) => origin + (real - origin) * options.speed;
  return {
    fake,
    server,
    logs,
    storePath,
    now: () => simOf(Date.now()),
    simOf,
    realOf: (sim) => origin + (sim - origin) / options.speed,
    async command(user, text, channel = 'C0001', answered = true) {
      const body = slashBody(fake, { user_id: user, text, channel_id: channel });
      const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
      const sent = await sendSigned(server.port, 'slash-command', body);
      if (sent.status !== 200) throw new Error(`the command was refused with ${sent.status}`);
      if (!answered) return '';
      await fake.until(() => fake.hooks.some((h) => h.path === hook), 20_000);
      return fake.hooks
        .filter((h) => h.path === hook)
        .map((h) => String(h.body.text))
        .join('\n');
    },
    postsTo(channel) {
      return fake.calls
        .filter(
          (c) =>
            c.method === 'chat.postMessage' &&
            c.params.channel === channel &&
            (c.answer as { ok?: boolean } | undefined)?.ok === true,
        )
        .map((c) => ({ ...c, heading: heading(c) }));
    },
    events(name) {
      return logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === name);
    },
    async stop() {
      await server.stop();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `HH:MM` and the date of a whole simulated minute at least `minutes` from now, in UTC. */
export function wholeMinuteAfter(now: number, minutes: number): { start: number; date: string; time: string } {
  const start = Math.ceil((now + minutes * 60_000) / 60_000) * 60_000;
  const iso = new Date(start).toISOString();
  return { start, date: iso.slice(0, 10), time: iso.slice(11, 16) };
}
