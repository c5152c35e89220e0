// The phase timer's state as a pure fold of its events and `now`. Nothing counts down in
// memory: a phase whose time is up has moved on by itself, computed here, and a restarted bot
// gets the same answer as one that never stopped.
//
// Rules of the fold (one pass, O(events + phases)):
// - Only the first valid `started` counts; events before it are ignored.
// - Time never runs backwards: an event stamped earlier than the one before it counts as at
//   that one, and a `now` earlier than the last event counts as at the last event.
// - `paused` stops the clocks of the phase and of the session; `resumed` restarts them.
// - `extended` adds minutes to the current phase only (also allowed while paused).
// - `advanced` ends the current phase at once; advancing while paused enters the next phase
//   paused (resuming stays an explicit choice). Advancing from the last phase ends the session.
// - After the last phase the session has ended by itself, at the computed end; `ended` ends it
//   early. Nothing after the end changes anything.
import type { TimerEvent, TimerStarted } from './events.js';
import { caseCount, isValidPlan, type CaseNumber, type PhaseId, type PhasePlan, type PlannedPhase } from './presets.js';

const MINUTE_MS = 60_000;
/** The warning comes this long before the last phase of each case (the wrap up) ends. */
export const WARNING_MS = 2 * MINUTE_MS;

interface TimerStateBase {
  plan: PhasePlan;
  startedAt: number;
  /** Index into plan.phases of the current phase (when ended: the phase it ended in). */
  phaseIndex: number;
  phase: PhaseId;
  case: CaseNumber;
  caseCount: CaseNumber;
  /** When the current phase began (wall clock, pauses included). */
  phaseStartedAt: number;
  /** The current phase's planned length plus its extensions. */
  phaseLengthMs: number;
  /** Always > 0 while running or paused; 0 once ended. */
  msLeftInPhase: number;
  /** The rest of this phase plus the planned lengths of the phases after it. */
  sessionMsLeft: number;
  /** Active time since the start, pauses excluded. */
  elapsedMs: number;
  /** The phase that comes next; undefined in the last phase and once ended. */
  nextPhase?: PlannedPhase;
}

export interface RunningTimerState extends TimerStateBase {
  status: 'running';
  phaseEndsAt: number;
  sessionEndsAt: number;
}

export interface PausedTimerState extends TimerStateBase {
  status: 'paused';
  pausedAt: number;
  /** Unknown while paused: use msLeftInPhase and sessionMsLeft. */
  phaseEndsAt?: undefined;
  sessionEndsAt?: undefined;
}

export interface EndedTimerState extends TimerStateBase {
  status: 'ended';
  endedAt: number;
  /** 'clock' when the last phase ran out, 'facilitator' for `ended` or advancing past the end. */
  endedBy: 'clock' | 'facilitator';
  phaseEndsAt?: undefined;
  /** Same as endedAt. */
  sessionEndsAt: number;
}

export type TimerState = RunningTimerState | PausedTimerState | EndedTimerState;
export type TimerStatus = TimerState['status'];

/**
 * Something the channel should be told, at the instant it happened:
 * - 'phase': a phase began (not the first one: the start command posts that);
 * - 'warning': two minutes before the last phase of a case ends (at its start if shorter);
 * - 'closing': the session ended (by the clock or by a facilitator).
 */
export interface Announcement {
  kind: 'phase' | 'warning' | 'closing';
  phaseIndex: number;
  at: number;
}

/** True when phase `index` is the last of its case (the wrap up in every preset). */
export function isLastPhaseOfCase(plan: PhasePlan, index: number): boolean {
  const here = plan.phases[index];
  const next = plan.phases[index + 1];
  return here !== undefined && (next === undefined || next.case !== here.case);
}

interface Run {
  state: TimerState;
  /** Absolute time of the pending warning in the current phase, if any (running only). */
  warningAt?: number;
}

function run(events: readonly TimerEvent[], now: number, record?: (a: Announcement) => void): Run | undefined {
  const startIndex = events.findIndex((e) => e.type === 'started' && Number.isFinite(e.at) && isValidPlan(e.plan));
  if (startIndex < 0) return undefined;
  const start = events[startIndex] as TimerStarted;
  const plan = start.plan;
  const phases = plan.phases;
  const n = phases.length;
  const baseMs = phases.map((p) => p.minutes * MINUTE_MS);
  // laterMs[j]: planned length of every phase after j.
  const laterMs = new Array<number>(n).fill(0);
  for (let j = n - 2; j >= 0; j--) laterMs[j] = (laterMs[j + 1] ?? 0) + (baseMs[j + 1] ?? 0);
  const warnsAtEnd = phases.map((_, j) => isLastPhaseOfCase(plan, j));

  let status: TimerStatus = 'running';
  // Closures change `status`; read it through this so TypeScript does not keep a stale narrowing.
  const statusNow = (): TimerStatus => status;
  let i = 0;
  let len = baseMs[0] ?? 0;
  let used = 0; // active ms spent in the current phase, up to `t`
  let warned = false;
  let phaseStartedAt = start.at;
  let elapsed = 0; // active ms since the start, up to `t`
  let t = start.at; // the instant `used` and `elapsed` are counted to (while running)
  let pausedAt = 0;
  let endedAt = 0;
  let endedBy: EndedTimerState['endedBy'] = 'clock';

  const end = (at: number, by: EndedTimerState['endedBy']): void => {
    status = 'ended';
    endedAt = at;
    endedBy = by;
    record?.({ kind: 'closing', phaseIndex: i, at });
  };

  const enter = (j: number, at: number, by: EndedTimerState['endedBy']): void => {
    if (j >= n) return end(at, by);
    i = j;
    len = baseMs[j] ?? 0;
    used = 0;
    warned = false;
    phaseStartedAt = at;
    record?.({ kind: 'phase', phaseIndex: j, at });
  };

  const pendingWarningAt = (): number | undefined =>
    status === 'running' && warnsAtEnd[i] === true && !warned ? t + Math.max(0, len - WARNING_MS - used) : undefined;

  // Let the clock run to `target`, moving through every phase whose time is up.
  const runTo = (target: number): void => {
    while (status === 'running') {
      const warnAt = pendingWarningAt();
      if (warnAt !== undefined && warnAt <= target) {
        used += warnAt - t;
        elapsed += warnAt - t;
        t = warnAt;
        warned = true;
        record?.({ kind: 'warning', phaseIndex: i, at: warnAt });
        continue;
      }
      const phaseEnd = t + (len - used);
      if (phaseEnd > target) break;
      elapsed += phaseEnd - t;
      t = phaseEnd;
      enter(i + 1, phaseEnd, 'clock');
    }
    if (status === 'running') {
      used += target - t;
      elapsed += target - t;
      t = target;
    }
  };

  let clock = start.at; // the latest instant seen; time never goes back past it
  for (let k = startIndex + 1; k < events.length && statusNow() !== 'ended'; k++) {
    const e = events[k] as TimerEvent;
    const at = Number.isFinite(e.at) ? Math.max(e.at, clock) : clock;
    clock = at;
    runTo(at);
    if (statusNow() === 'ended') break;
    switch (e.type) {
      case 'started':
        break;
      case 'advanced':
        enter(i + 1, at, 'facilitator');
        break;
      case 'paused':
        if (status === 'running') {
          status = 'paused';
          pausedAt = at;
        }
        break;
      case 'resumed':
        if (status === 'paused') {
          status = 'running';
          t = at;
        }
        break;
      case 'extended': {
        const add = Number.isFinite(e.minutes) ? Math.round(e.minutes * MINUTE_MS) : 0;
        if (add > 0) len += add;
        break;
      }
      case 'ended':
        end(at, 'facilitator');
        break;
    }
  }

  const at = Number.isFinite(now) ? Math.max(now, clock) : clock;
  runTo(at);

  const here = phases[i] as PlannedPhase;
  const base: TimerStateBase = {
    plan,
    startedAt: start.at,
    phaseIndex: i,
    phase: here.phase,
    case: here.case,
    caseCount: caseCount(plan),
    phaseStartedAt,
    phaseLengthMs: len,
    msLeftInPhase: 0,
    sessionMsLeft: 0,
    elapsedMs: elapsed,
  };
  const next = phases[i + 1];
  const finalStatus = statusNow();
  if (finalStatus === 'ended') {
    return { state: { ...base, status: 'ended', endedAt, endedBy, sessionEndsAt: endedAt } };
  }
  const msLeftInPhase = len - used;
  const sessionMsLeft = msLeftInPhase + (laterMs[i] ?? 0);
  const withLeft = { ...base, msLeftInPhase, sessionMsLeft, ...(next ? { nextPhase: next } : {}) };
  if (finalStatus === 'paused') return { state: { ...withLeft, status: 'paused', pausedAt } };
  return {
    state: { ...withLeft, status: 'running', phaseEndsAt: at + msLeftInPhase, sessionEndsAt: at + sessionMsLeft },
    warningAt: pendingWarningAt(),
  };
}

/** The timer at `now` (epoch ms); undefined when the events hold no valid `started`. */
export function timerState(events: readonly TimerEvent[], now: number): TimerState | undefined {
  return run(events, now)?.state;
}

/**
 * The absolute time of the next thing that must happen while running: the next phase change,
 * the two-minute warning, or the end. Undefined when paused, ended or never started.
 * Persist it as the deadline job; when it fires, ask `announcementsBetween`.
 */
export function nextBoundary(events: readonly TimerEvent[], now: number): number | undefined {
  const result = run(events, now);
  if (!result || result.state.status !== 'running') return undefined;
  const { warningAt, state } = result;
  return warningAt !== undefined && warningAt < state.phaseEndsAt ? warningAt : state.phaseEndsAt;
}

/**
 * Every announcement with `from < at <= to`, in time order (same-instant ones in the order they
 * happened: a phase start before its warning). Half-open, so consecutive windows never repeat
 * one. Includes phase starts caused by `advanced` and the closing caused by `ended`.
 * A bot that was down across several boundaries should post only the last one (see
 * `catchUpAnnouncement`).
 */
export function announcementsBetween(events: readonly TimerEvent[], from: number, to: number): Announcement[] {
  const all: Announcement[] = [];
  run(events, to, (a) => {
    if (a.at > from && a.at <= to) all.push(a);
  });
  return all;
}

/**
 * The one post to make after being down: the closing if the session has ended, else the latest
 * announcement (a warning, or the start of the phase the session is in now).
 */
export function catchUpAnnouncement(announcements: readonly Announcement[]): Announcement | undefined {
  return announcements.find((a) => a.kind === 'closing') ?? announcements.at(-1);
}
