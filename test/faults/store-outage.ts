// The store goes away for 20 real seconds under a running timer, while a facilitator presses
// Next: shared by the Redis (frozen, stopped) and SQLite (locked) fault tests, which differ only
// in how the store goes away and comes back. What must hold in every case:
// - the Next is answered privately with the storage message (not held until the store returns);
// - once the store is back, that Next has left no trace: no `advanced` event was stored late;
// - the timer carries on: phases that came due meanwhile are posted after the return, each once,
//   and a Next pressed after the return moves the session on.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { phaseName } from '../../src/core/texts.js';
import type { Timer } from '../../src/core/timer/service.js';
import { timerState } from '../../src/core/timer/state.js';
import type { FaultBot } from './slack-bot.js';

/**
 * 30× on the 90-minute preset: the presentation's 12 minutes last 24 real seconds, so a Next held
 * through the outage would still count when the store returns (the harm to prove absent), while
 * the card's countdown refreshes (every simulated minute, 2 s) come due throughout the outage and
 * the presentation's end comes due soon after it.
 */
export const OUTAGE_SPEED = 30;
export const OUTAGE_MS = 20_000;

export interface Outage {
  begin(): Promise<void> | void;
  end(): Promise<void> | void;
}

export interface OutageFigures {
  /** The private answer to the Next pressed while the store was away ('' when none came). */
  answer: string;
  /** Real ms from the Next to its private answer. */
  answerMs: number;
  /** `advanced` events stored from the moment the store went away until the Next after its return. */
  lateEvents: number;
  /** Real ms from the store's return to the first card refresh after it. */
  firstRefreshAfterMs: number;
  /** Real ms from the store's return to the first announcement after it (the presentation's end). */
  firstPostAfterMs: number;
}

const isLiveCard = (p: { params: Record<string, unknown> }) => JSON.stringify(p.params.blocks).includes('timer:next');
const announcementsTo = (bot: FaultBot, channel: string) => bot.postsTo(channel).filter((p) => !isLiveCard(p));

export async function setUpGroup(bot: FaultBot): Promise<void> {
  expect(await bot.command('U0001', 'group create Outage Group program PA tz UTC preset 90')).toContain(
    'Group created',
  );
  await bot.command('U0001', 'group add Outage Group <@U0002> as leader');
  await bot.command('U0001', 'group add Outage Group <@U0003>');
  // Strict pacing: phases end on the clock, so deadlines come due while the store is away.
  await bot.command('U0001', 'group set Outage Group pacing strict');
}

async function timerNow(bot: FaultBot): Promise<Timer> {
  const id = await bot.server.store.get<string>('channel-timers', 'slack:T0001:C0001');
  return (await bot.server.store.get<Timer>('timers', id as string)) as Timer;
}

async function storeAnswers(bot: FaultBot): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (
      await bot.server.store.get('groups', 'outage-probe').then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error('the store did not come back');
}

export async function runOutage(bot: FaultBot, outage: Outage): Promise<OutageFigures> {
  await bot.command('U0002', 'start Outage Group', 'C0001', false);
  await bot.fake.until(() => bot.postsTo('C0001').some(isLiveCard), 10_000);
  await bot.command('U0002', 'next', 'C0001', false); // we have a case
  await bot.fake.until(
    () => announcementsTo(bot, 'C0001').some((p) => p.heading === phaseName('presentation')),
    10_000,
  );
  await sleep(300);
  const before = (await timerNow(bot)).events;

  await outage.begin();
  const awayAt = Date.now();
  let answer = '';
  let answerMs = Number.NaN;
  try {
    // No answer at all (a store that holds the request) fails the test below, not here.
    answer = await bot.command('U0002', 'next').catch(() => '');
    answerMs = Date.now() - awayAt;
    await sleep(Math.max(0, awayAt + OUTAGE_MS - Date.now()));
  } finally {
    await outage.end();
  }
  const backAt = Date.now();

  // Whatever Redis held in its socket buffers runs the moment it wakes: give it time to land.
  await storeAnswers(bot);
  await sleep(1_000);
  const after = (await timerNow(bot)).events;
  const late = after.slice(before.length).filter((e) => e.type === 'advanced');
  expect(after.slice(0, before.length)).toEqual(before);

  // The countdown refreshes that came due while the store was away are made once it is back,
  // and the presentation's end is announced when it comes due, once.
  const refreshes = () => bot.fake.calls.filter((c) => c.method === 'chat.update' && c.at > backAt);
  await bot.fake.until(() => refreshes().length > 0, 20_000);
  const firstRefreshAfterMs = (refreshes()[0]?.at ?? 0) - backAt;
  await bot.fake.until(() => announcementsTo(bot, 'C0001').some((p) => p.at > backAt), 20_000);
  const firstPostAfterMs = (announcementsTo(bot, 'C0001').find((p) => p.at > backAt)?.at ?? 0) - backAt;
  const headings = announcementsTo(bot, 'C0001').map((p) => p.heading);
  expect(headings.slice(headings.indexOf(phaseName('presentation')))).toEqual([
    phaseName('presentation'),
    phaseName('clarifying'),
  ]);

  // A Next after the return works: one more `advanced`, and the timer runs on. Pressed once the
  // card shows the phase the clock is in, so that it is not (rightly) refused as a stale press.
  let shownNow = await timerNow(bot);
  for (
    let tries = 0;
    tries < 100 && shownNow.shown?.phaseIndex !== timerState(shownNow.events, bot.now())?.phaseIndex;
    tries++
  ) {
    await sleep(100);
    shownNow = await timerNow(bot);
  }
  const phaseBefore = timerState(shownNow.events, bot.now())?.phaseIndex ?? -1;
  await bot.command('U0002', 'next', 'C0001', false);
  let final: Timer | undefined;
  for (let tries = 0; tries < 100; tries++) {
    final = await timerNow(bot);
    if (final.events.length > after.length) break;
    await sleep(100);
  }
  const moved = (final?.events ?? []).slice(after.length);
  expect(moved.map((e) => e.type)).toEqual(['advanced']);
  const state = timerState(final?.events ?? [], bot.now());
  expect(state?.status).toBe('running');
  expect(state?.phaseIndex ?? -1).toBeGreaterThan(phaseBefore);
  return { answer, answerMs, lateEvents: late.length, firstRefreshAfterMs, firstPostAfterMs };
}
