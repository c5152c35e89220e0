// What happens to a running session's timer, as facts with timestamps. The state at any
// moment is a fold of these (state.ts); nothing counts down in memory. All `at` are epoch ms.
import { isValidPlan, type PhasePlan } from './presets.js';

/** The session begins with its first phase. Only the first `started` counts. */
export interface TimerStarted {
  type: 'started';
  at: number;
  plan: PhasePlan;
}
/** A facilitator moves on early: the current phase ends now. */
export interface TimerAdvanced {
  type: 'advanced';
  at: number;
}
/** The clocks of the phase and of the session stop. */
export interface TimerPaused {
  type: 'paused';
  at: number;
}
/** The clocks run again from where they stopped. */
export interface TimerResumed {
  type: 'resumed';
  at: number;
}
/** Adds `minutes` to the current phase only (the session end moves by as much). */
export interface TimerExtended {
  type: 'extended';
  at: number;
  minutes: number;
}
/** A facilitator ends the session now. Everything after it is ignored. */
export interface TimerEnded {
  type: 'ended';
  at: number;
}

export type TimerEvent = TimerStarted | TimerAdvanced | TimerPaused | TimerResumed | TimerExtended | TimerEnded;

export const started = (at: number, plan: PhasePlan): TimerStarted => ({ type: 'started', at, plan });
export const advanced = (at: number): TimerAdvanced => ({ type: 'advanced', at });
export const paused = (at: number): TimerPaused => ({ type: 'paused', at });
export const resumed = (at: number): TimerResumed => ({ type: 'resumed', at });
export const extended = (at: number, minutes: number): TimerExtended => ({ type: 'extended', at, minutes });
export const ended = (at: number): TimerEnded => ({ type: 'ended', at });

/** Checks a stored (JSON) value before folding it. */
export function isTimerEvent(value: unknown): value is TimerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as { type?: unknown; at?: unknown; plan?: unknown; minutes?: unknown };
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) return false;
  switch (e.type) {
    case 'started':
      return isValidPlan(e.plan);
    case 'extended':
      return typeof e.minutes === 'number' && Number.isFinite(e.minutes) && e.minutes > 0;
    case 'advanced':
    case 'paused':
    case 'resumed':
    case 'ended':
      return true;
    default:
      return false;
  }
}
