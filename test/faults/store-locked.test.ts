// The SQLite file stops taking writes: another connection holds it with BEGIN EXCLUSIVE (we run
// as root, so a chmod would not stop a write; a lock does, for real, in the driver the bot uses).
// Reads still work in WAL mode; every write waits out the bot's 10-second busy timeout and fails.
// The person whose command failed is told, the store keeps what it had, a running timer posts
// nothing twice and catches up once the lock is gone, and the file passes an integrity check.
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/commands/plumbing/run-logged.js';
import type { Timer } from '../../src/core/timer/service.js';
import { catchUpAnnouncement, announcementsBetween, timerState } from '../../src/core/timer/state.js';
import { phaseName, WARNING_TITLE, CLOSING_TITLE } from '../../src/core/texts.js';
import { startFaultBot, type FaultBot } from './slack-bot.js';

const SPEED = 60;
let bot: FaultBot;

function open(path: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)));
  });
}
const exec = (db: sqlite3.Database, sql: string) =>
  new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

async function groupsNow(): Promise<string> {
  const docs: Record<string, unknown> = {};
  for await (const [key, value] of (bot.server.store as KeyvStore).entries('groups')) docs[key] = value;
  return JSON.stringify(docs);
}

beforeAll(async () => {
  bot = await startFaultBot({ speed: SPEED });
  expect(await bot.command('U0001', 'group create Locked Group program PA tz UTC preset 45')).toContain(
    'Group created',
  );
  await bot.command('U0001', 'group add Locked Group <@U0002> as leader');
  await bot.command('U0001', 'group add Locked Group <@U0003>');
  // Strict pacing: after the case call, the phases end on the clock and their deadlines come due.
  await bot.command('U0001', 'group set Locked Group pacing strict');
});

const isLiveCard = (p: { params: Record<string, unknown> }) => JSON.stringify(p.params.blocks).includes('timer:next');
/** The announcements, without the live card re-posted under each of them. */
const announcementsTo = (channel: string) => bot.postsTo(channel).filter((p) => !isLiveCard(p));

afterAll(async () => {
  await bot?.stop();
});

describe('the SQLite file cannot be written', () => {
  it('tells the person, changes nothing, posts nothing twice, and carries on once it can write again', async () => {
    await bot.command('U0002', 'start Locked Group', 'C0001', false);
    await bot.fake.until(
      () => bot.postsTo('C0001').some((p) => JSON.stringify(p.params.blocks).includes('timer:next')),
      10_000,
    );
    await bot.command('U0002', 'next', 'C0001', false); // we have a case
    await bot.fake.until(() => announcementsTo('C0001').some((p) => p.heading === 'Presentation'), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const groupsBefore = await groupsNow();

    const locker = await open(bot.storePath);
    await exec(locker, 'PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE');
    const lockedAt = Date.now();
    let answer: string;
    try {
      // A coordinator adds someone while nothing can be written: after the busy timeout, an answer.
      answer = await bot.command('U0001', 'group add Locked Group <@U0004>');
      // Held a busy timeout longer: the timer's deadline claims, which queue behind the lock as
      // soon as it is taken, then time out while it is still held instead of slipping through
      // the moment it is released (which made this test depend on timing).
      await new Promise((r) => setTimeout(r, 11_000));
    } finally {
      await exec(locker, 'ROLLBACK');
      await close(locker);
    }
    const unlockedAt = Date.now();
    expect(unlockedAt - lockedAt).toBeGreaterThan(9_000); // the bot's busy timeout, waited out
    expect(answer).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(answer).not.toContain('Added');
    expect(await groupsNow()).toBe(groupsBefore);

    // The timer's deadlines came due during the lock: claims failed (nothing was sent without a
    // record), and once writes work again one catch-up post shows the phase it is now.
    // Which step hits the lock depends on where a tick was when the lock was taken: its claim
    // (job.claim-failed), or the write after its post (job.retry, job.error). Either way it failed.
    const lockFailures = ['job.claim-failed', 'job.retry', 'job.error'].flatMap((event) => bot.events(event));
    expect(lockFailures.length).toBeGreaterThan(0);
    const during = bot.postsTo('C0001').filter((p) => p.at > lockedAt + 200 && p.at < unlockedAt);
    expect(during).toEqual([]);
    await bot.fake.until(() => announcementsTo('C0001').some((p) => p.at > unlockedAt), 15_000);
    const timer = (await bot.server.store.get<Timer>(
      'timers',
      (await bot.server.store.get<string>('channel-timers', 'slack:T0001:C0001')) as string,
    )) as Timer;
    const plan = (timer.events[0] as { plan: { phases: Array<{ phase: Parameters<typeof phaseName>[0] }> } }).plan;
    const catchUp = announcementsTo('C0001').find((p) => p.at > unlockedAt);
    const dueThen = catchUpAnnouncement(
      announcementsBetween(timer.events, Number.NEGATIVE_INFINITY, bot.simOf(catchUp?.at ?? 0)),
    );
    const label =
      dueThen &&
      (dueThen.kind === 'closing'
        ? CLOSING_TITLE
        : dueThen.kind === 'warning'
          ? WARNING_TITLE
          : phaseName(plan.phases[dueThen.phaseIndex]?.phase ?? 'case-call'));
    expect(catchUp?.heading).toBe(label);
    expect(timerState(timer.events, bot.now())?.status).toBe('running');
    const headings = announcementsTo('C0001').map((p) => p.heading);
    expect(new Set(headings).size).toBe(headings.length);

    // The same command now works, and the file is sound.
    expect(await bot.command('U0001', 'group add Locked Group <@U0004>')).toContain('Added');
    const checker = await open(bot.storePath);
    try {
      expect(await all<{ integrity_check: string }>(checker, 'PRAGMA integrity_check')).toEqual([
        { integrity_check: 'ok' },
      ]);
    } finally {
      await close(checker);
    }
  }, 70_000);
});
