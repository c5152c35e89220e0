// What the room display shows, read from the timer state in ONE place. The page and its stream
// see only this: phase names, rules, deadlines and flags; never a person, a membership, or
// anything anyone typed. When the timer's model changes, this function is what adapts.
import { caseLabel, phaseName } from '../texts.js';
import type { PhaseId } from './presets.js';
import { isLastPhaseOfCase, WARNING_MS, type TimerState } from './state.js';

/** One line per phase, short enough to read from the back of a room. */
export const ROOM_RULES: Readonly<Record<PhaseId, string>> = {
  'case-call': 'No prepared cases, no notes, no phones.',
  presentation: 'Nobody interrupts the presenter.',
  clarifying: 'Who, what, when, how. Hold the whys for later.',
  'push-back': 'The presenter only listens. No advice, no judgement.',
  'presenter-returns': 'The presenter may respond, or simply listen.',
  'wrap-up': 'It ends on the clock. No summary, no neat bow.',
};

export interface RoomView {
  status: 'none' | 'running' | 'paused' | 'ended';
  /** Phase id and name; absent when no session runs. */
  phase?: PhaseId;
  phaseName?: string;
  phaseIndex?: number;
  phaseCount?: number;
  /** "Case 1 of 2" in a two-case session. */
  caseLabel?: string;
  nextPhase?: string;
  rule?: string;
  /** Running: when the phase ends (epoch ms, on the bot's clock). */
  deadline?: number;
  /** Paused: what is left of the phase. */
  msLeft?: number;
  /** The phase's length with its extensions (for the progress bar). */
  phaseLengthMs?: number;
  /** A phase that counts up (the case call): running, elapsed = now − countsUpFrom. */
  countsUpFrom?: number;
  /** Paused and counting up: the time counted so far. */
  countedMs?: number;
  /** Running, before this case's wrap up: when it begins by the clock (epoch ms, bot's clock). */
  wrapUpAt?: number;
  /** Paused, before this case's wrap up: the active time until it begins. */
  msToWrapUp?: number;
  /** Running: when the session ends; ended: when it did. */
  sessionEnd?: number;
  paused: boolean;
  ended: boolean;
  thresholds: {
    /** The phase's last stretch begins this long before its deadline. */
    lastMs: number;
    /** This phase is the wrap up of its case. */
    wrapUp: boolean;
  };
}

export const NO_SESSION: RoomView = {
  status: 'none',
  paused: false,
  ended: false,
  thresholds: { lastMs: WARNING_MS, wrapUp: false },
};

export function roomView(state: TimerState | undefined, now: number): RoomView {
  if (!state) return NO_SESSION;
  const wrapUp = isLastPhaseOfCase(state.plan, state.phaseIndex);
  // A phase has a deadline of its own only when the clock ends it: the wrap up (the clock holds
  // the end), or every phase but the case call under strict pacing. The others count up: the
  // facilitators move on when the conversation is done.
  const clocked = !state.waiting && (state.pacing === 'strict' || wrapUp);
  const base: RoomView = {
    status: state.status,
    phase: state.phase,
    phaseName: phaseName(state.phase),
    phaseIndex: state.phaseIndex,
    phaseCount: state.plan.phases.length,
    rule: ROOM_RULES[state.phase],
    phaseLengthMs: state.phaseLengthMs,
    paused: state.status === 'paused',
    ended: state.status === 'ended',
    thresholds: { lastMs: WARNING_MS, wrapUp: wrapUp && state.phase === 'wrap-up' },
  };
  const label = caseLabel(state.case, state.caseCount);
  if (label) base.caseLabel = label;
  if (state.status === 'ended') return { ...base, sessionEnd: state.endedAt };
  if (state.nextPhase) base.nextPhase = phaseName(state.nextPhase.phase);
  const beforeWrapUp = !wrapUp && state.msToWrapUp > 0;
  if (state.status === 'paused') {
    if (beforeWrapUp) base.msToWrapUp = state.msToWrapUp;
    return clocked ? { ...base, msLeft: state.msLeftInPhase } : { ...base, countedMs: state.phaseElapsedMs };
  }
  const sessionEnd = state.sessionEndsAt;
  if (beforeWrapUp) base.wrapUpAt = state.wrapUpAt;
  if (clocked && state.phaseEndsAt !== undefined) return { ...base, deadline: state.phaseEndsAt, sessionEnd };
  return { ...base, countsUpFrom: now - state.phaseElapsedMs, sessionEnd };
}
