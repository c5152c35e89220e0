// Redis gone for 20 real seconds under a running timer: the server is stopped (SIGTERM, its
// append-only file keeps the data) while a facilitator presses Next, and started again on the
// same port. The Next is answered with the storage message, leaves nothing behind, and the timer
// carries on once Redis is back (store-outage.ts says what must hold).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/commands/plumbing/run-logged.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { runPrefix } from '../support/services.js';
import { startFaultBot, type FaultBot } from './slack-bot.js';
import { OUTAGE_SPEED, runOutage, setUpGroup } from './store-outage.js';

let redis: PrivateRedis;
let bot: FaultBot;

beforeAll(async () => {
  redis = await startPrivateRedis({ persist: true });
  bot = await startFaultBot({ speed: OUTAGE_SPEED, storeUrl: redis.url, storePrefix: runPrefix() });
  await setUpGroup(bot);
});

afterAll(async () => {
  await bot?.stop();
  await redis?.close();
});

describe('Redis is stopped for 20 s under a running timer', () => {
  it('answers the Next with the storage message, and the timer carries on once Redis is back', async () => {
    const figures = await runOutage(bot, { begin: () => redis.stop(), end: () => redis.start() });
    process.stdout.write(`store-gone-redis: ${JSON.stringify({ ...figures, answer: undefined })}\n`);
    expect(figures.answer).toContain(STORE_UNAVAILABLE_MESSAGE);
    expect(figures.lateEvents).toBe(0);
  }, 80_000);
});
