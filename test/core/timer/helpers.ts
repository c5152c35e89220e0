// Shared fixtures for the timer tests: plain epoch-ms numbers, no clocks, no sleeping.
import type { TimerEvent } from '../../../src/core/timer/events.js';
import type { PhasePlan } from '../../../src/core/timer/presets.js';
import { timerState, type TimerState } from '../../../src/core/timer/state.js';

export const T0 = Date.UTC(2027, 0, 15, 15, 0, 0);
export const MIN = 60_000;
export const SEC = 1_000;

/** Offsets (ms from the start) at which each phase begins, plus the planned end. */
export function phaseStarts(plan: PhasePlan): number[] {
  const starts = [0];
  for (const p of plan.phases) starts.push((starts.at(-1) ?? 0) + p.minutes * MIN);
  return starts;
}

/** The fold at `now`; a test whose events have no valid start fails here, by name. */
export function at(events: TimerEvent[], now: number): TimerState {
  const state = timerState(events, now);
  if (!state) throw new Error('no state');
  return state;
}
