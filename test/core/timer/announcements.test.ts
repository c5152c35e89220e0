import { describe, expect, it } from 'vitest';
import { advanced, ended, extended, paused, resumed, started } from '../../../src/core/timer/events.js';
import { presetPlan, type PhasePlan } from '../../../src/core/timer/presets.js';
import { announcementsBetween, catchUpAnnouncement, type Announcement } from '../../../src/core/timer/state.js';
import { MIN, T0 } from './helpers.js';

const brief = (list: Announcement[]) => list.map((a) => [a.kind, a.phaseIndex, (a.at - T0) / MIN]);

describe('announcementsBetween', () => {
  it('lists every phase start but the first, the warning and the closing of a 75-minute session', () => {
    const events = [started(T0, presetPlan('75'))];
    expect(brief(announcementsBetween(events, T0, T0 + 75 * MIN))).toEqual([
      ['phase', 1, 3],
      ['phase', 2, 10],
      ['phase', 3, 17],
      ['phase', 4, 57],
      ['phase', 5, 70],
      ['warning', 5, 73],
      ['closing', 5, 75],
    ]);
  });

  it('warns before each case ends and closes once in a two-case session', () => {
    const list = announcementsBetween([started(T0, presetPlan('90x2'))], T0, T0 + 200 * MIN);
    expect(list.filter((a) => a.kind === 'warning').map((a) => [a.phaseIndex, (a.at - T0) / MIN])).toEqual([
      [5, 43],
      [11, 88],
    ]);
    expect(list.filter((a) => a.kind === 'closing')).toEqual([{ kind: 'closing', phaseIndex: 11, at: T0 + 90 * MIN }]);
    expect(list.filter((a) => a.kind === 'phase').map((a) => a.phaseIndex)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(list.find((a) => a.phaseIndex === 6)!.at).toBe(T0 + 45 * MIN);
  });

  it('is half-open (from, to]: windows laid end to end give each announcement once', () => {
    const events = [
      started(T0, presetPlan('75')),
      paused(T0 + 20 * MIN),
      resumed(T0 + 24 * MIN),
      advanced(T0 + 40 * MIN),
    ];
    const whole = announcementsBetween(events, T0, T0 + 200 * MIN);
    const pieces = [];
    for (let m = 0; m < 200; m += 7)
      pieces.push(...announcementsBetween(events, T0 + m * MIN, T0 + Math.min(200, m + 7) * MIN));
    expect(pieces).toEqual(whole);
    expect(announcementsBetween(events, T0 + 3 * MIN, T0 + 3 * MIN)).toEqual([]);
    expect(brief(announcementsBetween(events, T0 + 3 * MIN - 1, T0 + 3 * MIN))).toEqual([['phase', 1, 3]]);
  });

  it('follows pauses, extensions and early moves across several boundaries', () => {
    const events = [
      started(T0, presetPlan('75')),
      paused(T0 + MIN),
      resumed(T0 + 5 * MIN), // case call now ends at 7
      advanced(T0 + 9 * MIN), // presentation cut short: clarifying 9..16
      extended(T0 + 10 * MIN, 2), // clarifying 9..18
      ended(T0 + 30 * MIN),
      advanced(T0 + 31 * MIN), // ignored
    ];
    expect(brief(announcementsBetween(events, T0, T0 + 100 * MIN))).toEqual([
      ['phase', 1, 7],
      ['phase', 2, 9],
      ['phase', 3, 18],
      ['closing', 3, 30],
    ]);
  });

  it('gives a bot that was down the whole backlog, and one post to catch up with', () => {
    const events = [started(T0, presetPlan('75'))];
    const missed = announcementsBetween(events, T0 + 2 * MIN, T0 + 58 * MIN);
    expect(brief(missed)).toEqual([
      ['phase', 1, 3],
      ['phase', 2, 10],
      ['phase', 3, 17],
      ['phase', 4, 57],
    ]);
    expect(catchUpAnnouncement(missed)).toEqual({ kind: 'phase', phaseIndex: 4, at: T0 + 57 * MIN });
    const toEnd = announcementsBetween(events, T0 + 2 * MIN, T0 + 80 * MIN);
    expect(catchUpAnnouncement(toEnd)?.kind).toBe('closing');
    expect(catchUpAnnouncement([])).toBeUndefined();
  });

  it('while paused the warning waits for the resume', () => {
    const events = [started(T0, presetPlan('75')), paused(T0 + 72 * MIN), resumed(T0 + 100 * MIN)];
    expect(brief(announcementsBetween(events, T0 + 70 * MIN, T0 + 200 * MIN))).toEqual([
      ['warning', 5, 101],
      ['closing', 5, 103],
    ]);
  });

  it('warns once per wrap up, even when extended after the warning', () => {
    const events = [started(T0, presetPlan('75')), extended(T0 + 74 * MIN, 2)];
    expect(brief(announcementsBetween(events, T0 + 70 * MIN, T0 + 200 * MIN))).toEqual([
      ['warning', 5, 73],
      ['closing', 5, 77],
    ]);
  });

  it('moves the warning when the wrap up is extended before it', () => {
    const events = [started(T0, presetPlan('75')), extended(T0 + 71 * MIN, 2)];
    expect(brief(announcementsBetween(events, T0 + 70 * MIN, T0 + 200 * MIN))).toEqual([
      ['warning', 5, 75],
      ['closing', 5, 77],
    ]);
  });

  it('warns at the start of a wrap up shorter than two minutes, right after its phase post', () => {
    const plan: PhasePlan = {
      preset: 'custom',
      phases: [
        { phase: 'push-back', case: 1, minutes: 5 },
        { phase: 'wrap-up', case: 1, minutes: 1 },
      ],
    };
    expect(brief(announcementsBetween([started(T0, plan)], T0, T0 + 10 * MIN))).toEqual([
      ['phase', 1, 5],
      ['warning', 1, 5],
      ['closing', 1, 6],
    ]);
  });

  it('says nothing before the start or without one', () => {
    expect(announcementsBetween([started(T0, presetPlan('60'))], T0 - 10 * MIN, T0)).toEqual([]);
    expect(announcementsBetween([], T0, T0 + 100 * MIN)).toEqual([]);
  });
});
