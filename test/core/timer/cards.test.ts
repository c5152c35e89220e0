import { describe, expect, it } from 'vitest';
import { plainText, type Block, type Button, type Card, type Fact } from '../../../src/core/cards.js';
import { PUSH_BACK_MODES } from '../../../src/core/model.js';
import { PUSH_BACK_MODE_TEXT } from '../../../src/core/texts.js';
import {
  closingPost,
  endedCard,
  extendValue,
  openingPost,
  parseExtendValue,
  parsePressValue,
  pausedCard,
  phaseChangePost,
  runningCard,
  TIMER_ACTIONS,
  timerCard,
  warningPost,
  type TimerCardOptions,
} from '../../../src/core/timer/cards.js';
import { advanced, ended, paused, started, type TimerEvent } from '../../../src/core/timer/events.js';
import { PRESET_NAMES, presetPlan } from '../../../src/core/timer/presets.js';
import {
  timerState,
  type EndedTimerState,
  type PausedTimerState,
  type RunningTimerState,
  type TimerState,
} from '../../../src/core/timer/state.js';
import { MIN, SEC, T0 } from './helpers.js';

const options: TimerCardOptions = { timerId: 'tmr_abc123', zone: 'America/Chicago', pushBackMode: 'camera-off' };

const state = (events: TimerEvent[], now: number): TimerState => timerState(events, now)!;
const running = (events: TimerEvent[], now: number) => state(events, now) as RunningTimerState;

function blocks<T extends Block['type']>(c: Card, type: T): Extract<Block, { type: T }>[] {
  return c.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
}
const allFacts = (c: Card): Fact[] => blocks(c, 'facts').flatMap((b) => b.facts);
const fact = (c: Card, label: string) => allFacts(c).find((f) => f.label === label)?.value;
const allButtons = (c: Card): Button[] => blocks(c, 'actions').flatMap((b) => b.buttons);

describe('timer card', () => {
  const plan = presetPlan('90x2');
  const events = [started(T0, plan)];

  it('shows the phase, the case, guidance, progress, time left, end time and next phase', () => {
    const s = running(events, T0 + 22 * MIN); // push back of case 1: 12..34
    const c = runningCard(s, options);
    expect(blocks(c, 'heading')[0]!.text).toBe('Push back · Case 1 of 2');
    expect(blocks(c, 'text')[0]!.text).toMatch(/only listens/);
    expect(plainText(c)).toContain(PUSH_BACK_MODE_TEXT['camera-off']);
    const bar = blocks(c, 'progress')[0]!;
    expect(bar.fraction).toBeCloseTo(10 / 22);
    expect(bar.label).toBe('12 min left of 22 min');
    expect(fact(c, 'Time left')).toBe('12 min');
    expect(fact(c, 'Ends at')).toEqual({ time: T0 + 34 * MIN, zone: 'America/Chicago' });
    expect(fact(c, 'Next')).toBe('Presenter returns');
  });

  it('shows seconds in the last minute', () => {
    const c = runningCard(running(events, T0 + 34 * MIN - 45 * SEC), options);
    expect(fact(c, 'Time left')).toBe('45 s');
  });

  it('says when the next phase opens the next case, and when the closing comes next', () => {
    expect(fact(runningCard(running(events, T0 + 44 * MIN), options), 'Next')).toBe('Case call (Case 2 of 2)');
    expect(fact(runningCard(running(events, T0 + 89 * MIN), options), 'Next')).toBe('Closing');
  });

  it('leaves the case label out of one-case sessions', () => {
    const c = runningCard(running([started(T0, presetPlan('75'))], T0), options);
    expect(blocks(c, 'heading')[0]!.text).toBe('Case call');
  });

  it('has Next phase, Pause, +2 min and End buttons carrying the timer id', () => {
    const buttons = allButtons(runningCard(running(events, T0), options));
    expect(buttons.map((b) => b.actionId)).toEqual([
      TIMER_ACTIONS.next,
      TIMER_ACTIONS.pause,
      TIMER_ACTIONS.extend,
      TIMER_ACTIONS.end,
    ]);
    expect(buttons.map((b) => b.actionId)).toEqual(['timer:next', 'timer:pause', 'timer:extend', 'timer:end']);
    const byId = Object.fromEntries(buttons.map((b) => [b.actionId, b]));
    expect(byId['timer:next']!.value).toBe('tmr_abc123');
    expect(byId['timer:end']!.style).toBe('danger');
    expect(byId['timer:extend']!.label).toBe('+2 min');
    expect(byId['timer:extend']!.value).toContain('2');
    expect(parseExtendValue(byId['timer:extend']!.value)).toEqual({ timerId: 'tmr_abc123', minutes: 2 });
  });

  it('round-trips extend values, also for ids with colons, and rejects others', () => {
    expect(parseExtendValue(extendValue('slack:T1:C2:17', 5))).toEqual({ timerId: 'slack:T1:C2:17', minutes: 5 });
    expect(parseExtendValue('tmr_abc123')).toBeUndefined();
    expect(parseExtendValue('tmr:0')).toBeUndefined();
    expect(parseExtendValue('tmr:x')).toBeUndefined();
  });

  it('while paused shows Resume instead of Pause and no end time', () => {
    const s = state([...events, paused(T0 + MIN)], T0 + 5 * MIN) as PausedTimerState;
    const c = pausedCard(s, options);
    expect(blocks(c, 'heading')[0]!.text).toBe('Paused · Case call · Case 1 of 2');
    expect(fact(c, 'Time left')).toBe('1 min');
    expect(fact(c, 'Ends at')).toBeUndefined();
    const ids = allButtons(c).map((b) => b.actionId);
    expect(ids).toContain('timer:resume');
    expect(ids).not.toContain('timer:pause');
    expect(timerCard(s, options)).toEqual(c);
  });

  it('once ended has no buttons and says how it ended', () => {
    const early = state([...events, ended(T0 + 30 * MIN)], T0 + 31 * MIN) as EndedTimerState;
    const c = endedCard(early, options);
    expect(allButtons(c)).toEqual([]);
    expect(plainText(c)).toMatch(/A facilitator ended the session/);
    expect(fact(c, 'Ended at')).toEqual({ time: T0 + 30 * MIN, zone: 'America/Chicago' });
    expect(fact(c, 'Active time')).toBe('30 min');
    const natural = state(events, T0 + 120 * MIN);
    expect(plainText(timerCard(natural, options))).toMatch(/ended on the clock/);
  });
});

describe('posts', () => {
  it.each(PUSH_BACK_MODES)("announces the push back with the group's online mode (%s)", (mode) => {
    const s = running([started(T0, presetPlan('75'))], T0 + 17 * MIN);
    const c = phaseChangePost(s, { zone: 'Europe/Budapest', pushBackMode: mode });
    expect(blocks(c, 'heading')[0]!.text).toBe('Push back');
    expect(plainText(c)).toContain(PUSH_BACK_MODE_TEXT[mode]);
    expect(fact(c, 'Time left')).toBe('40 min');
    expect(fact(c, 'Ends at')).toEqual({ time: T0 + 57 * MIN, zone: 'Europe/Budapest' });
  });

  it('announces a new case with its label', () => {
    const s = running([started(T0, presetPlan('90x2'))], T0 + 45 * MIN);
    const c = phaseChangePost(s, options);
    expect(blocks(c, 'heading')[0]!.text).toBe('Case call · Case 2 of 2');
    expect(plainText(c)).toMatch(/No prepared cases/);
  });

  it('warns gently before the end, naming the next case only in case 1 of 2', () => {
    const two = [started(T0, presetPlan('90x2'))];
    const first = warningPost(running(two, T0 + 43 * MIN), options);
    expect(blocks(first, 'heading')[0]!.text).toBe('Two minutes left · Case 1 of 2');
    expect(plainText(first)).toMatch(/next case/);
    expect(fact(first, 'Time left')).toBe('2 min');
    const last = warningPost(running(two, T0 + 88 * MIN), options);
    expect(plainText(last)).not.toMatch(/next case/);
    expect(fact(last, 'Ends at')).toEqual({ time: T0 + 90 * MIN, zone: 'America/Chicago' });
  });

  it("closes with the reminder, and the group's own words after it", () => {
    expect(plainText(closingPost())).toMatch(/not even to console them/);
    const own = closingPost({ closingOverride: 'Thank you all.' });
    expect(plainText(own)).toContain('Thank you all.');
    // Changed on purpose (issue 14): a group's words never replace the reminder.
    expect(plainText(own)).toMatch(/not even to console them/);
  });

  it("opens with confidentiality and the plan, or the group's own words", () => {
    const c = openingPost(presetPlan('75'));
    expect(plainText(c)).toContain('What happens in Balint stays in Balint');
    expect(plainText(c)).toContain("Today's session: 75 min.");
    expect(plainText(openingPost(presetPlan('45'), { openingOverride: 'Welcome back.' }))).toContain('Welcome back.');
  });
});

describe('no names, no placeholders', () => {
  it('no builder has a parameter for a person', () => {
    const s = running([started(T0, presetPlan('75'))], T0);
    // @ts-expect-error: there is no field for the presenter's name
    runningCard(s, { ...options, presenter: 'console:alice' });
    // @ts-expect-error: there is no field for the presenter's name
    phaseChangePost(s, { zone: 'UTC', pushBackMode: 'look-away', presenterName: 'Alice' });
    // @ts-expect-error: closing takes the group's text only
    closingPost({ presenter: 'Alice' });
    // Nothing beyond state and options: at most two parameters each.
    for (const builder of [
      runningCard,
      pausedCard,
      endedCard,
      timerCard,
      phaseChangePost,
      warningPost,
      closingPost,
      openingPost,
    ]) {
      expect(builder.length).toBeLessThanOrEqual(2);
    }
  });

  it('every card, in every preset, phase and state, prints no mention and no placeholder', () => {
    const cards: Card[] = [closingPost(), openingPost(presetPlan('90x2'))];
    for (const name of PRESET_NAMES) {
      const plan = presetPlan(name);
      const total = plan.phases.reduce((sum, p) => sum + p.minutes, 0);
      for (let m = 0; m <= total + 1; m += 0.5) {
        const now = T0 + m * MIN;
        const events = [started(T0, plan)];
        for (const s of [
          state(events, now),
          state([...events, paused(now)], now + MIN),
          state([...events, advanced(now), ended(now)], now),
        ]) {
          cards.push(timerCard(s, options));
          if (s.status !== 'ended') cards.push(phaseChangePost(s, options), warningPost(s, options));
        }
      }
    }
    for (const c of cards) {
      const printed = plainText(c);
      expect(printed).not.toMatch(/undefined|null|NaN|Invalid|\[object|@/);
      for (const f of allFacts(c)) expect(typeof f.value === 'object' && 'users' in f.value).toBe(false);
    }
    expect(cards.length).toBeGreaterThan(500);
  });
});

describe('the led card', () => {
  const led = (events: TimerEvent[] = []): TimerEvent[] => [
    started(T0, presetPlan('60'), { pacing: 'led' }),
    ...events,
  ];
  const withSteps = { ...options, events: 3 };

  it('counts the case call up and offers "We have a case"; buttons carry the step', () => {
    const c = runningCard(running(led(), T0 + 4 * MIN + SEC), withSteps);
    expect(plainText(c)).toContain("4 min of silence: that's all right");
    const next = allButtons(c).find((b) => b.actionId === TIMER_ACTIONS.next)!;
    expect(next).toMatchObject({ label: 'We have a case', value: 'tmr_abc123:0:3', style: 'primary' });
    expect(next.confirm).toBeUndefined();
    expect(allButtons(c).find((b) => b.actionId === TIMER_ACTIONS.extend)?.value).toBe('tmr_abc123:0:3:2');
    expect(parsePressValue('tmr_abc123:0:3:2', true)).toEqual({
      timerId: 'tmr_abc123',
      step: { phaseIndex: 0, events: 3 },
      minutes: 2,
    });
    expect(parsePressValue('tmr_abc123:0:3', false)).toEqual({
      timerId: 'tmr_abc123',
      step: { phaseIndex: 0, events: 3 },
    });
    expect(parsePressValue('tmr_abc123', false)).toEqual({ timerId: 'tmr_abc123' });
    expect(parsePressValue('tmr_abc123:x:3', false)).toBeUndefined();
    expect(parsePressValue('tmr_abc123:1:2:3', false)).toBeUndefined();
  });

  it('shows the target, the time to the wrap up and the end; End asks first, and Next in the push back', () => {
    const events = led([advanced(T0, 0), advanced(T0 + 5 * MIN, 1), advanced(T0 + 10 * MIN, 2)]);
    const c = runningCard(running(events, T0 + 22 * MIN), withSteps);
    expect(plainText(c)).toContain('Target 33 min · 21 min to go');
    expect(fact(c, 'Wrap up in')).toBe('33 min');
    expect(fact(c, 'Session ends at')).toEqual({ time: T0 + 60 * MIN, zone: 'America/Chicago' });
    expect(allButtons(c).find((b) => b.actionId === TIMER_ACTIONS.next)?.confirm?.title).toBe(
      'Bring the presenter back?',
    );
    expect(allButtons(c).find((b) => b.actionId === TIMER_ACTIONS.end)?.confirm?.confirm).toBe('End session');
    const before = runningCard(running(events.slice(0, 3), T0 + 6 * MIN), withSteps);
    expect(allButtons(before).find((b) => b.actionId === TIMER_ACTIONS.next)?.confirm).toBeUndefined();
  });
});
