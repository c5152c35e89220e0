import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimerEvent } from '../../../src/core/timer/events.js';
import { PRESET_NAMES, presetPlan } from '../../../src/core/timer/presets.js';
import { announcementsBetween, nextBoundary, timerState } from '../../../src/core/timer/state.js';
import { MIN, T0 } from './helpers.js';

const offset = fc.integer({ min: -10 * MIN, max: 200 * MIN });

const laterEvent: fc.Arbitrary<TimerEvent> = fc.oneof(
  offset.map((o): TimerEvent => ({ type: 'advanced', at: T0 + o })),
  offset.map((o): TimerEvent => ({ type: 'paused', at: T0 + o })),
  offset.map((o): TimerEvent => ({ type: 'resumed', at: T0 + o })),
  fc
    .tuple(offset, fc.integer({ min: -1, max: 10 }))
    .map(([o, minutes]): TimerEvent => ({ type: 'extended', at: T0 + o, minutes })),
  offset.map((o): TimerEvent => ({ type: 'ended', at: T0 + o })),
);

/** A start, then a random mix of events, in any order of timestamps (sorted or not). */
const session = fc
  .tuple(fc.constantFrom(...PRESET_NAMES), fc.array(laterEvent, { maxLength: 25 }), fc.boolean())
  .map(([preset, rest, sort]): TimerEvent[] => [
    { type: 'started', at: T0, plan: presetPlan(preset) },
    ...(sort ? [...rest].sort((a, b) => a.at - b.at) : rest),
  ]);

const twoNows = fc.tuple(offset, offset).map(([a, b]) => [T0 + Math.min(a, b), T0 + Math.max(a, b)] as const);

describe('timer fold properties', () => {
  it('elapsed time and the phase never go backwards as now moves on; time left is never negative', () => {
    fc.assert(
      fc.property(session, twoNows, (events, [early, late]) => {
        const a = timerState(events, early)!;
        const b = timerState(events, late)!;
        expect(b.elapsedMs).toBeGreaterThanOrEqual(a.elapsedMs);
        expect(b.phaseIndex).toBeGreaterThanOrEqual(a.phaseIndex);
        for (const s of [a, b]) {
          expect(s.msLeftInPhase).toBeGreaterThanOrEqual(0);
          expect(s.sessionMsLeft).toBeGreaterThanOrEqual(s.msLeftInPhase);
          expect(s.msLeftInPhase).toBeLessThanOrEqual(s.phaseLengthMs);
          expect(s.elapsedMs).toBeGreaterThanOrEqual(0);
          if (s.status !== 'ended') expect(s.msLeftInPhase).toBeGreaterThan(0);
        }
        if (a.status === 'ended') expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('the next boundary is in the future and nothing is announced before it', () => {
    fc.assert(
      fc.property(session, offset, (events, o) => {
        const now = T0 + o;
        const next = nextBoundary(events, now);
        const state = timerState(events, now)!;
        if (next === undefined) {
          expect(state.status === 'paused' || state.status === 'ended').toBe(true);
          return;
        }
        expect(state.status).toBe('running');
        expect(next).toBeGreaterThan(now);
        expect(next).toBeLessThanOrEqual(state.phaseEndsAt!);
        const lastEvent = Math.max(...events.map((e) => e.at));
        if (now >= lastEvent) {
          // Nothing happens strictly between now and the boundary; something happens at it.
          expect(announcementsBetween(events, now, next - 1)).toEqual([]);
          expect(announcementsBetween(events, next - 1, next).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('announcements come in time order, at most one closing, last', () => {
    fc.assert(
      fc.property(session, (events) => {
        const list = announcementsBetween(events, T0 - 20 * MIN, T0 + 1000 * MIN);
        for (let k = 1; k < list.length; k++) expect(list[k]!.at).toBeGreaterThanOrEqual(list[k - 1]!.at);
        const closings = list.filter((a) => a.kind === 'closing');
        expect(closings.length).toBeLessThanOrEqual(1);
        if (closings.length === 1) expect(list.at(-1)!.kind).toBe('closing');
        const phases = list.filter((a) => a.kind === 'phase').map((a) => a.phaseIndex);
        expect(phases).toEqual([...phases].sort((x, y) => x - y));
        expect(new Set(phases).size).toBe(phases.length);
      }),
      { numRuns: 300 },
    );
  });
});
