// Issue 15, item 2: a 401 from the connector is the bot's own credentials refused, not the
// person's refusal. Deliveries pause (nothing is marked failed or recorded as undeliverable),
// one call a minute probes, one `platform.auth_failed` line a minute says so, and the first call
// that succeeds resumes them.
import { afterEach, describe, expect, it } from 'vitest';
import { authProblem } from '../../../src/adapters/platform/auth-health.js';
import { card, text } from '../../../src/core/cards.js';
import { fixture, startTeamsBot, user, type TeamsBot } from './teams-bot.js';

let bot: TeamsBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const MINUTE = 60_000;
const UNAUTHORIZED = { status: 401, body: { message: 'Authorization has been denied for this request.' } };

describe('Teams 401: the bot credentials refused', () => {
  it('pauses deliveries without marking anyone unreachable, probes once a minute, resumes by itself', async () => {
    bot = await startTeamsBot();
    await bot.send(fixture('installation-update-add'));
    const sends = () => bot!.connector.calls.filter((c) => c.method === 'POST' && /activities$/.test(c.path));
    const before = sends().length;
    bot.connector.script('POST', /activities$/, UNAUTHORIZED, 30);
    bot.app.jobs.register<{ user: string; n: number }>(
      'test.notice',
      async (job) => void (await bot!.adapter.chat.direct(job.payload.user, card(text(`Notice ${job.payload.n}`)))),
      { usefulUntil: () => bot!.clock.now() + 24 * 60 * MINUTE },
    );
    for (let n = 1; n <= 5; n++)
      await bot.app.jobs.enqueue('test.notice', bot.clock.now(), { user: user(1), n }, `n${n}`);
    await bot.clock.advance(0);
    await bot.app.jobs.idle();
    expect(authProblem('teams')).toBe('teams_unauthorized');
    for (let minute = 0; minute < 45; minute++) {
      await bot.clock.advance(MINUTE);
      await bot.app.jobs.idle();
    }
    // 30 refusals, then the first success resumes all five: each delivered once.
    const during = sends().slice(before);
    expect(during.filter((c) => JSON.stringify(c.body).includes('Notice'))).toHaveLength(30 + 5);
    for (let n = 1; n <= 5; n++)
      expect(await bot.app.jobs.enqueue('test.notice', bot.clock.now(), { user: user(1), n }, `n${n}`)).toMatchObject({
        status: 'done',
      });
    expect(authProblem('teams')).toBeUndefined();
    expect(await bot.adapter.problems.list()).toEqual([]);
    expect(bot.logs.lines.some((l) => l.includes('"teams.undeliverable"'))).toBe(false);
    expect(bot.logs.lines.some((l) => l.includes('"job.failed"'))).toBe(false);
    // About one line a minute while it lasted, and one when it recovered.
    const failedLines = bot.logs.lines.filter((l) => l.includes('"platform.auth_failed"'));
    expect(failedLines.length).toBeGreaterThanOrEqual(25);
    expect(failedLines.length).toBeLessThanOrEqual(32);
    expect(bot.logs.lines.filter((l) => l.includes('"platform.auth_recovered"'))).toHaveLength(1);
  });
});
