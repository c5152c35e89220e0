// The room display's one view of the timer: what each state shows, computed from events and now.
import { describe, expect, it } from 'vitest';
import { advanced, ended, paused, started, type TimerEvent } from '../../../src/core/timer/events.js';
import { presetPlan } from '../../../src/core/timer/presets.js';
import { NO_SESSION, roomView } from '../../../src/core/timer/room-view.js';
import { timerState } from '../../../src/core/timer/state.js';

const MIN = 60_000;
const T0 = Date.UTC(2027, 1, 1, 16, 0);
const view = (events: TimerEvent[], now: number) => roomView(timerState(events, now), now);

describe('roomView', () => {
  it('says no session runs when there is no timer', () => {
    expect(roomView(undefined, T0)).toEqual(NO_SESSION);
    expect(NO_SESSION.status).toBe('none');
  });

  const led = { pacing: 'led' as const };

  it('counts the case call up from its start, with no deadline of its own, and names the next phase', () => {
    const v = view([started(T0, presetPlan('75'), led)], T0 + 4 * MIN);
    expect(v).toMatchObject({
      status: 'running',
      phase: 'case-call',
      phaseName: 'Case call',
      phaseIndex: 0,
      phaseCount: 6,
      nextPhase: 'Presentation',
      countsUpFrom: T0,
      sessionEnd: T0 + 75 * MIN,
      paused: false,
      ended: false,
    });
    expect(v.deadline).toBeUndefined();
    expect(v.rule).toMatch(/no phones/);
  });

  it('counts a facilitator-led phase up from when the facilitators moved on, with its target and the wrap up', () => {
    const plan = presetPlan('75');
    const v = view([started(T0, plan, led), advanced(T0 + 5 * MIN, 0)], T0 + 9 * MIN);
    expect(v).toMatchObject({ phase: 'presentation', countsUpFrom: T0 + 5 * MIN, nextPhase: 'Clarifying questions' });
    expect(v.phaseLengthMs).toBe(plan.phases[1]!.minutes * MIN);
    // The 75-minute preset's wrap up is 5 minutes: it begins at 70 by the clock.
    expect(v.wrapUpAt).toBe(T0 + 70 * MIN);
    expect(v.deadline).toBeUndefined();
    expect(v.thresholds).toEqual({ lastMs: 2 * MIN, wrapUp: false });
  });

  it('under strict pacing, a phase after the case call ends by the clock: a deadline and no count up', () => {
    const v = view([started(T0, presetPlan('75'), { pacing: 'strict' }), advanced(T0 + 3 * MIN, 0)], T0 + 4 * MIN);
    expect(v).toMatchObject({ phase: 'presentation', deadline: T0 + 10 * MIN });
    expect(v.countsUpFrom).toBeUndefined();
  });

  it('the wrap up begins by the clock and has its deadline; a pause shows what is counted; then the end', () => {
    const plan = presetPlan('60');
    const wrap = view([started(T0, plan, led), advanced(T0 + MIN, 0)], T0 + 56 * MIN);
    expect(wrap).toMatchObject({ phase: 'wrap-up', deadline: T0 + 60 * MIN, thresholds: { wrapUp: true } });
    expect(wrap.nextPhase).toBeUndefined();
    expect(wrap.wrapUpAt).toBeUndefined();
    const events = [started(T0, plan, led), advanced(T0 + MIN, 0), advanced(T0 + 2 * MIN, 1), paused(T0 + 3 * MIN)];
    const p = view(events, T0 + 9 * MIN);
    expect(p).toMatchObject({ status: 'paused', paused: true, phase: 'clarifying', countedMs: MIN });
    expect(p.deadline).toBeUndefined();
    // 3 active minutes before the pause; the 60-minute preset's wrap up begins at 55.
    expect(p.msToWrapUp).toBe(52 * MIN);
    expect(p.wrapUpAt).toBeUndefined();
    const e = view([...events, ended(T0 + 10 * MIN)], T0 + 11 * MIN);
    expect(e).toMatchObject({ status: 'ended', ended: true, sessionEnd: T0 + 10 * MIN });
  });

  it('labels the case in a two-case session and never carries a person or typed text', () => {
    const v = view([started(T0, presetPlan('90x2'), led), advanced(T0 + MIN, 0)], T0 + 46 * MIN);
    expect(v.caseLabel).toBe('Case 2 of 2');
    expect(Object.keys(v).sort()).toEqual(
      [
        'caseLabel',
        'countsUpFrom',
        'ended',
        'nextPhase',
        'paused',
        'phase',
        'phaseCount',
        'phaseIndex',
        'phaseLengthMs',
        'phaseName',
        'rule',
        'sessionEnd',
        'status',
        'thresholds',
        'wrapUpAt',
      ].sort(),
    );
  });
});
