// The SQLite file unusable for 20 real seconds under a running timer: another connection holds
// it with BEGIN EXCLUSIVE (as in store-locked.test.ts) while a facilitator presses Next. The Next
// waits out the bot's busy timeout and is answered with the storage message, leaves nothing
// behind, and the timer carries on once the lock is gone (store-outage.ts says what must hold).
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/commands/plumbing/run-logged.js';
import { startFaultBot, type FaultBot } from './slack-bot.js';
import { OUTAGE_SPEED, runOutage, setUpGroup } from './store-outage.js';

let bot: FaultBot;

const open = (path: string) =>
  new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)));
  });
const exec = (db: sqlite3.Database, sql: string) =>
  new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

beforeAll(async () => {
  bot = await startFaultBot({ speed: OUTAGE_SPEED });
  await setUpGroup(bot);
});

afterAll(async () => {
  await bot?.stop();
});

describe('the SQLite file is locked for 20 s under a running timer', () => {
  it('answers the Next with the storage message, and the timer carries on once the lock is gone', async () => {
    let locker: sqlite3.Database | undefined;
    const figures = await runOutage(bot, {
      begin: async () => {
        locker = await open(bot.storePath);
        await exec(locker, 'PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE');
      },
      end: async () => {
        if (!locker) return;
        await exec(locker, 'ROLLBACK');
        await close(locker);
      },
    });
    process.stdout.write(`store-gone-sqlite: ${JSON.stringify({ ...figures, answer: undefined })}\n`);
    expect(figures.answer).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(figures.lateEvents).toBe(0);
  }, 80_000);
});
