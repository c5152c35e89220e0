import { describe, expect, it } from 'vitest';
import { advanced, ended, extended, paused, resumed, started } from '../../../src/core/timer/events.js';
import { PRESET_NAMES, presetPlan, type PhasePlan } from '../../../src/core/timer/presets.js';
import { nextBoundary, timerState } from '../../../src/core/timer/state.js';
import { at, MIN, phaseStarts, SEC, T0 } from './helpers.js';

/** Every phase index of a preset, with the plan and its phase start offsets. */
const everyPhase = (name: '75' | '90x2' | '60') => {
  const plan = presetPlan(name);
  const starts = phaseStarts(plan);
  return plan.phases.map((p, k) => ({ k, phase: p.phase, plan, starts, len: p.minutes * MIN, total: starts.at(-1)! }));
};

describe('timerState: a session left to run by itself', () => {
  it.each(PRESET_NAMES)('preset %s moves through every phase on its own and ends at the planned end', (name) => {
    const plan = presetPlan(name);
    const starts = phaseStarts(plan);
    const total = starts.at(-1)!;
    const events = [started(T0, plan)];
    plan.phases.forEach((p, k) => {
      const begin = T0 + starts[k]!;
      const first = at(events, begin);
      expect(first).toMatchObject({
        status: 'running',
        phaseIndex: k,
        phase: p.phase,
        case: p.case,
        phaseStartedAt: begin,
      });
      expect(first.msLeftInPhase).toBe(p.minutes * MIN);
      expect(first.phaseEndsAt).toBe(begin + p.minutes * MIN);
      expect(first.sessionEndsAt).toBe(T0 + total);
      expect(first.elapsedMs).toBe(starts[k]);
      expect(first.nextPhase).toEqual(plan.phases[k + 1]);
      const last = at(events, begin + p.minutes * MIN - 1);
      expect(last.phaseIndex).toBe(k);
      expect(last.msLeftInPhase).toBe(1);
      expect(last.sessionMsLeft).toBe(total - starts[k]! - p.minutes * MIN + 1);
    });
    const end = at(events, T0 + total);
    expect(end).toMatchObject({
      status: 'ended',
      endedBy: 'clock',
      endedAt: T0 + total,
      phaseIndex: plan.phases.length - 1,
    });
    expect(end.msLeftInPhase).toBe(0);
    expect(end.sessionMsLeft).toBe(0);
    expect(end.nextPhase).toBeUndefined();
    const later = at(events, T0 + total + 3 * 60 * MIN);
    expect(later.elapsedMs).toBe(total);
    expect(later.status).toBe('ended');
  });

  it('is undefined without a valid start', () => {
    expect(timerState([], T0)).toBeUndefined();
    expect(timerState([paused(T0)], T0)).toBeUndefined();
    expect(timerState([started(T0, { preset: 'custom', phases: [] })], T0)).toBeUndefined();
  });

  it('counts only the first start and ignores events before it', () => {
    const plan = presetPlan('75');
    const events = [paused(T0 - MIN), started(T0, plan), started(T0 + 10 * MIN, presetPlan('45'))];
    const s = at(events, T0 + 11 * MIN);
    expect(s.plan).toBe(plan);
    expect(s.status).toBe('running');
    expect(s.elapsedMs).toBe(11 * MIN);
    expect(s.phase).toBe('clarifying'); // 3 + 7 = 10 minutes in
  });
});

describe('timerState: pause and resume', () => {
  it.each(everyPhase('75').concat(everyPhase('90x2')))(
    'in phase $k ($phase of $plan.preset) shifts the phase and session end by the pause',
    ({ k, plan, starts, len, total }) => {
      const pauseAt = T0 + starts[k]! + MIN / 2;
      const resumeAt = pauseAt + 7 * MIN;
      const events = [started(T0, plan), paused(pauseAt), resumed(resumeAt)];

      const during = at(events.slice(0, 2), pauseAt + 3 * MIN);
      expect(during).toMatchObject({ status: 'paused', phaseIndex: k, pausedAt: pauseAt });
      expect(during.phaseEndsAt).toBeUndefined();
      expect(during.sessionEndsAt).toBeUndefined();
      expect(during.msLeftInPhase).toBe(len - MIN / 2);
      expect(during.sessionMsLeft).toBe(total - starts[k]! - MIN / 2);
      expect(during.elapsedMs).toBe(starts[k]! + MIN / 2);
      // Nothing moves while paused, however long.
      expect(at(events.slice(0, 2), pauseAt + 500 * MIN).msLeftInPhase).toBe(len - MIN / 2);
      expect(at(events.slice(0, 2), pauseAt + 500 * MIN).phaseIndex).toBe(k);

      const after = at(events, resumeAt);
      expect(after.status).toBe('running');
      expect(after.phaseEndsAt).toBe(T0 + starts[k + 1]! + 7 * MIN);
      expect(after.sessionEndsAt).toBe(T0 + total + 7 * MIN);
      expect(after.phaseStartedAt).toBe(T0 + starts[k]!);
      expect(after.elapsedMs).toBe(starts[k]! + MIN / 2);

      // The phase still lasts its full length in active time.
      expect(at(events, T0 + starts[k + 1]! + 7 * MIN - 1).phaseIndex).toBe(k);
      const next = at(events, T0 + starts[k + 1]! + 7 * MIN);
      if (k === plan.phases.length - 1) {
        expect(next).toMatchObject({ status: 'ended', endedAt: T0 + total + 7 * MIN, endedBy: 'clock' });
      } else {
        expect(next).toMatchObject({
          status: 'running',
          phaseIndex: k + 1,
          phaseStartedAt: T0 + starts[k + 1]! + 7 * MIN,
        });
      }
    },
  );

  it('ignores a second pause and a resume while running', () => {
    const plan = presetPlan('60');
    const events = [
      started(T0, plan),
      resumed(T0 + MIN),
      paused(T0 + 2 * MIN),
      paused(T0 + 4 * MIN),
      resumed(T0 + 6 * MIN),
    ];
    const s = at(events, T0 + 6 * MIN);
    expect(s.status).toBe('running');
    expect(s.elapsedMs).toBe(2 * MIN);
    expect(s.sessionEndsAt).toBe(T0 + 64 * MIN);
  });

  it('adds up several pauses', () => {
    const events = [
      started(T0, presetPlan('60')),
      paused(T0 + MIN),
      resumed(T0 + 2 * MIN),
      paused(T0 + 3 * MIN),
      resumed(T0 + 6 * MIN),
    ];
    const s = at(events, T0 + 10 * MIN);
    expect(s.elapsedMs).toBe(6 * MIN);
    expect(s.sessionEndsAt).toBe(T0 + 64 * MIN);
    // Changed on purpose (issue 14): the 60-minute preset now opens with a 2-minute case call,
    // which ran out (active 2 min) at T0+3, the instant of the second pause.
    expect(s.phase).toBe('presentation');
    expect(s.phaseStartedAt).toBe(T0 + 3 * MIN);
  });
});

describe('timerState: extend', () => {
  it.each(everyPhase('75').concat(everyPhase('60')))(
    'in phase $k ($phase of $plan.preset) lengthens that phase only',
    ({ k, plan, starts, len, total }) => {
      const extendAt = T0 + starts[k]! + MIN;
      const events = [started(T0, plan), extended(extendAt, 2)];
      const s = at(events, extendAt);
      expect(s.phaseIndex).toBe(k);
      expect(s.phaseLengthMs).toBe(len + 2 * MIN);
      expect(s.msLeftInPhase).toBe(len + MIN);
      expect(s.phaseEndsAt).toBe(T0 + starts[k + 1]! + 2 * MIN);
      expect(s.sessionEndsAt).toBe(T0 + total + 2 * MIN);
      expect(at(events, T0 + starts[k + 1]! + 2 * MIN - 1).phaseIndex).toBe(k);
      const next = at(events, T0 + starts[k + 1]! + 2 * MIN);
      if (k < plan.phases.length - 1) {
        expect(next.phaseIndex).toBe(k + 1);
        // The next phase keeps its planned length.
        expect(next.phaseLengthMs).toBe(plan.phases[k + 1]!.minutes * MIN);
      } else {
        expect(next).toMatchObject({ status: 'ended', endedAt: T0 + total + 2 * MIN });
      }
    },
  );

  it('works while paused and ignores non-positive minutes', () => {
    const plan = presetPlan('45');
    const events = [
      started(T0, plan),
      paused(T0 + MIN),
      extended(T0 + 2 * MIN, 3),
      extended(T0 + 2 * MIN, 0),
      extended(T0 + 2 * MIN, -5),
    ];
    const s = at(events, T0 + 10 * MIN);
    expect(s.status).toBe('paused');
    expect(s.phaseLengthMs).toBe(5 * MIN);
    expect(s.msLeftInPhase).toBe(4 * MIN);
  });

  it('adds up several extensions', () => {
    const events = [started(T0, presetPlan('75')), extended(T0, 2), extended(T0 + MIN, 2)];
    const s = at(events, T0 + MIN);
    expect(s.phaseLengthMs).toBe(7 * MIN);
    expect(s.sessionEndsAt).toBe(T0 + 79 * MIN);
  });
});

describe('timerState: advance (next phase)', () => {
  it.each(everyPhase('75').concat(everyPhase('90x2')))(
    'in phase $k ($phase of $plan.preset) ends the phase now',
    ({ k, plan, starts, len, total }) => {
      const pressAt = T0 + starts[k]! + MIN;
      const events = [started(T0, plan), advanced(pressAt)];
      const s = at(events, pressAt);
      const saved = len - MIN;
      if (k === plan.phases.length - 1) {
        expect(s).toMatchObject({ status: 'ended', endedBy: 'facilitator', endedAt: pressAt, phaseIndex: k });
        return;
      }
      expect(s).toMatchObject({
        status: 'running',
        phaseIndex: k + 1,
        phaseStartedAt: pressAt,
        phase: plan.phases[k + 1]!.phase,
      });
      expect(s.msLeftInPhase).toBe(plan.phases[k + 1]!.minutes * MIN);
      expect(s.sessionEndsAt).toBe(T0 + total - saved);
      expect(s.elapsedMs).toBe(starts[k]! + MIN);
    },
  );

  it('while paused enters the next phase, still paused', () => {
    const plan = presetPlan('75');
    const events = [started(T0, plan), paused(T0 + MIN), advanced(T0 + 2 * MIN)];
    const s = at(events, T0 + 30 * MIN);
    expect(s).toMatchObject({ status: 'paused', phaseIndex: 1, phaseStartedAt: T0 + 2 * MIN });
    expect(s.msLeftInPhase).toBe(7 * MIN);
    const r = at([...events, resumed(T0 + 30 * MIN)], T0 + 31 * MIN);
    expect(r.phaseEndsAt).toBe(T0 + 37 * MIN);
  });

  it('drops an extension along with its phase', () => {
    const events = [started(T0, presetPlan('75')), extended(T0 + MIN, 5), advanced(T0 + 2 * MIN)];
    const s = at(events, T0 + 2 * MIN);
    expect(s.phaseLengthMs).toBe(7 * MIN);
    expect(s.sessionEndsAt).toBe(T0 + 2 * MIN + 72 * MIN);
  });
});

describe('timerState: two cases', () => {
  it('runs case 2 after case 1 with its own case call, one ending at 90 minutes', () => {
    const plan = presetPlan('90x2');
    const events = [started(T0, plan)];
    const endOfOne = at(events, T0 + 45 * MIN - 1);
    expect(endOfOne).toMatchObject({ phase: 'wrap-up', case: 1, caseCount: 2, phaseIndex: 5 });
    expect(endOfOne.nextPhase).toEqual({ phase: 'case-call', case: 2, minutes: 2 });
    const two = at(events, T0 + 45 * MIN);
    expect(two).toMatchObject({
      status: 'running',
      phase: 'case-call',
      case: 2,
      phaseIndex: 6,
      phaseStartedAt: T0 + 45 * MIN,
    });
    expect(two.sessionMsLeft).toBe(45 * MIN);
    expect(at(events, T0 + 90 * MIN - 1)).toMatchObject({ phase: 'wrap-up', case: 2, status: 'running' });
    expect(at(events, T0 + 90 * MIN)).toMatchObject({ status: 'ended', case: 2, endedAt: T0 + 90 * MIN });
  });

  it('moves case 2 when case 1 runs over', () => {
    const plan = presetPlan('90x2');
    const events = [started(T0, plan), extended(T0 + 20 * MIN, 4), advanced(T0 + 50 * MIN)];
    // push back of case 1 (12..34) + 4 = 38; presenter returns 38..46, wrap up 46..49; at 49 case 2 starts;
    // 50: advance out of case 2's case call.
    expect(at(events.slice(0, 2), T0 + 49 * MIN - 1)).toMatchObject({ case: 1, phase: 'wrap-up' });
    expect(at(events.slice(0, 2), T0 + 49 * MIN)).toMatchObject({
      case: 2,
      phase: 'case-call',
      phaseStartedAt: T0 + 49 * MIN,
    });
    const s = at(events, T0 + 50 * MIN);
    expect(s).toMatchObject({ case: 2, phase: 'presentation', phaseStartedAt: T0 + 50 * MIN });
    expect(s.sessionEndsAt).toBe(T0 + 50 * MIN + 43 * MIN);
  });
});

describe('timerState: ending and odd inputs', () => {
  it('ends on `ended` and ignores everything after it', () => {
    const plan = presetPlan('75');
    const events = [
      started(T0, plan),
      ended(T0 + 20 * MIN),
      resumed(T0 + 21 * MIN),
      advanced(T0 + 22 * MIN),
      extended(T0 + 23 * MIN, 2),
    ];
    const s = at(events, T0 + 99 * MIN);
    expect(s).toMatchObject({
      status: 'ended',
      endedBy: 'facilitator',
      endedAt: T0 + 20 * MIN,
      phase: 'push-back',
      elapsedMs: 20 * MIN,
    });
  });

  it('ignores a late press after the session ended by itself', () => {
    const events = [started(T0, presetPlan('45')), advanced(T0 + 50 * MIN), ended(T0 + 51 * MIN)];
    expect(at(events, T0 + 60 * MIN)).toMatchObject({ status: 'ended', endedBy: 'clock', endedAt: T0 + 45 * MIN });
  });

  it('treats an event stamped earlier than the previous one as at the previous one', () => {
    const plan = presetPlan('75');
    // The resume is stamped before the pause: the pause lasted no time at all.
    const events = [started(T0, plan), paused(T0 + 10 * MIN), resumed(T0 + 5 * MIN)];
    const s = at(events, T0 + 20 * MIN);
    expect(s.status).toBe('running');
    expect(s.elapsedMs).toBe(20 * MIN);
    expect(s.sessionEndsAt).toBe(T0 + 75 * MIN);
  });

  it('treats an advance stamped before the start as at the start', () => {
    const events = [started(T0, presetPlan('75')), advanced(T0 - 5 * MIN)];
    const s = at(events, T0);
    expect(s).toMatchObject({ phaseIndex: 1, phaseStartedAt: T0, elapsedMs: 0 });
  });

  it('reads a `now` earlier than the last event as the time of that event', () => {
    const events = [started(T0, presetPlan('75')), advanced(T0 + 2 * MIN)];
    const early = at(events, T0 + MIN);
    expect(early).toEqual(at(events, T0 + 2 * MIN));
    expect(early.phaseIndex).toBe(1);
    expect(at(events, Number.NaN)).toEqual(early);
  });

  it('shows time left to the millisecond in the last minute', () => {
    const events = [started(T0, presetPlan('75'))];
    expect(at(events, T0 + 3 * MIN - 45 * SEC).msLeftInPhase).toBe(45 * SEC);
  });
});

describe('nextBoundary', () => {
  const plan = presetPlan('75');
  const events = [started(T0, plan)];

  it('is the next phase change while running', () => {
    expect(nextBoundary(events, T0)).toBe(T0 + 3 * MIN);
    expect(nextBoundary(events, T0 + 3 * MIN)).toBe(T0 + 10 * MIN);
    expect(nextBoundary(events, T0 + 60 * MIN)).toBe(T0 + 70 * MIN);
  });

  it('is the two-minute warning in the wrap up, then the end', () => {
    expect(nextBoundary(events, T0 + 70 * MIN)).toBe(T0 + 73 * MIN);
    expect(nextBoundary(events, T0 + 73 * MIN)).toBe(T0 + 75 * MIN);
    expect(nextBoundary(events, T0 + 74 * MIN)).toBe(T0 + 75 * MIN);
  });

  it('warns before each case ends in a two-case session', () => {
    const two = [started(T0, presetPlan('90x2'))];
    expect(nextBoundary(two, T0 + 42 * MIN)).toBe(T0 + 43 * MIN);
    expect(nextBoundary(two, T0 + 43 * MIN)).toBe(T0 + 45 * MIN);
    expect(nextBoundary(two, T0 + 87 * MIN)).toBe(T0 + 88 * MIN);
  });

  it('follows pauses and extensions', () => {
    const moved = [...events, paused(T0 + MIN), resumed(T0 + 6 * MIN), extended(T0 + 6 * MIN, 2)];
    expect(nextBoundary(moved, T0 + 6 * MIN)).toBe(T0 + 10 * MIN);
  });

  it('is undefined when paused, ended or never started', () => {
    expect(nextBoundary([...events, paused(T0 + MIN)], T0 + 2 * MIN)).toBeUndefined();
    expect(nextBoundary(events, T0 + 75 * MIN)).toBeUndefined();
    expect(nextBoundary([...events, ended(T0 + MIN)], T0 + MIN)).toBeUndefined();
    expect(nextBoundary([], T0)).toBeUndefined();
  });

  it('is always later than now', () => {
    for (let m = 0; m < 75; m += 0.5) expect(nextBoundary(events, T0 + m * MIN)!).toBeGreaterThan(T0 + m * MIN);
  });

  it('puts the warning at the start of a final phase shorter than two minutes', () => {
    const short: PhasePlan = {
      preset: 'custom',
      phases: [
        { phase: 'push-back', case: 1, minutes: 5 },
        { phase: 'wrap-up', case: 1, minutes: 1 },
      ],
    };
    const ev = [started(T0, short)];
    expect(nextBoundary(ev, T0)).toBe(T0 + 5 * MIN);
    expect(nextBoundary(ev, T0 + 5 * MIN)).toBe(T0 + 6 * MIN);
  });
});
