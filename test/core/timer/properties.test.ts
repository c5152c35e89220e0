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

// Pacing 'led' and 'strict', the facilitators pressing from whatever phase they saw.
const early = fc.integer({ min: 0, max: 40 * MIN });
const ledEvent: fc.Arbitrary<TimerEvent> = fc.oneof(
  fc
    .tuple(early, fc.integer({ min: 0, max: 12 }))
    .map(([o, from]): TimerEvent => ({ type: 'advanced', at: T0 + o, from })),
  early.map((o): TimerEvent => ({ type: 'paused', at: T0 + o })),
  early.map((o): TimerEvent => ({ type: 'resumed', at: T0 + o })),
  fc
    .tuple(early, fc.integer({ min: 1, max: 10 }))
    .map(([o, minutes]): TimerEvent => ({ type: 'extended', at: T0 + o, minutes })),
);
const paced = fc
  .tuple(
    fc.constantFrom(...PRESET_NAMES),
    fc.constantFrom('led' as const, 'strict' as const),
    fc.array(ledEvent, { maxLength: 25 }),
  )
  .map(([preset, pacing, rest]) => ({
    preset,
    pacing,
    events: [
      { type: 'started', at: T0, plan: presetPlan(preset), pacing } as TimerEvent,
      ...[...rest].sort((a, b) => a.at - b.at),
    ],
  }));

describe('timer fold properties under pacing', () => {
  it('led: the session ends at its start + length + extensions + pauses, never moved by the phases', () => {
    fc.assert(
      fc.property(paced, ({ preset, pacing, events }) => {
        fc.pre(pacing === 'led');
        const plan = presetPlan(preset);
        const total = plan.phases.reduce((s, p) => s + p.minutes, 0) * MIN;
        const extra = events.reduce((s, e) => s + (e.type === 'extended' ? e.minutes * MIN : 0), 0);
        const last = events.at(-1)!;
        const final = timerState([...events, { type: 'resumed', at: last.at }], T0 + 1000 * MIN)!;
        expect(final.status).toBe('ended');
        if (final.status !== 'ended') return;
        if (final.endedBy === 'clock') expect(final.elapsedMs).toBe(total + extra);
        else expect(final.elapsedMs).toBeLessThanOrEqual(total + extra);
      }),
      { numRuns: 400 },
    );
  });

  it('the card can always show the time to the wrap up and to the end, consistently', () => {
    fc.assert(
      fc.property(paced, offset, ({ events }, o) => {
        // A `now` before the last event reads as at it.
        const now = Math.max(T0 + Math.max(0, o), events.at(-1)!.at);
        const s = timerState(events, now)!;
        expect(s.msLeftInPhase).toBeGreaterThanOrEqual(0);
        expect(s.msToWrapUp).toBeGreaterThanOrEqual(0);
        expect(s.sessionMsLeft).toBeGreaterThanOrEqual(s.msToWrapUp);
        if (s.status === 'running') {
          expect(s.sessionEndsAt - now).toBe(s.sessionMsLeft);
          expect(s.wrapUpAt - now).toBe(s.msToWrapUp);
          if (s.phaseEndsAt !== undefined) expect(s.phaseEndsAt).toBeGreaterThan(now);
          if (s.pacing === 'led') expect(s.phaseEndsAt).toBeDefined();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a press delivered twice changes the state once', () => {
    fc.assert(
      fc.property(paced, fc.nat(), offset, ({ events }, pick, o) => {
        const advances = events.map((e, k) => [e, k] as const).filter(([e]) => e.type === 'advanced');
        fc.pre(advances.length > 0);
        const [event, k] = advances[pick % advances.length]!;
        const twice = [...events.slice(0, k + 1), { ...event, at: event.at + 150 }, ...events.slice(k + 1)];
        twice.sort((a, b) => a.at - b.at);
        const now = T0 + 50 * MIN + Math.max(0, o);
        const once = [...events].sort((a, b) => a.at - b.at);
        expect(timerState(twice, now)).toEqual(timerState(once, now));
      }),
      { numRuns: 300 },
    );
  });

  it('phases never go backwards and announcements come in order, one closing last', () => {
    fc.assert(
      fc.property(paced, twoNows, ({ events }, [a, b]) => {
        expect(timerState(events, b)!.phaseIndex).toBeGreaterThanOrEqual(timerState(events, a)!.phaseIndex);
        const list = announcementsBetween(events, T0 - 1, T0 + 1000 * MIN);
        for (let k = 1; k < list.length; k++) expect(list[k]!.at).toBeGreaterThanOrEqual(list[k - 1]!.at);
        const closings = list.filter((x) => x.kind === 'closing');
        expect(closings.length).toBeLessThanOrEqual(1);
        if (closings.length === 1) expect(list.at(-1)!.kind).toBe('closing');
      }),
      { numRuns: 300 },
    );
  });
});
