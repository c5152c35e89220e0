// What happens to a running session's timer, as facts with timestamps. The state at any
// moment is a fold of these (state.ts); nothing counts down in memory. All `at` are epoch ms.
import { isValidPlan, type PhasePlan } from './presets.js';

/**
 * How a session moves from phase to phase:
 * - 'led': the facilitators move on; the clock holds only the wrap up and the end (the default);
 * - 'strict': every phase but the case call ends by itself at its target.
 * A `started` without one was stored before pacing existed and folds as it always did.
 */
export const PACINGS = ['led', 'strict'] as const;
export type Pacing = (typeof PACINGS)[number];

/** The session begins with its first phase. Only the first `started` counts. */
export interface TimerStarted {
  type: 'started';
  at: number;
  plan: PhasePlan;
  pacing?: Pacing;
  /** The fixed end (epoch ms) when the session was started from a scheduled one ('led' only). */
  endsAt?: number;
}
/** A facilitator moves on: the current phase ends now. */
export interface TimerAdvanced {
  type: 'advanced';
  at: number;
  /**
   * The phase index it was pressed in. An advance whose phase has already passed changes
   * nothing, so a press delivered twice moves the session on once.
   */
  from?: number;
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
/**
 * 'led': moves the end of the session (and of the current case) by `minutes`. 'strict': adds them
 * to the current phase.
 */
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

export const started = (
  at: number,
  plan: PhasePlan,
  options: { pacing?: Pacing; endsAt?: number } = {},
): TimerStarted => ({ type: 'started', at, plan, ...options });
export const advanced = (at: number, from?: number): TimerAdvanced =>
  from === undefined ? { type: 'advanced', at } : { type: 'advanced', at, from };
export const paused = (at: number): TimerPaused => ({ type: 'paused', at });
export const resumed = (at: number): TimerResumed => ({ type: 'resumed', at });
export const extended = (at: number, minutes: number): TimerExtended => ({ type: 'extended', at, minutes });
export const ended = (at: number): TimerEnded => ({ type: 'ended', at });

/** Checks a stored (JSON) value before folding it. */
export function isTimerEvent(value: unknown): value is TimerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as {
    type?: unknown;
    at?: unknown;
    plan?: unknown;
    minutes?: unknown;
    pacing?: unknown;
    endsAt?: unknown;
    from?: unknown;
  };
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) return false;
  switch (e.type) {
    case 'started':
      return (
        isValidPlan(e.plan) &&
        (e.pacing === undefined || e.pacing === 'led' || e.pacing === 'strict') &&
        (e.endsAt === undefined || (typeof e.endsAt === 'number' && Number.isFinite(e.endsAt) && e.endsAt > e.at))
      );
    case 'advanced':
      return e.from === undefined || (typeof e.from === 'number' && Number.isInteger(e.from) && e.from >= 0);
    case 'extended':
      return typeof e.minutes === 'number' && Number.isFinite(e.minutes) && e.minutes > 0;
    case 'paused':
    case 'resumed':
    case 'ended':
      return true;
    default:
      return false;
  }
}
