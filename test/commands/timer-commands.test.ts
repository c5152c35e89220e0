// Whole sessions on a fake clock, through the commands and buttons a facilitator uses, with
// restarts of the bot at every phase. Nothing here sleeps.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { replyCard } from '../../src/core/cards.js';
import { presetPlan } from '../../src/core/timer/presets.js';
import type { Timer } from '../../src/core/timer/service.js';
import { createHarness, type Harness } from '../support/harness.js';

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

const posts = () => h.chat.posts().map((p) => p.text.split('\n')[0]);
const postTimes = () => h.chat.posts().map((p) => ((p.at ?? 0) - start) / MIN);
let start = 0;

async function startSession(line = 'start PA Cohort A'): Promise<Timer> {
  start = h.clock.now();
  expect(await h.run('lee', line)).toEqual([]);
  const timer = await h.services.timers.inChannel('console:#general');
  if (!timer) throw new Error('no timer');
  return timer;
}

const FULL_60 = [
  'Welcome to the Balint group',
  'Presentation',
  'Clarifying questions',
  'Push back',
  'Presenter returns',
  'Wrap up',
  'Two minutes left',
  'Thank you',
];

describe('a whole session', () => {
  it('runs the 60-minute preset through every phase on the clock, each post once and on time', async () => {
    await startSession();
    await h.clock.advance(61 * MIN);
    expect(posts()).toEqual(['Welcome to the Balint group', 'Presentation', ...FULL_60.slice(2)]);
    // The card is the second post; the phase posts come exactly at the boundaries.
    expect(postTimes()).toEqual([0, 0, 5, 10, 45, 55, 58, 60]);
    expect(await h.services.timers.inChannel('console:#general')).toBeUndefined();
    const last = h.chat.sent.filter((s) => s.kind === 'update').at(-1);
    expect(last?.text).toContain('Session ended');
    expect(await h.jobs.pending()).toEqual([]);
  });

  it('refreshes the card about once a minute, and every 20 s in the last two minutes of a phase', async () => {
    await startSession();
    await h.clock.advance(5 * MIN);
    const updates = h.chat.sent.filter((s) => s.kind === 'update').map((s) => ((s.at ?? 0) - start) / 1000);
    // Presentation (5 min): at 1, 2, 3 min, then 3:20, 3:40, 4:00, 4:20, 4:40, and the phase change at 5:00.
    expect(updates).toEqual([60, 120, 180, 200, 220, 240, 260, 280, 300]);
  });

  it('runs two cases with a case call each, a warning before each wrap up, and one closing', async () => {
    await startSession('start PA Cohort A preset 90x2');
    await h.clock.advance(91 * MIN);
    expect(posts()).toEqual([
      'Welcome to the Balint group',
      ...[1, 2].flatMap((n) =>
        [
          'Case call',
          'Presentation',
          'Clarifying questions',
          'Push back',
          'Presenter returns',
          'Wrap up',
          'Two minutes left',
        ].map((title) => `${title} · Case ${n} of 2`),
      ),
      'Thank you',
    ]);
    expect(postTimes()).toEqual([0, 0, 2, 7, 12, 34, 42, 43, 45, 47, 52, 57, 79, 87, 88, 90]);
  });

  it('never names anyone: no post or card carries a member id or name', async () => {
    await startSession();
    await h.run('cal', 'pause');
    await h.run('cal', 'resume');
    await h.clock.advance(61 * MIN);
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
});

describe('steering in every phase', () => {
  const plan = presetPlan('60').phases;

  it.each(plan.map((p, i) => [p.phase, i] as const))('pause, extend and next in %s', async (_phase, index) => {
    await startSession();
    const phaseStart = plan.slice(0, index).reduce((sum, p) => sum + p.minutes, 0);
    const length = (plan[index]?.minutes ?? 0) * MIN;
    await h.clock.advance(phaseStart * MIN + MIN / 2);
    const timer = (await h.services.timers.inChannel('console:#general')) as Timer;
    expect(h.services.timers.stateOf(timer).phaseIndex).toBe(index);

    await h.run('lee', 'pause');
    await h.clock.advance(10 * MIN);
    let state = h.services.timers.stateOf((await h.services.timers.get(timer.id)) as Timer);
    expect(state.status).toBe('paused');
    expect(state.msLeftInPhase).toBe(length - MIN / 2);
    await h.run('lee', 'resume');

    await h.run('cal', 'extend 3');
    state = h.services.timers.stateOf((await h.services.timers.get(timer.id)) as Timer);
    expect(state.msLeftInPhase).toBe(length - MIN / 2 + 3 * MIN);

    const before = h.chat.posts().length;
    await h.run('lee', 'next');
    state = h.services.timers.stateOf((await h.services.timers.get(timer.id)) as Timer);
    if (index < plan.length - 1) {
      expect(state.phaseIndex).toBe(index + 1);
      expect(h.chat.posts().length).toBe(before + 1);
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
    const press = (actor: string, actionId: string, value = timer.id) =>
      handleButton(h.services, { actionId, value, actor: `console:${actor}`, place: 'console:#general' });
    const before = await h.snapshot();
    const refusedAnswer = await press('ann', 'timer:pause');
    expect(refusedAnswer[0] && replyCard(refusedAnswer[0]).blocks).toEqual([
      { type: 'text', text: 'Only the facilitators can steer the timer.' },
    ]);
    expect(await press('pat', 'timer:end')).toHaveLength(1);
    expect(await h.snapshot()).toBe(before);

    expect(await press('cal', 'timer:pause')).toEqual([]);
    expect(await press('cal', 'timer:resume')).toEqual([]);
    expect(await press('cal', 'timer:extend', `${timer.id}:2`)).toEqual([]);
    expect(await press('lee', 'timer:next')).toEqual([]);
    const state = h.services.timers.stateOf((await h.services.timers.get(timer.id)) as Timer);
    expect(state.phase).toBe('clarifying');
    expect(await press('lee', 'timer:end')).toEqual([]);
    expect(posts().at(-1)).toBe('Thank you');
    const late = await press('lee', 'timer:next');
    expect(late[0] && replyCard(late[0]).blocks).toEqual([{ type: 'text', text: 'This session has already ended.' }]);
    const forged = await press('lee', 'timer:next', 'tmr_nothing');
    expect(forged[0] && replyCard(forged[0]).blocks).toEqual([
      { type: 'text', text: 'That button no longer does anything.' },
    ]);
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
    expect(await h.say('ann', 'status')).toContain('Presentation');
    expect(await h.say('coord', 'pause')).toBe('');
    expect(await h.say('coord', 'pause')).toBe('The timer is already paused.');
  });

  it('runs one timer per channel', async () => {
    await startSession();
    expect(await h.say('cal', 'start PA Cohort A')).toMatch(/already running in this channel/);
    expect(await h.say('pat', 'start PT Group')).toMatch(/already running in this channel/);
    await h.run('lee', 'end');
    expect(await h.say('pat', 'start PT Group')).toBe('');
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

  it.each(plan.map((p, i) => [p.phase, i] as const))(
    'a restart in the middle of %s changes nothing people see',
    async (_phase, index) => {
      await startSession();
      const phaseStart = plan.slice(0, index).reduce((sum, p) => sum + p.minutes, 0);
      await h.clock.advance(phaseStart * MIN + 30_000);
      await h.restart();
      const timer = (await h.services.timers.inChannel('console:#general')) as Timer;
      expect(h.services.timers.stateOf(timer).phaseIndex).toBe(index);
      await h.clock.advance(61 * MIN);
      expect(posts()).toEqual(['Welcome to the Balint group', 'Presentation', ...FULL_60.slice(2)]);
      expect(postTimes()).toEqual([0, 0, 5, 10, 45, 55, 58, 60]);
    },
  );

  it('after being down across phase boundaries, posts one catch-up saying which phase it is now', async () => {
    await startSession();
    await h.clock.advance(4 * MIN);
    await h.crash();
    await h.clock.advance(10 * MIN); // down through the end of presentation and of clarifying questions
    const before = h.chat.posts().length;
    await h.restart();
    const catchUp = h.chat.posts().slice(before);
    expect(catchUp.map((p) => p.text.split('\n')[0])).toEqual(['Push back']);
    const card = h.chat.sent.filter((s) => s.kind === 'update').at(-1);
    expect(card?.text).toContain('Push back');
    expect(card?.text).toContain('31 min'); // 35 min of push back, 4 of them gone
    await h.clock.advance(60 * MIN);
    expect(posts().slice(before)).toEqual([
      'Push back',
      'Presenter returns',
      'Wrap up',
      'Two minutes left',
      'Thank you',
    ]);
  });

  it('keeps a paused timer paused across a restart', async () => {
    await startSession();
    await h.clock.advance(2 * MIN);
    await h.run('lee', 'pause');
    await h.restart();
    await h.clock.advance(30 * MIN);
    const timer = (await h.services.timers.inChannel('console:#general')) as Timer;
    expect(h.services.timers.stateOf(timer)).toMatchObject({
      status: 'paused',
      phase: 'presentation',
      msLeftInPhase: 3 * MIN,
    });
    await h.run('lee', 'resume');
    await h.clock.advance(3 * MIN);
    expect(posts().at(-1)).toBe('Clarifying questions');
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
    expect(all.at(-1)).toContain('Thank you all. Let the case rest with us.');

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
    expect(posts()).toEqual(['Welcome to the Balint group', 'Presentation']);
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
    expect(posts()).toEqual(['Welcome to the Balint group']);
    await h.clock.advance(5_000);
    expect(posts()).toEqual(['Welcome to the Balint group', 'Presentation']);
    await h.clock.advance(61 * MIN);
    expect(posts()).toEqual(FULL_60);
  });
});
