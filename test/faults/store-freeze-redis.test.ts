// A Redis server that freezes (accepts connections, answers nothing: a failover or a partition
// without a reset) for 20 real seconds under a running timer, while a facilitator presses Next.
// It must behave like a store that is gone: the Next is answered with the storage message
// within the store's 5-second deadline, and what Redis executes from its socket buffers when it
// wakes (it does, even for a client that has since disconnected) must not change the timer.
// A private redis-server, frozen with SIGSTOP: the machine's shared Redis is not touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/commands/plumbing/run-logged.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { runPrefix } from '../support/services.js';
import { startFaultBot, type FaultBot } from './slack-bot.js';
import { OUTAGE_SPEED, runOutage, setUpGroup } from './store-outage.js';

let redis: PrivateRedis;
let bot: FaultBot;

beforeAll(async () => {
  redis = await startPrivateRedis();
  bot = await startFaultBot({ speed: OUTAGE_SPEED, storeUrl: redis.url, storePrefix: runPrefix() });
  await setUpGroup(bot);
});

afterAll(async () => {
  redis?.thaw();
  await bot?.stop();
  await redis?.close();
});

describe('Redis freezes for 20 s under a running timer', () => {
  it('answers the Next with the storage message in time, and nothing it held lands when Redis wakes', async () => {
    const figures = await runOutage(bot, { begin: () => redis.freeze(), end: () => redis.thaw() });
    process.stdout.write(`store-freeze-redis: ${JSON.stringify({ ...figures, answer: undefined })}\n`);
    expect(figures.answer).toContain(STORE_UNAVAILABLE_MESSAGE);
    // The store's command deadline is 5 s; an answer then takes one more round trip to Slack.
    expect(figures.answerMs).toBeLessThan(6_500);
    expect(figures.lateEvents).toBe(0);
  }, 80_000);
});
