// The rules of the fold for the two pacings, on plain epoch-ms numbers for every preset: the case
// call waits, the facilitators lead, the clock holds the wrap up and the end.
import { describe, expect, it } from 'vitest';
import {
  advanced,
  ended,
  extended,
  paused,
  resumed,
  started,
  type Pacing,
  type TimerEvent,
} from '../../../src/core/timer/events.js';
import { PRESET_NAMES, planMinutes, presetPlan, type PresetName } from '../../../src/core/timer/presets.js';
import { announcementsBetween, isLastPhaseOfCase, nextBoundary } from '../../../src/core/timer/state.js';
import { at, MIN, T0 } from './helpers.js';

const led = (preset: PresetName, options: { endsAt?: number } = {}): TimerEvent[] => [
  started(T0, presetPlan(preset), { pacing: 'led', ...options }),
];
/** Index of the wrap up of the last case. */
const lastWrap = (preset: PresetName): number => presetPlan(preset).phases.length - 1;
/** Active minutes from the start at which case `c` ends under 'led' (planned shares). */
function caseEnds(preset: PresetName): number[] {
  const plan = presetPlan(preset);
  const ends: number[] = [];
  let sum = 0;
  plan.phases.forEach((p, j) => {
    sum += p.minutes;
    if (isLastPhaseOfCase(plan, j)) ends.push(sum);
  });
  return ends;
}

describe.each(PRESET_NAMES)('preset %s', (preset) => {
  const plan = presetPlan(preset);
  const total = planMinutes(plan);
  const wrap = plan.phases[lastWrap(preset)]!.minutes;

  it.each(['led', 'strict'] as Pacing[])('%s: the case call waits, counting up, with nothing due', (pacing) => {
    const events = [started(T0, plan, { pacing })];
    const s = at(events, T0 + (plan.phases[0]!.minutes + 1) * MIN);
    expect(s).toMatchObject({ status: 'running', phase: 'case-call', waiting: true, msLeftInPhase: 0 });
    expect(s.phaseElapsedMs).toBe((plan.phases[0]!.minutes + 1) * MIN);
    if (pacing === 'strict') {
      expect(nextBoundary(events, T0 + 30 * MIN)).toBeUndefined();
      expect(at(events, T0 + 500 * MIN).phase).toBe('case-call');
    }
  });

  it('led: left alone, the wrap up begins by itself at end minus its length, and the session ends at its end', () => {
    const events = led(preset);
    const ends = caseEnds(preset);
    const lastEnd = ends.at(-1)!;
    expect(lastEnd).toBe(total);
    const before = at(events, T0 + (total - wrap) * MIN - 1);
    expect(before.phase).not.toBe('wrap-up');
    const s = at(events, T0 + (total - wrap) * MIN);
    expect(s).toMatchObject({ phaseIndex: lastWrap(preset), phase: 'wrap-up', status: 'running' });
    expect(s.status === 'running' && s.phaseEndsAt).toBe(T0 + total * MIN);
    expect(at(events, T0 + total * MIN)).toMatchObject({
      status: 'ended',
      endedBy: 'clock',
      endedAt: T0 + total * MIN,
    });
    const kinds = announcementsBetween(events, T0, T0 + total * MIN).map((a) => a.kind);
    expect(kinds.slice(-3)).toEqual(['phase', 'warning', 'closing']);
  });

  it('led: early and late advances move the phases, never the end', () => {
    // Each phase before the wrap up ends after a third or after twice its target, alternately.
    const events = led(preset);
    let t = T0;
    const lastIndex = lastWrap(preset);
    for (let j = 0; j < lastIndex; j++) {
      const phase = plan.phases[j]!;
      if (isLastPhaseOfCase(plan, j)) continue;
      t += Math.round(phase.minutes * MIN * (j % 2 === 0 ? 1 / 3 : 2));
      const here = at(events, t);
      if (here.status !== 'running' || here.phaseIndex !== j) break; // the wrap up took over
      expect(here.sessionEndsAt).toBe(T0 + total * MIN);
      events.push(advanced(t, j));
    }
    const end = at(events, T0 + total * MIN + MIN);
    expect(end).toMatchObject({ status: 'ended', endedBy: 'clock', endedAt: T0 + total * MIN });
  });

  it('led: an early wrap up lasts until the end; Next in the last wrap up ends the session', () => {
    const events = led(preset);
    const wrapIndex = plan.phases.findIndex((_, j) => isLastPhaseOfCase(plan, j));
    for (let j = 0; j < wrapIndex; j++) events.push(advanced(T0 + (j + 1) * MIN, j));
    const s = at(events, T0 + wrapIndex * MIN);
    expect(s.phaseIndex).toBe(wrapIndex);
    expect(s.status === 'running' && s.phaseEndsAt).toBe(T0 + caseEnds(preset)[0]! * MIN);
    if (plan.phases.length === wrapIndex + 1) {
      events.push(advanced(T0 + (wrapIndex + 1) * MIN, wrapIndex));
      expect(at(events, T0 + 60 * MIN)).toMatchObject({ status: 'ended', endedBy: 'facilitator' });
    }
  });

  it('led: a pause stops the whole clock, end included; extend moves the end', () => {
    const events = [...led(preset), advanced(T0 + MIN, 0), paused(T0 + 5 * MIN), resumed(T0 + 17 * MIN)];
    events.push(extended(T0 + 20 * MIN, 4));
    const s = at(events, T0 + 21 * MIN);
    expect(s.status === 'running' && s.sessionEndsAt).toBe(T0 + (total + 12 + 4) * MIN);
    // The wrap up of the case running now (case 1 of two) moves by as much.
    const firstWrap = plan.phases.find((_, j) => isLastPhaseOfCase(plan, j))!.minutes;
    expect(s.status === 'running' && s.wrapUpAt).toBe(T0 + (caseEnds(preset)[0]! + 12 + 4 - firstWrap) * MIN);
    expect(announcementsBetween(events, T0 + 19 * MIN, T0 + 20 * MIN).map((a) => a.kind)).toEqual(['extended']);
    expect(at(events, T0 + (total + 16) * MIN)).toMatchObject({ status: 'ended', endedBy: 'clock' });
    expect(at(events, T0 + (total + 16) * MIN - 1).status).toBe('running');
  });

  it('led: a paused session stays paused past its end and shows the time left', () => {
    const events = [...led(preset), paused(T0 + 10 * MIN)];
    const s = at(events, T0 + 500 * MIN);
    expect(s).toMatchObject({ status: 'paused', sessionMsLeft: (total - 10) * MIN });
    expect(nextBoundary(events, T0 + 500 * MIN)).toBeUndefined();
  });

  it('strict: after the case, every phase ends at its target; extend lengthens the phase', () => {
    const events = [started(T0, plan, { pacing: 'strict' }), advanced(T0 + 4 * MIN, 0)];
    const rest = total - plan.phases[0]!.minutes;
    expect(at(events, T0 + (4 + plan.phases[1]!.minutes) * MIN).phaseIndex).toBe(2);
    expect(at(events, T0 + (4 + rest) * MIN)).toMatchObject({
      status: plan.phases.some((p, j) => j > 0 && p.phase === 'case-call') ? 'running' : 'ended',
    });
    const longer = [...events, extended(T0 + 5 * MIN, 3)];
    expect(at(longer, T0 + 5 * MIN).msLeftInPhase).toBe((plan.phases[1]!.minutes - 1 + 3) * MIN);
  });
});

describe('led: the end of a scheduled session holds', () => {
  it('a session started 10 minutes late still ends at the scheduled end, its phases absorbing the loss', () => {
    const events = led('75', { endsAt: T0 + 65 * MIN });
    const s = at(events, T0);
    expect(s.status === 'running' && s.sessionEndsAt).toBe(T0 + 65 * MIN);
    expect(s.status === 'running' && s.wrapUpAt).toBe(T0 + 60 * MIN);
    expect(at(events, T0 + 65 * MIN)).toMatchObject({ status: 'ended', endedBy: 'clock' });
  });

  it('two cases share the scheduled length in their planned proportions', () => {
    const events = led('90x2', { endsAt: T0 + 60 * MIN });
    // Case 1 ends at 30 (45 of 90), its wrap up from 27.
    expect(at(events, T0 + 27 * MIN)).toMatchObject({ phase: 'wrap-up', case: 1 });
    expect(at(events, T0 + 30 * MIN)).toMatchObject({ phase: 'case-call', case: 2 });
    expect(at(events, T0 + 57 * MIN)).toMatchObject({ phase: 'wrap-up', case: 2 });
    expect(at(events, T0 + 60 * MIN).status).toBe('ended');
  });
});

describe('a press delivered twice', () => {
  it('an advance from a phase that has passed changes nothing', () => {
    const events = [...led('75'), advanced(T0 + MIN, 0), advanced(T0 + MIN + 150, 0)];
    expect(at(events, T0 + 2 * MIN).phase).toBe('presentation');
    expect(announcementsBetween(events, T0, T0 + 2 * MIN).filter((a) => a.kind === 'phase')).toHaveLength(1);
  });

  it('an advance without `from` (stored before steps existed) still moves on', () => {
    const events = [...led('75'), advanced(T0 + MIN), advanced(T0 + 2 * MIN)];
    expect(at(events, T0 + 2 * MIN).phase).toBe('clarifying');
  });

  it('ended is final', () => {
    const events = [...led('60'), ended(T0 + MIN), advanced(T0 + 2 * MIN, 0)];
    expect(at(events, T0 + 3 * MIN)).toMatchObject({ status: 'ended', endedBy: 'facilitator', endedAt: T0 + MIN });
  });
});
