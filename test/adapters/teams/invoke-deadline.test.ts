// A card button (an Action.Execute invoke) is answered at once even when the card update behind
// it is throttled: the presser gets their card in the invoke response, and the update everyone
// sees is made later by the timer's own durable tick, no sooner than Retry-After. Time here is
// the fake clock plus what the pacer and retries slept (see teams-bot.ts): nothing really sleeps.
import { afterEach, describe, expect, it } from 'vitest';
import { INVOKE_BUDGET_MS } from '../../../src/adapters/teams/turn.js';
import type { ButtonSpec } from '../../../src/commands/plumbing/button-spec.js';
import { card, text } from '../../../src/core/cards.js';
import { FakeConnector } from './fake-connector.js';
import { CHANNEL, fixture, startTeamsBot, type TeamsBot } from './teams-bot.js';
import { firstChannelPlace, startTimer } from './timer-on-teams.js';

let bot: TeamsBot;
afterEach(async () => {
  await bot?.stop();
});

const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

function pausePress(cardId: string, value: string): Record<string, unknown> {
  return {
    ...fixture('invoke-adaptive-card-action'),
    id: `f:pause-${cardId}`,
    replyToId: cardId,
    value: {
      action: { type: 'Action.Execute', verb: 'timer:pause', data: { verb: 'timer:pause', value } },
      trigger: 'manual',
    },
  };
}

const cardPuts = (b: TeamsBot, cardId: string) =>
  b.connector.sent('PUT').filter((c) => c.path === `/v3/conversations/${CHANNEL}/activities/${cardId}`);

/** Presses Pause and reports what the presser got, the PUTs made before the answer, and the time it took. */
async function press(b: TeamsBot, cardId: string, value: string) {
  b.sleeps.length = 0;
  const response = await b.send(pausePress(cardId, value));
  return {
    response,
    putsBeforeAnswer: cardPuts(b, cardId).length,
    /** Fake-clock time the invoke spent waiting before it answered (the clock itself did not move). */
    answeredAfterMs: b.sleeps.reduce((sum, ms) => sum + ms, 0),
  };
}

/** Moves the fake clock on and lets due jobs (the timer's tick) run. */
async function advance(b: TeamsBot, ms: number): Promise<void> {
  await b.clock.advance(ms);
  await b.app.jobs.idle();
}

describe('an invoke whose card update is throttled', () => {
  for (const retryAfter of [30, 8]) {
    it(`with Retry-After: ${retryAfter} is answered first; the update follows as the timer's job after ${retryAfter} s`, async () => {
      bot = await startTeamsBot();
      const { cardId, nextValue } = await startTimer(bot);
      bot.connector.calls.length = 0;
      bot.connector.script(
        'PUT',
        /activities\//,
        { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: { error: { code: 'Throttled' } } },
        1,
      );

      const { response, putsBeforeAnswer, answeredAfterMs } = await press(bot, cardId, nextValue);
      // The presser's own view of the paused card, with Resume: the press took effect.
      expect(response.status).toBe(200);
      const body = response.body as { type: string; value: Record<string, unknown> };
      expect(body.type).toBe(CARD_TYPE);
      expect(JSON.stringify(body.value)).toContain('timer:resume');
      // One throttled request, and the answer came before any retry of it and well within 5 s.
      expect(putsBeforeAnswer).toBe(1);
      expect(answeredAfterMs).toBeLessThanOrEqual(INVOKE_BUDGET_MS);
      expect(answeredAfterMs).toBeLessThan(retryAfter * 1000);
      expect(bot.logs.lines.some((l) => l.includes('"timer.refresh-failed"') && l.includes('teams_throttled'))).toBe(
        true,
      );

      // Not retried before Retry-After has passed …
      await advance(bot, retryAfter * 1000 - 1_000);
      expect(cardPuts(bot, cardId)).toHaveLength(1);
      // … then the card everyone sees shows the pause, once.
      await advance(bot, 1_000);
      const puts = cardPuts(bot, cardId);
      expect(puts).toHaveLength(2);
      expect(JSON.stringify(FakeConnector.card(puts[1]!))).toContain('Paused');
      await advance(bot, 10 * 60_000);
      expect(cardPuts(bot, cardId)).toHaveLength(2);
    });
  }

  it('held back by our own pacing (60 requests in 30 s) is answered without waiting; the update follows', async () => {
    bot = await startTeamsBot();
    const { cardId, nextValue } = await startTimer(bot);
    const place = (await firstChannelPlace(bot))!;
    // A fresh 30-s window (the timer's own posts fall out of it), then its 60 requests in ~9 s.
    await advance(bot, 31_000);
    for (let i = 0; i < 60; i++) await bot.adapter.chat.post(place, card(text(`post ${i}`)));
    bot.connector.calls.length = 0;

    const { response, putsBeforeAnswer, answeredAfterMs } = await press(bot, cardId, nextValue);
    expect((response.body as { type: string }).type).toBe(CARD_TYPE);
    // Refused by the pacer without a request, and without sleeping out the window.
    expect(putsBeforeAnswer).toBe(0);
    expect(answeredAfterMs).toBeLessThanOrEqual(INVOKE_BUDGET_MS);

    await advance(bot, 60_000);
    const puts = cardPuts(bot, cardId);
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(FakeConnector.card(puts[0]!))).toContain('Paused');
  });

  it('outside an invoke the same short Retry-After is still slept out in the call (a job does not hurry)', async () => {
    bot = await startTeamsBot();
    const { cardId } = await startTimer(bot);
    const place = (await firstChannelPlace(bot))!;
    bot.connector.calls.length = 0;
    bot.sleeps.length = 0;
    bot.connector.script('PUT', /activities\//, { status: 429, headers: { 'Retry-After': '8' }, body: {} }, 1);
    await bot.adapter.chat.update({ place, id: cardId }, card(text('Updated')));
    expect(cardPuts(bot, cardId)).toHaveLength(2);
    expect(bot.sleeps[0]).toBeGreaterThanOrEqual(8_000);
  });

  it('what an invoke leaves for later (it inherits the turn scope) is not held to the invoke deadline', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let later: Promise<unknown> | undefined;
    // Registered inside the turn, run after it: as a timer or a job armed during the invoke is.
    const spec: ButtonSpec = {
      actionIds: ['test:later'],
      async handle(_services, press) {
        later = gate.then(() => bot.adapter.chat.post(press.place, card(text('Later.'))));
        return [];
      },
    };
    bot = await startTeamsBot({ specs: { buttons: [spec] } });
    await bot.send(fixture('conversation-update-bot-added'));
    bot.connector.calls.length = 0;
    const response = await bot.send({
      ...fixture('invoke-adaptive-card-action'),
      value: { action: { type: 'Action.Execute', verb: 'test:later', data: { verb: 'test:later', value: 'x' } } },
    });
    expect(response.status).toBe(200);
    await bot.clock.advance(INVOKE_BUDGET_MS * 2);
    release();
    await later;
    expect(bot.connector.sent('POST').map((c) => c.path)).toEqual([`/v3/conversations/${CHANNEL}/activities`]);
  });
});
