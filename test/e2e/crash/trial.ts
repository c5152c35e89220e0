// One crash trial: a group is set up through signed Slack requests on a bot running at real
// speed (a session scheduled with reminders, three students whose rotation ends today, a
// running phase timer). Then the same store is served by bots on a compressed clock that
// continues that time line, and each is killed with SIGKILL at a seeded random moment and
// restarted with the same environment, until everything planned has come due. What comes back
// is the fake Slack's record, every process's log lines, and the store as the last bot left it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { SqliteStore } from '../../../src/adapters/store/sqlite-store.js';
import {
  BOT_TOKEN,
  FakeSlack,
  sendSigned,
  SIGNING_SECRET,
  slashBody,
  type Call,
} from '../../adapters/slack/fake-slack.js';
import { startBotProcess, type BotProcess, type LogLine } from '../../support/bot-process.js';

export const TEAM = 'T0001';
export const CHANNEL = 'C0001';
export const COORDINATOR = 'U0001';
export const LEADER = 'U0002';
export const STUDENTS = ['U0003', 'U0004', 'U0005'] as const;
export const GROUP = 'Crash Group';
/** Minutes before the session; the shortest gaps (5 min) are where a restart makes one stale. */
export const REMINDER_OFFSETS = [20, 10, 5] as const;
const MINUTE = 60_000;

/** A small seeded PRNG (mulberry32): the same seed gives the same kill moments. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface TrialOptions {
  seed: number;
  /** Simulated seconds per real second once the trial starts. */
  speed: number;
  kills: number;
}

export interface Run {
  /** setup: real speed, stopped cleanly; killed: SIGKILL at `endedAt`; last: stopped cleanly. */
  how: 'setup' | 'killed' | 'last';
  startedAt: number;
  readyAt: number;
  endedAt: number;
  logs: LogLine[];
  /** stderr that was not a log line (a stack trace would land here). */
  otherOutput: string[];
}

export interface TrialRecord {
  options: TrialOptions;
  /** Real epoch ms from which the compressed clock runs: sim(t) = origin + (t − origin) × speed. */
  origin: number;
  sessionStart: number;
  inviteAt: number;
  /** Simulated time by which everything planned has come due. */
  end: number;
  calls: Call[];
  runs: Run[];
  store: Record<string, Record<string, unknown>>;
  realMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE) * MINUTE;
const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' });

/** Store namespaces the checks read back. */
const NAMESPACES = ['timers', 'channel-timers', 'jobs', 'jobs-done', 'sessions', 'rotation-invites'];

export async function runTrial(options: TrialOptions): Promise<TrialRecord> {
  const began = Date.now();
  const random = prng(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'balint-crash-'));
  const fake = new FakeSlack({ directChannelPerUser: true });
  await fake.start();
  const runs: Run[] = [];
  const storePath = join(dir, 'balint.sqlite');
  let bot: BotProcess | undefined;
  try {
    const base = {
      NODE_ENV: 'test',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      STORE_URL: `sqlite://${storePath}`,
      BALINT_COORDINATORS: `slack:${TEAM}:${COORDINATOR}`,
      BALINT_DEFAULT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
    };
    // Setup at real speed. The trial's clock starts about now plus the rest of the setup; the
    // session and the invite are placed on that estimate (whole minutes, as people type them).
    const setup = await startBotProcess('setup', { ...base, BALINT_ROTATION_INVITE_TIME: '23:59' });
    const estimate = Date.now() + 1_500;
    const sessionStart = ceilMinute(estimate + 38 * MINUTE);
    const plannedInvite = ceilMinute(estimate + 6 * MINUTE);
    const command = async (user: string, text: string, answered = true) => {
      const body = slashBody(fake, { user_id: user, text, channel_id: CHANNEL, team_id: TEAM });
      const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
      const sent = await sendSigned(setup.port, 'slash-command', body);
      if (sent.status !== 200) throw new Error(`setup command refused with ${sent.status}`);
      if (!answered) return '';
      await fake
        .until(() => fake.hooks.some((h) => h.path === hook), 10_000)
        .catch((error: unknown) => {
          throw new Error(
            `setup: no answer (${String(error)}); logs: ${setup.lines.map((l) => l.event).join(' ')} ${setup.otherOutput.join('').slice(0, 300)}`,
          );
        });
      return String(fake.hooks.find((h) => h.path === hook)?.body.text ?? '');
    };
    const expectAnswer = async (user: string, text: string, wanted: string) => {
      const answer = await command(user, text);
      if (!answer.includes(wanted))
        throw new Error(`setup: "${text}" answered without "${wanted}": ${answer.slice(0, 200)}`);
    };
    const endDate = utc(plannedInvite).toFormat('yyyy-MM-dd');
    const startDate = utc(plannedInvite).minus({ weeks: 4 }).toFormat('yyyy-MM-dd');
    await expectAnswer(COORDINATOR, `group create ${GROUP} program PA tz UTC preset 45`, 'Group created');
    await expectAnswer(COORDINATOR, `group add ${GROUP} <@${LEADER}> as leader`, 'leader');
    await expectAnswer(COORDINATOR, `group add ${GROUP} ${STUDENTS.map((s) => `<@${s}>`).join(' ')}`, 'Added');
    await expectAnswer(
      COORDINATOR,
      `group set ${GROUP} reminders ${REMINDER_OFFSETS.map((m) => `${m}m`).join(',')}`,
      GROUP,
    );
    for (const student of STUDENTS)
      await expectAnswer(
        COORDINATOR,
        `rotation add <@${student}> Family Medicine ${startDate} ${endDate}`,
        'Rotation added',
      );
    // Strict pacing: once there is a case, every phase ends on the clock, so the restarts meet
    // phase boundaries, warnings and the end.
    await expectAnswer(COORDINATOR, `group set ${GROUP} pacing strict`, GROUP);
    await expectAnswer(COORDINATOR, `schedule ${GROUP} ${utc(sessionStart).toFormat('yyyy-MM-dd HH:mm')}`, GROUP);
    await command(LEADER, 'start', false); // answered in the channel: the opening and the card
    await fake.until(
      () => fake.callsOf('chat.postMessage').some((c) => JSON.stringify(c.params.blocks ?? []).includes('timer:next')),
      10_000,
    );
    await command(LEADER, 'next', false); // we have a case: the presentation, and a fresh card
    await fake.until(
      () =>
        fake.callsOf('chat.postMessage').filter((c) => JSON.stringify(c.params.blocks ?? []).includes('timer:next'))
          .length >= 2,
      10_000,
    );
    // The setup is not under test: let the start command's bookkeeping settle before stopping.
    await settled(storePath);
    await setup.stop();
    runs.push({
      how: 'setup',
      startedAt: setup.startedAt,
      readyAt: setup.readyAt,
      endedAt: Date.now(),
      logs: setup.lines,
      otherOutput: setup.otherOutput,
    });

    // The trial: a compressed clock that continues the setup's time line from `origin`.
    const origin = Date.now();
    const { speed } = options;
    const realOf = (sim: number) => origin + (sim - origin) / speed;
    // The invite time is read at start-up, so it can follow the real origin (a slow setup on a
    // busy machine would otherwise eat the minutes before it); the end date was set in the setup.
    const onTime = ceilMinute(origin + 5 * MINUTE);
    const inviteAt = utc(onTime).toFormat('yyyy-MM-dd') === endDate ? onTime : plannedInvite;
    const env = {
      ...base,
      BALINT_TEST_CLOCK_SPEED: String(speed),
      BALINT_TEST_CLOCK_ORIGIN: String(origin),
      BALINT_ROTATION_INVITE_TIME: utc(inviteAt).toFormat('HH:mm'),
    };
    const timerStart = setup.lines.find((l) => l.event === 'timer.started');
    const startedAt = timerStart ? Date.parse(timerStart.time) : origin;
    const end = Math.max(startedAt + 45 * MINUTE, sessionStart, inviteAt + MINUTE) + MINUTE;
    const span = realOf(end) - origin;
    const killAt = Array.from({ length: options.kills }, () => origin + (0.03 + 0.9 * random()) * span).sort(
      (a, b) => a - b,
    );

    bot = await startBotProcess('trial', env);
    for (const at of killAt) {
      // A moment that fell while the bot was still starting: kill it soon after it is up.
      await sleep(at > Date.now() ? at - Date.now() : random() * 1_000);
      const killedAt = await bot.kill9();
      runs.push({
        how: 'killed',
        startedAt: bot.startedAt,
        readyAt: bot.readyAt,
        endedAt: killedAt,
        logs: bot.lines,
        otherOutput: bot.otherOutput,
      });
      bot = undefined;
      bot = await startBotProcess('trial', env);
    }
    await sleep(realOf(end) - Date.now());
    // On a busy machine the last restart may come late: let the last bot work off what came due.
    await drained(storePath, end);
    await sleep(300); // the card's last update and the bookkeeping after the closing
    await bot.stop();
    runs.push({
      how: 'last',
      startedAt: bot.startedAt,
      readyAt: bot.readyAt,
      endedAt: Date.now(),
      logs: bot.lines,
      otherOutput: bot.otherOutput,
    });
    bot = undefined;

    const dump = await readStore(storePath);
    return {
      options,
      origin,
      sessionStart,
      inviteAt,
      end,
      calls: [...fake.calls],
      runs,
      store: dump,
      realMs: Date.now() - began,
    };
  } finally {
    await bot?.kill9();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The namespaces the checks need, read from the SQLite file (a running bot may hold it too). */
async function readStore(path: string): Promise<Record<string, Record<string, unknown>>> {
  const store = new SqliteStore(path);
  const dump: Record<string, Record<string, unknown>> = {};
  try {
    for (const namespace of NAMESPACES) {
      const docs: Record<string, unknown> = {};
      for await (const [key, value] of store.entries(namespace)) docs[key] = value;
      dump[namespace] = docs;
    }
  } finally {
    await store.close();
  }
  return dump;
}

/** Waits until the timer's card handle is in the store. */
async function settled(path: string): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    const timers = Object.values((await readStore(path)).timers ?? {}) as Array<{ card?: unknown }>;
    if (timers.some((t) => t.card)) return;
    if (Date.now() > end) throw new Error('setup: the timer card was never stored');
    await sleep(50);
  }
}

/** Waits (up to 30 s) until no job that came due by `end` is pending (the retention purge aside). */
async function drained(path: string, end: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const pending = Object.values((await readStore(path)).jobs ?? {}) as Array<{ dueAt: number; kind: string }>;
    if (!pending.some((job) => job.dueAt <= end && !job.kind.startsWith('retention'))) return;
    if (Date.now() > until) return; // the checks will name what is left
    await sleep(100);
  }
}
