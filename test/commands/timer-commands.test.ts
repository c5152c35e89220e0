// Whole sessions on a fake clock, through the commands and buttons a facilitator uses, with
// restarts of the bot at every phase. Nothing here sleeps.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { plainText, replyCard } from '../../src/core/cards.js';
import { presetPlan } from '../../src/core/timer/presets.js';
import type { Timer } from '../../src/core/timer/service.js';
import { createHarness, type Harness } from '../support/harness.js';
import type { Sent } from '../support/recording-chat.js';

const MIN = 60_000;
let h: Harness;

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  await h.run('coord', 'group create PA Cohort A program PA tz America/New_York preset 60');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @cal as co-leader');
  await h.run('coord', 'group add PA Cohort A @ann @bo');
  await h.run('coord', 'group create PT Group');
  await h.run('coord', 'group add PT Group @pat as leader');
});

/** A live timer card (it has buttons); everything else is the opening or an announcement. */
const isLiveCard = (p: Sent): boolean => p.card.blocks.some((b) => b.type === 'actions');
const announced = () => h.chat.posts().filter((p) => !isLiveCard(p));
const posts = () => announced().map((p) => p.text.split('\n')[0]);
const postTimes = () => announced().map((p) => ((p.at ?? 0) - start) / MIN);
const liveCards = () => h.chat.posts().filter(isLiveCard);
let start = 0;

async function startSession(line = 'start PA Cohort A'): Promise<Timer> {
  start = h.clock.now();
  expect(await h.run('lee', line)).toEqual([]);
  const timer = await h.services.timers.inChannel('console:#general');
  if (!timer) throw new Error('no timer');
  return timer;
}

/** Lets the clock run to `minute` minutes after the start. */
async function until(minute: number): Promise<void> {
  await h.clock.advance(start + minute * MIN - h.clock.now());
}

const stateNow = async (timer: Timer) => h.services.timers.stateOf((await h.services.timers.get(timer.id)) as Timer);

/** The facilitators of a 60-minute session move on at these minutes; the clock does the rest. */
const SCRIPT_60 = [3, 9, 14, 50];
const LED_60 = [
  'Welcome to the Balint group',
  'Presentation',
  'Clarifying questions',
  'Push back',
  'Presenter returns',
  'Wrap up',
  'Two minutes left',
  'Thank you',
];
const LED_60_TIMES = [0, 3, 9, 14, 50, 55, 58, 60];

async function runScript(script: readonly number[], restartAt?: number): Promise<void> {
  for (const minute of script) {
    if (restartAt !== undefined && restartAt < minute && restartAt > h.clock.now() / MIN - start / MIN) {
      await until(restartAt);
      await h.restart();
    }
    await until(minute);
    expect(await h.say('lee', 'next')).toBe('');
  }
  if (restartAt !== undefined && restartAt > (script.at(-1) ?? 0)) {
    await until(restartAt);
    await h.restart();
  }
  await until(61);
}

describe('a whole session, led by the facilitators (the default)', () => {
  it('waits in the case call, moves on when the facilitators do, and holds the end at 60 minutes', async () => {
    await startSession();
    await until(2.5);
    expect(posts()).toEqual(['Welcome to the Balint group']);
    expect(liveCards().at(-1)?.text).toContain('Case call');
    // Past its 2-minute target the case call is still running: it never ends by itself.
    const update = h.chat.sent.filter((s) => s.kind === 'update').at(-1);
    expect(update?.text).toContain("2 min of silence: that's all right");
    expect(update?.text).toContain('We have a case');
    await runScript(SCRIPT_60);
    expect(posts()).toEqual(LED_60);
    expect(postTimes()).toEqual(LED_60_TIMES);
    expect(await h.services.timers.inChannel('console:#general')).toBeUndefined();
    // Nothing left but the attendance sheet's closing, 7 days after the session.
    expect((await h.jobs.pending()).map((j) => j.kind)).toEqual(['attendance.close']);
  });

  it('begins the wrap up by itself from whatever phase is running, and ends on the clock', async () => {
    await startSession();
    await until(3);
    await h.run('lee', 'next'); // a case: the presentation, and nobody moves on after it
    await until(61);
    expect(posts()).toEqual([
      'Welcome to the Balint group',
      'Presentation',
      'Wrap up',
      'Two minutes left',
      'Thank you',
    ]);
    expect(postTimes()).toEqual([0, 3, 55, 58, 60]);
  });

  it('shows targets, and the time to the wrap up absorbing what the phases took', async () => {
    const timer = await startSession();
    await until(14);
    await h.run('lee', 'next');
    await h.run('lee', 'next');
    await h.run('lee', 'next'); // push back from minute 14
    await until(26);
    const cardNow = async () => plainText(h.services.timers.card((await h.services.timers.get(timer.id)) as Timer));
    const card = await cardNow();
    expect(card).toContain('Target 33 min · 21 min to go');
    expect(card).toContain('Wrap up in: 29 min');
    await until(48);
    expect(await cardNow()).toContain('Target 33 min · 1 min over');
  });

  it('pauses the whole clock and extends the end, announced', async () => {
    const timer = await startSession();
    await until(5);
    await h.run('lee', 'next');
    await h.run('cal', 'pause');
    await until(15);
    expect(await stateNow(timer)).toMatchObject({ status: 'paused', sessionMsLeft: 55 * MIN });
    await h.run('cal', 'resume');
    expect(await h.say('cal', 'extend 5')).toBe('');
    expect(posts().at(-1)).toBe('More time');
    expect(await stateNow(timer)).toMatchObject({ sessionEndsAt: start + 75 * MIN, wrapUpAt: start + 70 * MIN });
    await until(76);
    expect(postTimes().slice(-3)).toEqual([70, 73, 75]);
    expect(posts().slice(-3)).toEqual(['Wrap up', 'Two minutes left', 'Thank you']);
  });

  it('refreshes the card about once a minute, and every 20 s in the last two minutes of the wrap up', async () => {
    await startSession();
    await until(55);
    const before = h.chat.sent.length;
    await until(60);
    const updates = h.chat.sent
      .slice(before)
      .filter((s) => s.kind === 'update')
      .map((s) => ((s.at ?? 0) - start) / 1000 - 55 * 60);
    // Wrap up (5 min): 1, 2 and 3 min in, then every 20 s, and the end card at 5:00.
    expect(updates).toEqual([60, 120, 180, 200, 220, 240, 260, 280, 300]);
  });

  it('runs two cases, each holding its own end, with one closing', async () => {
    await startSession('start PA Cohort A preset 90x2');
    await until(2);
    await h.run('lee', 'next');
    await until(91);
    expect(posts()).toEqual([
      'Welcome to the Balint group',
      'Presentation · Case 1 of 2',
      'Wrap up · Case 1 of 2',
      'Two minutes left · Case 1 of 2',
      'Case call · Case 2 of 2',
      'Wrap up · Case 2 of 2',
      'Two minutes left · Case 2 of 2',
      'Thank you',
    ]);
    expect(postTimes()).toEqual([0, 2, 42, 43, 45, 87, 88, 90]);
  });

  it('never names anyone: no post or card carries a member id or name', async () => {
    await startSession();
    await h.run('cal', 'pause');
    await h.run('cal', 'resume');
    await runScript(SCRIPT_60);
    // The one message that names people is the attendance card, sent privately to the group's
    // facilitators when the session ends (see attendance-commands.test.ts); it names no presenter.
    const attendance = h.chat.sent.filter((s) => s.text.startsWith('Attendance: '));
    expect(attendance.map((s) => [s.kind, s.user]).sort()).toEqual([
      ['direct', 'console:cal'],
      ['direct', 'console:lee'],
    ]);
    const everything = h.chat.sent
      .filter((s) => !attendance.includes(s))
      .map((s) => s.text)
      .join('\n');
    for (const who of ['@lee', '@cal', '@ann', '@bo', '@coord', 'console:']) expect(everything).not.toContain(who);
    expect(everything).toContain('the presenter');
  });

  it('keeps the live card under the latest post: a fresh card after each phase post, the old one a line', async () => {
    await startSession();
    await runScript(SCRIPT_60);
    const sent = h.chat.sent.filter((s) => s.kind !== 'direct');
    // Every announcement but the closing is followed at once by a fresh live card.
    sent.forEach((s, k) => {
      if (s.kind === 'post' && !isLiveCard(s) && k > 0 && !s.text.startsWith('Thank you'))
        expect(isLiveCard(sent[k + 1]!)).toBe(true);
    });
    // The first card, then one under each of the five phase posts and the warning.
    expect(liveCards()).toHaveLength(1 + 6);
    const moved = h.chat.sent.filter(
      (s) => s.kind === 'update' && s.text.includes('the live timer card is further down'),
    );
    expect(moved).toHaveLength(6);
  });

  it('sends each facilitator a private debrief note after the closing, and asks nothing', async () => {
    await startSession();
    await runScript(SCRIPT_60);
    // The attendance card goes to the facilitators privately too; the debrief note is its own message.
    const notes = h.chat.sent.filter((s) => s.kind === 'direct' && !s.text.startsWith('Attendance: '));
    expect(notes.map((n) => n.user).sort()).toEqual(['console:cal', 'console:lee']);
    for (const n of notes) {
      expect(n.text).toContain('debrief');
      expect(n.card.blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(n.at).toBe(start + 60 * MIN);
    }
  });
});

describe('strict pacing (group set … pacing strict)', () => {
  beforeEach(async () => {
    expect(await h.say('coord', 'group set PA Cohort A pacing strict')).toContain('Pacing: strict');
  });

  it('still waits in the case call, then runs every phase on the clock', async () => {
    await startSession();
    await until(4);
    expect(posts()).toEqual(['Welcome to the Balint group']);
    await h.run('lee', 'next');
    await until(70);
    expect(posts()).toEqual(LED_60);
    expect(postTimes()).toEqual([0, 4, 9, 14, 47, 57, 60, 62]);
  });

  it('extends the current phase, so the end moves with it', async () => {
    const timer = await startSession();
    await h.run('lee', 'next');
    await h.run('lee', 'extend 3');
    expect(await stateNow(timer)).toMatchObject({ phase: 'presentation', msLeftInPhase: 8 * MIN });
    await until(70);
    expect(postTimes().slice(1)).toEqual([0, 0, 8, 13, 46, 56, 59, 61]);
  });
});

describe('steering in every phase', () => {
  const plan = presetPlan('60').phases;

  it.each(plan.map((p, i) => [p.phase, i] as const))('pause, extend and next in %s', async (_phase, index) => {
    const timer = await startSession();
    for (let k = 0; k < index; k++) await h.run('lee', 'next');
    await until(1);
    expect((await stateNow(timer)).phaseIndex).toBe(index);

    await h.run('lee', 'pause');
    await until(11);
    let state = await stateNow(timer);
    expect(state).toMatchObject({ status: 'paused', sessionMsLeft: 59 * MIN });
    await h.run('lee', 'resume');

    await h.run('cal', 'extend 3');
    state = await stateNow(timer);
    expect(state.status === 'running' && state.sessionEndsAt).toBe(start + 73 * MIN);

    const before = announced().length;
    await h.run('lee', 'next');
    state = await stateNow(timer);
    if (index < plan.length - 1) {
      expect(state.phaseIndex).toBe(index + 1);
      expect(announced().length).toBe(before + 1);
    } else {
      expect(state.status).toBe('ended');
      expect(posts().at(-1)).toBe('Thank you');
    }
    // Time never goes backwards and the session still ends exactly once.
    await h.clock.advance(120 * MIN);
    expect(posts().filter((p) => p === 'Thank you')).toHaveLength(1);
  });

  it('works from the card buttons for facilitators, and not for members', async () => {
    const timer = await startSession();
    const cardValue = async (actionId: string): Promise<string> => {
      const t = (await h.services.timers.get(timer.id)) as Timer;
      const actions = h.services.timers.card(t).blocks.find((b) => b.type === 'actions');
      const button = actions?.type === 'actions' ? actions.buttons.find((b) => b.actionId === actionId) : undefined;
      return button?.value ?? '';
    };
    const press = async (actor: string, actionId: string, value?: string) =>
      handleButton(h.services, {
        actionId,
        value: value ?? (await cardValue(actionId)),
        actor: `console:${actor}`,
        place: 'console:#general',
      });
    const before = await h.snapshot();
    const refusedAnswer = await press('ann', 'timer:pause');
    expect(refusedAnswer[0] && replyCard(refusedAnswer[0]).blocks).toEqual([
      { type: 'text', text: 'Only the facilitators can steer the timer.' },
    ]);
    expect(await press('pat', 'timer:end')).toHaveLength(1);
    expect(await h.snapshot()).toBe(before);

    expect(await press('cal', 'timer:pause')).toEqual([]);
    expect(await press('cal', 'timer:resume')).toEqual([]);
    expect(await press('cal', 'timer:extend')).toEqual([]);
    expect(await press('lee', 'timer:next')).toEqual([]);
    const state = await stateNow(timer);
    expect(state.phase).toBe('presentation');
    expect(await press('lee', 'timer:end')).toEqual([]);
    expect(posts().at(-1)).toBe('Thank you');
    const late = await press('lee', 'timer:next', timer.id);
    expect(late[0] && replyCard(late[0]).blocks).toEqual([{ type: 'text', text: 'This session has already ended.' }]);
    const forged = await press('lee', 'timer:next', 'tmr_nothing');
    expect(forged[0] && replyCard(forged[0]).blocks).toEqual([
      { type: 'text', text: 'That button no longer does anything.' },
    ]);
  });
});

describe('every press counts once', () => {
  const press = (actor: string, actionId: string, value: string) =>
    handleButton(h.services, { actionId, value, actor: `console:${actor}`, place: 'console:#general' });
  const buttonOf = (timer: Timer, actionId: string): string => {
    const actions = h.services.timers.card(timer).blocks.find((b) => b.type === 'actions');
    return (actions?.type === 'actions' ? actions.buttons.find((b) => b.actionId === actionId)?.value : '') ?? '';
  };

  it('a Next pressed twice (double click, redelivery, two facilitators) moves the timer once', async () => {
    const timer = await startSession();
    await h.run('lee', 'next');
    await h.run('lee', 'next');
    await h.run('lee', 'next'); // push back
    const t = (await h.services.timers.get(timer.id)) as Timer;
    const next = buttonOf(t, 'timer:next');
    expect(await press('lee', 'timer:next', next)).toEqual([]);
    const again = await press('cal', 'timer:next', next);
    expect(again[0] && replyCard(again[0]).blocks).toEqual([
      { type: 'text', text: 'The timer has already moved on to Presenter returns. Nothing was changed.' },
    ]);
    expect((await stateNow(timer)).phase).toBe('presenter-returns');
  });

  it('+2 min pressed twice adds two minutes once', async () => {
    const timer = await startSession();
    const t = (await h.services.timers.get(timer.id)) as Timer;
    const extend = buttonOf(t, 'timer:extend');
    await press('lee', 'timer:extend', extend);
    const before = await h.snapshot();
    const again = await press('lee', 'timer:extend', extend);
    expect(again[0] && replyCard(again[0]).blocks[0]).toMatchObject({
      text: expect.stringMatching(/already moved on/),
    });
    expect(await h.snapshot()).toBe(before);
    expect(await stateNow(timer)).toMatchObject({ sessionEndsAt: start + 62 * MIN });
  });

  it('a press on a card the clock has moved past changes nothing', async () => {
    const timer = await startSession();
    await h.run('lee', 'next');
    const t = (await h.services.timers.get(timer.id)) as Timer;
    const next = buttonOf(t, 'timer:next');
    await until(56); // the wrap up began by itself at 55
    const late = await press('lee', 'timer:next', next);
    expect(late[0] && replyCard(late[0]).blocks[0]).toMatchObject({
      text: 'The timer has already moved on to Wrap up. Nothing was changed.',
    });
    expect((await stateNow(timer)).status).toBe('running');
  });

  it('typed next moves on from the phase the card shows', async () => {
    const timer = await startSession();
    expect(await h.say('lee', 'next')).toBe('');
    expect(await h.say('cal', 'next')).toBe('');
    expect((await stateNow(timer)).phase).toBe('clarifying');
  });
});

describe('who may run the timer', () => {
  it('lets only the group facilitators and coordinators start and steer; anyone may ask status', async () => {
    const before = await h.snapshot();
    expect(await h.say('ann', 'start PA Cohort A')).toBe("Only a group's facilitators (and coordinators) can do that.");
    expect(await h.say('pat', 'start PA Cohort A')).toMatch(/don't see a group by that name/);
    expect(await h.say('stranger', 'status')).toBe('No timer is running in this channel.');
    expect(await h.snapshot()).toBe(before);

    await startSession();
    for (const actor of ['ann', 'pat', 'stranger']) {
      expect(await h.say(actor, 'pause')).toMatch(/Only (a group's )?(the )?facilitators/);
    }
    expect(await h.say('ann', 'status')).toContain('Case call');
    expect(await h.say('coord', 'pause')).toBe('');
    expect(await h.say('coord', 'pause')).toBe('The timer is already paused.');
  });

  it('runs one timer per channel', async () => {
    await startSession();
    expect(await h.say('cal', 'start PA Cohort A')).toMatch(/already running in this channel/);
    // Changed on purpose (issue 14): PT Group has never met here, so its leader cannot take over.
    expect(await h.say('pat', 'start PT Group')).toMatch(/Another group's timer is running in this channel/);
    await h.run('lee', 'end');
    expect(await h.say('pat', 'start PT Group')).toBe('');
  });

  it('never locks a group out of its own room: its facilitators may end or take over another group’s timer', async () => {
    await startSession(); // PA Cohort A meets in #general
    await h.run('lee', 'end');
    // PT's leader starts a timer where PA Cohort A meets…
    expect(await h.say('pat', 'start PT Group')).toBe('');
    // …and PA Cohort A's leader can still end it, or take over by starting their own.
    expect(await h.say('ann', 'end')).toMatch(/^Only /);
    expect(await h.say('lee', 'start PA Cohort A')).toBe('');
    const timer = await h.services.timers.inChannel('console:#general');
    const group = await h.services.roster.findGroup('PA Cohort A');
    expect(timer?.groupId).toBe(group?.id);
    expect(posts().filter((p) => p === 'Thank you')).toHaveLength(2);
    expect(await h.say('lee', 'end')).toBe('');
    expect(await h.say('pat', 'start PT Group')).toBe('');
    expect(await h.say('cal', 'end')).toBe('');
  });

  it('starts the only group a facilitator leads when none is named, and asks otherwise', async () => {
    expect(await h.say('lee', 'start')).toBe('');
    expect(await h.say('coord', 'start')).toMatch(/Which group's session is this/);
  });

  it('answers bad input clearly and changes nothing', async () => {
    await startSession();
    const before = await h.snapshot();
    expect(await h.say('lee', 'extend 0')).toMatch(/whole number of minutes, 1 to 30/);
    expect(await h.say('lee', 'extend lots')).toMatch(/whole number of minutes/);
    expect(await h.say('lee', 'extend 31')).toMatch(/whole number of minutes/);
    expect(await h.say('lee', 'resume')).toMatch(/nothing to resume/);
    expect(await h.say('lee', 'next please')).toMatch(/takes nothing after it/);
    expect(await h.say('lee', 'start PA Cohort A preset 50')).toMatch(/preset is one of/);
    expect(await h.snapshot()).toBe(before);
    await h.run('lee', 'end');
    expect(await h.say('lee', 'next')).toBe('No timer is running in this channel.');
  });
});

describe('restarts', () => {
  const plan = presetPlan('60').phases;
  const middles = [1.5, 6, 11.5, 30, 52, 57];

  it.each(plan.map((p, i) => [p.phase, i] as const))(
    'a restart in the middle of %s changes nothing people see',
    async (_phase, index) => {
      await startSession();
      await runScript(SCRIPT_60, middles[index]);
      expect(posts()).toEqual(LED_60);
      expect(postTimes()).toEqual(LED_60_TIMES);
    },
  );

  it('after being down across the wrap up, posts one catch-up saying where the session is now', async () => {
    await startSession();
    await until(3);
    await h.run('lee', 'next');
    await until(54);
    await h.crash();
    await h.clock.advance(5 * MIN); // down through the start of the wrap up and its warning
    const before = h.chat.posts().length;
    await h.restart();
    const catchUp = h.chat
      .posts()
      .slice(before)
      .filter((p) => !isLiveCard(p));
    expect(catchUp.map((p) => p.text.split('\n')[0])).toEqual(['Two minutes left']);
    expect(liveCards().at(-1)?.text).toContain('Wrap up');
    await until(61);
    expect(posts().slice(-2)).toEqual(['Two minutes left', 'Thank you']);
  });

  it('keeps a paused timer paused across a restart', async () => {
    const timer = await startSession();
    await h.run('lee', 'next');
    await until(2);
    await h.run('lee', 'pause');
    await h.restart();
    await until(32);
    expect(await stateNow(timer)).toMatchObject({ status: 'paused', phase: 'presentation', sessionMsLeft: 58 * MIN });
    await h.run('lee', 'resume');
    await until(90);
    expect(postTimes().slice(-3)).toEqual([85, 88, 90]);
  });
});

describe("the group's own words", () => {
  it('opens and closes with the words a coordinator set, and `default` restores ours', async () => {
    expect(
      await h.say('coord', 'group set PA Cohort A opening "Phones away. What we hear here, we keep here."'),
    ).toContain('Opening: the group’s own words');
    await h.run('coord', 'group set PA Cohort A closing Thank you all. Let the case rest with us.');
    await startSession();
    await h.run('lee', 'end');
    const all = h.chat.posts().map((p) => p.text);
    expect(all[0]).toContain('Phones away. What we hear here, we keep here.');
    expect(all[0]).toContain('What happens in Balint stays in Balint');
    expect(all.at(-1)).toContain('Thank you all. Let the case rest with us.');
    expect(all.at(-1)).toContain('do not bring it up with the presenter');

    await h.run('coord', 'group set PA Cohort A opening default');
    const group = await h.services.roster.findGroup('PA Cohort A');
    expect(group?.openingText).toBeUndefined();
    expect(group?.closingText).toBe('Thank you all. Let the case rest with us.');
  });

  it('refuses words that could turn into a mention, or too many', async () => {
    const before = await h.snapshot();
    expect(await h.say('coord', 'group set PA Cohort A opening hello <!channel>')).toBe(
      'The words cannot contain < or >.',
    );
    expect(await h.say('coord', `group set PA Cohort A closing ${'word '.repeat(120)}`)).toBe(
      'Keep it to 500 characters.',
    );
    expect(await h.say('coord', 'group set PA Cohort A tz America/New_York Europe/Budapest')).toMatch(/^Usage:/);
    expect(await h.snapshot()).toBe(before);
  });
});

describe('when the chat fails at the start', () => {
  it('takes the timer back if the opening cannot be posted, so the facilitator can start again', async () => {
    h.chat.failNext.post = Object.assign(new Error('chat down'), { code: 'slack_500' });
    expect(await h.say('lee', 'start PA Cohort A')).toBe(
      'Something went wrong on my side. Please try again in a moment.',
    );
    expect(await h.services.timers.inChannel('console:#general')).toBeUndefined();
    expect(await h.say('lee', 'start PA Cohort A')).toBe('');
    expect(posts()).toEqual(['Welcome to the Balint group']);
    expect(liveCards().map((p) => p.text.split('\n')[0])).toEqual(['Case call']);
  });

  it('keeps the session going when the card cannot be posted: the tick job posts it a moment later', async () => {
    start = h.clock.now();
    const post = h.chat.post.bind(h.chat);
    let calls = 0;
    h.chat.post = async (place, card) => {
      calls++;
      if (calls === 2) throw Object.assign(new Error('chat down'), { code: 'slack_500' });
      return post(place, card);
    };
    expect(await h.say('lee', 'start PA Cohort A')).toBe('');
    expect(liveCards()).toEqual([]);
    await h.clock.advance(5_000);
    expect(liveCards().map((p) => p.text.split('\n')[0])).toEqual(['Case call']);
    await runScript(SCRIPT_60);
    expect(posts()).toEqual(LED_60);
  });
});

describe('a change is always shown', () => {
  const lastUpdate = () => h.chat.sent.filter((s) => s.kind === 'update').at(-1);

  it('a pause whose update is refused is retried after Retry-After until the card shows it', async () => {
    await startSession();
    await h.run('lee', 'next');
    const refusals = [3_000, 3_000];
    const update = h.chat.update.bind(h.chat);
    h.chat.update = async (ref, card) => {
      const wait = refusals.shift();
      if (wait !== undefined)
        throw Object.assign(new Error('ratelimited'), { code: 'ratelimited', retryable: true, retryAfterMs: wait });
      return update(ref, card);
    };
    const pausedAt = h.clock.now();
    await h.run('lee', 'pause');
    expect(lastUpdate()?.text ?? '').not.toContain('Paused');
    await h.clock.advance(2_999);
    expect(lastUpdate()?.text ?? '').not.toContain('Paused');
    await h.clock.advance(3_001); // the second try is refused too, the third shows it
    expect(lastUpdate()?.text).toContain('Paused');
    expect(lastUpdate()?.at).toBe(pausedAt + 6_000);
    // Shown: no more retries while paused.
    const count = h.chat.sent.length;
    await h.clock.advance(10 * MIN);
    expect(h.chat.sent.length).toBe(count);
  });

  it('a card that cannot be updated at all is replaced by a fresh one', async () => {
    await startSession();
    h.chat.failNext.update = Object.assign(new Error('gone'), { code: 'message_not_found', retryable: false });
    const cards = liveCards().length;
    await h.run('lee', 'pause');
    expect(liveCards()).toHaveLength(cards + 1);
    expect(liveCards().at(-1)?.text).toContain('Paused');
    await h.run('lee', 'resume');
    expect(lastUpdate()?.ref).toEqual(liveCards().at(-1)?.ref);
  });

  it('a plain countdown refresh that fails is skipped, not retried', async () => {
    await startSession();
    await h.clock.advance(MIN / 2);
    h.chat.failNext.update = Object.assign(new Error('busy'), { code: 'http_503', retryable: true });
    const before = h.chat.sent.length;
    await h.clock.advance(MIN / 2); // the refresh at 1 min fails
    await h.clock.advance(MIN / 2 - 1);
    expect(h.chat.sent.length).toBe(before);
    await h.clock.advance(MIN / 2 + 1); // the next one, on the minute
    expect(h.chat.sent.length).toBe(before + 1);
  });
});

describe('started from a scheduled session', () => {
  it("holds the scheduled end, and an online session's opening adds the online rules", async () => {
    // 10:30 in New York is 15:30 UTC, half an hour after the harness clock's start.
    expect(await h.say('lee', 'schedule PA Cohort A 2027-01-15 10:30 length 60 mode online')).toContain('PA Cohort A');
    await h.clock.advance(25 * MIN);
    const timer = await startSession();
    const opening = announced()[0]?.text ?? '';
    expect(opening).toContain('What happens in Balint stays in Balint');
    expect(opening).toMatch(/when cameras are off, say who you are before you speak/i);
    expect(await stateNow(timer)).toMatchObject({ sessionEndsAt: start + 65 * MIN, wrapUpAt: start + 60 * MIN });
    await until(66);
    expect(postTimes().slice(-3)).toEqual([60, 63, 65]);
  });

  it('an in-person session opens without the online rules', async () => {
    await startSession();
    expect(announced()[0]?.text).not.toMatch(/cameras/);
  });
});
