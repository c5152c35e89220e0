// The phase timer's state as a pure fold of its events and `now`. Nothing counts down in
// memory: a phase whose time is up has moved on by itself, computed here, and a restarted bot
// gets the same answer as one that never stopped.
//
// The rules (one pass, O(events + phases)):
// - Only the first valid `started` counts; events before it are ignored.
// - Time never runs backwards: an event stamped earlier than the one before it counts as at
//   that one, and a `now` earlier than the last event counts as at the last event.
// - The case call waits: it counts up and never ends by itself (under 'led', only the wrap up
//   can take over from it, below). "We have a case" (`advanced`) starts the presentation.
// - Pacing 'led' (the default): the facilitators lead, the clock holds the end.
//   - The session has a fixed end: its start plus its planned length (or the scheduled
//     session's end, `started.endsAt`). A two-case session also has a fixed end for case 1 (its
//     planned share of the session).
//   - Phase lengths are targets, shown, never enforced: only `advanced` moves on, except into
//     the wrap up (the last phase of a case). At its case's end minus the wrap-up length the
//     wrap up begins by itself, from whatever phase is running; it ends at the case's end, and
//     the last case's end is the session's end (the closing). The flexible phases absorb what
//     the others took.
//   - `extended` moves the end of the current case and of the session by its minutes.
// - Pacing 'strict': every phase but the case call ends by itself at its target; `extended`
//   adds minutes to the current phase, so the session end moves with it and with the case call.
// - A `started` without a pacing was stored before pacing existed: it folds as it did then
//   ('strict', with a case call that ends by itself too).
// - `paused` stops the whole clock (the phase, the targets and the end); `resumed` restarts it.
//   Extending is allowed while paused.
// - `advanced` ends the current phase at once and enters the next one; one carrying `from`
//   counts only while phase `from` is running, so a press delivered twice moves on once.
//   Advancing while paused enters the next phase paused (resuming stays an explicit choice).
//   Advancing from the last phase ends the session.
// - After the last phase the session has ended by itself at its end; `ended` ends it early.
//   Nothing after the end changes anything.
//
// Reading it (the room display and the cards do): `timerState(events, now)` gives, while
// running, three absolute deadlines: `phaseEndsAt` (when this phase ends by itself; undefined
// while it waits for the facilitators), `wrapUpAt` (when this case's wrap up begins) and
// `sessionEndsAt` (the end). Paused, the same are given as durations (`msLeftInPhase`,
// `msToWrapUp`, `sessionMsLeft`), since a stopped clock has no deadlines.
import type { Pacing, TimerEvent, TimerStarted } from './events.js';
import { caseCount, isValidPlan, type CaseNumber, type PhaseId, type PhasePlan, type PlannedPhase } from './presets.js';

const MINUTE_MS = 60_000;
/** The warning comes this long before the last phase of each case (the wrap up) ends. */
export const WARNING_MS = 2 * MINUTE_MS;

interface TimerStateBase {
  plan: PhasePlan;
  /** 'strict' also for a timer stored before pacing existed. */
  pacing: Pacing;
  startedAt: number;
  /** Index into plan.phases of the current phase (when ended: the phase it ended in). */
  phaseIndex: number;
  phase: PhaseId;
  case: CaseNumber;
  caseCount: CaseNumber;
  /** When the current phase began (wall clock, pauses included). */
  phaseStartedAt: number;
  /**
   * The current phase's target length (plus its extensions under 'strict'). Under 'led' the
   * wrap up's is the time from its start to the case's end.
   */
  phaseLengthMs: number;
  /** Active time spent in the current phase, pauses excluded. */
  phaseElapsedMs: number;
  /** Time to the phase's target (0 once over it); 0 once ended. */
  msLeftInPhase: number;
  /** Active time until the current case's wrap up begins (0 in it and after). */
  msToWrapUp: number;
  /** Active time until the session ends. */
  sessionMsLeft: number;
  /** Active time since the start, pauses excluded. */
  elapsedMs: number;
  /** The phase that comes next; undefined in the last phase and once ended. */
  nextPhase?: PlannedPhase;
  /** True while the current phase ends only when a facilitator moves on (the case call). */
  waiting: boolean;
}

export interface RunningTimerState extends TimerStateBase {
  status: 'running';
  /** When the current phase ends by itself; undefined while it waits for the facilitators. */
  phaseEndsAt?: number;
  wrapUpAt: number;
  sessionEndsAt: number;
}

export interface PausedTimerState extends TimerStateBase {
  status: 'paused';
  pausedAt: number;
  /** Unknown while paused: use msLeftInPhase, msToWrapUp and sessionMsLeft. */
  phaseEndsAt?: undefined;
  wrapUpAt?: undefined;
  sessionEndsAt?: undefined;
}

export interface EndedTimerState extends TimerStateBase {
  status: 'ended';
  endedAt: number;
  /** 'clock' when the last phase ran out, 'facilitator' for `ended` or advancing past the end. */
  endedBy: 'clock' | 'facilitator';
  phaseEndsAt?: undefined;
  wrapUpAt?: undefined;
  /** Same as endedAt. */
  sessionEndsAt: number;
}

export type TimerState = RunningTimerState | PausedTimerState | EndedTimerState;
export type TimerStatus = TimerState['status'];

/**
 * Something the channel should be told, at the instant it happened:
 * - 'phase': a phase began (not the first one: the start command posts that);
 * - 'warning': two minutes before the last phase of a case ends (at its start if shorter);
 * - 'extended': a facilitator moved the end (not for timers stored before pacing existed);
 * - 'closing': the session ended (by the clock or by a facilitator).
 */
export interface Announcement {
  kind: 'phase' | 'warning' | 'extended' | 'closing';
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
  const legacy = start.pacing !== 'led' && start.pacing !== 'strict';
  const led = start.pacing === 'led';
  const baseMs = phases.map((p) => p.minutes * MINUTE_MS);
  // laterMs[j]: planned length of every phase after j.
  const laterMs = new Array<number>(n).fill(0);
  for (let j = n - 2; j >= 0; j--) laterMs[j] = (laterMs[j + 1] ?? 0) + (baseMs[j + 1] ?? 0);
  const lastOfCase = phases.map((_, j) => isLastPhaseOfCase(plan, j));
  // wrapIndex[j]: the last phase of j's case (its wrap up).
  const wrapIndex = new Array<number>(n).fill(n - 1);
  for (let j = n - 2; j >= 0; j--) wrapIndex[j] = lastOfCase[j] ? j : (wrapIndex[j + 1] ?? n - 1);
  const waitsAt = (j: number): boolean => !legacy && phases[j]?.phase === 'case-call';

  // caseEnd[c]: active ms from the start at which case c ends ('led'). The last case ends with
  // the session; an earlier one at its planned share of the session's length.
  const plannedTotal = baseMs.reduce((a, b) => a + b, 0);
  const length =
    led && start.endsAt !== undefined && Number.isFinite(start.endsAt) && start.endsAt > start.at
      ? start.endsAt - start.at
      : plannedTotal;
  const lastCase = caseCount(plan);
  const caseEnd: number[] = [0, 0, 0];
  let sum = 0;
  phases.forEach((p, j) => {
    sum += baseMs[j] ?? 0;
    if (lastOfCase[j]) caseEnd[p.case] = p.case === lastCase ? length : Math.round((sum * length) / plannedTotal);
  });

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

  const caseHere = (): CaseNumber => (phases[i] as PlannedPhase).case;

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

  /** The active offset (from the start) at which the current phase ends by itself, if it does. */
  const selfEnd = (): number | undefined => {
    if (led) return (caseEnd[caseHere()] ?? 0) - (lastOfCase[i] ? 0 : (baseMs[wrapIndex[i] ?? i] ?? 0));
    if (waitsAt(i)) return undefined;
    return elapsed - used + len;
  };
  /** Where the clock takes the session when the current phase ends by itself. */
  const selfNext = (): number => (led && !lastOfCase[i] ? (wrapIndex[i] ?? i + 1) : i + 1);

  const pendingWarning = (): number | undefined => {
    if (status !== 'running' || lastOfCase[i] !== true || warned) return undefined;
    const e = selfEnd();
    return e === undefined ? undefined : Math.max(elapsed, e - WARNING_MS);
  };
  const wall = (active: number): number => t + Math.max(0, active - elapsed);
  const runClock = (to: number): void => {
    used += to - t;
    elapsed += to - t;
    t = to;
  };

  // Let the clock run to `target`, moving through every phase whose time is up.
  const runTo = (target: number): void => {
    while (status === 'running') {
      const warnActive = pendingWarning();
      if (warnActive !== undefined && wall(warnActive) <= target) {
        runClock(wall(warnActive));
        warned = true;
        record?.({ kind: 'warning', phaseIndex: i, at: t });
        continue;
      }
      const endActive = selfEnd();
      if (endActive === undefined || wall(endActive) > target) break;
      runClock(wall(endActive));
      enter(selfNext(), t, 'clock');
    }
    if (status === 'running') runClock(target);
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
        if (e.from === undefined || e.from === i) enter(i + 1, at, 'facilitator');
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
        if (add <= 0) break;
        if (led) for (let c = caseHere(); c <= lastCase; c++) caseEnd[c] = (caseEnd[c] ?? 0) + add;
        else len += add;
        if (!legacy) {
          const e2 = selfEnd();
          if (lastOfCase[i] && e2 !== undefined && e2 - elapsed > WARNING_MS) warned = false;
          record?.({ kind: 'extended', phaseIndex: i, at });
        }
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
  const ownEnd = statusNow() === 'ended' ? undefined : selfEnd();
  // Under 'led' the wrap up lasts until its case's end, whatever its planned length.
  const target = led && lastOfCase[i] && ownEnd !== undefined ? ownEnd - (elapsed - used) : len;
  const base: TimerStateBase = {
    plan,
    pacing: led ? 'led' : 'strict',
    startedAt: start.at,
    phaseIndex: i,
    phase: here.phase,
    case: here.case,
    caseCount: caseCount(plan),
    phaseStartedAt,
    phaseLengthMs: target,
    phaseElapsedMs: used,
    msLeftInPhase: 0,
    msToWrapUp: 0,
    sessionMsLeft: 0,
    elapsedMs: elapsed,
    waiting: ownEnd === undefined || (led && !lastOfCase[i]),
  };
  const next = phases[i + 1];
  const finalStatus = statusNow();
  if (finalStatus === 'ended') {
    return { state: { ...base, waiting: false, status: 'ended', endedAt, endedBy, sessionEndsAt: endedAt } };
  }
  const msLeftInPhase = legacy ? len - used : Math.max(0, target - used);
  let msToWrapUp: number;
  let sessionMsLeft: number;
  if (led) {
    const c = here.case;
    msToWrapUp = lastOfCase[i] ? 0 : Math.max(0, (caseEnd[c] ?? 0) - (baseMs[wrapIndex[i] ?? i] ?? 0) - elapsed);
    sessionMsLeft = Math.max(0, (caseEnd[lastCase] ?? 0) - elapsed);
  } else {
    msToWrapUp = 0;
    if (!lastOfCase[i]) {
      msToWrapUp = msLeftInPhase;
      for (let j = i + 1; j < (wrapIndex[i] ?? i); j++) msToWrapUp += baseMs[j] ?? 0;
    }
    sessionMsLeft = msLeftInPhase + (laterMs[i] ?? 0);
  }
  const withLeft = { ...base, msLeftInPhase, msToWrapUp, sessionMsLeft, ...(next ? { nextPhase: next } : {}) };
  if (finalStatus === 'paused') return { state: { ...withLeft, status: 'paused', pausedAt } };
  const warnActive = pendingWarning();
  return {
    state: {
      ...withLeft,
      status: 'running',
      ...(ownEnd !== undefined ? { phaseEndsAt: wall(ownEnd) } : {}),
      wrapUpAt: at + msToWrapUp,
      sessionEndsAt: at + sessionMsLeft,
    },
    ...(warnActive !== undefined ? { warningAt: wall(warnActive) } : {}),
  };
}

/** The timer at `now` (epoch ms); undefined when the events hold no valid `started`. */
export function timerState(events: readonly TimerEvent[], now: number): TimerState | undefined {
  return run(events, now)?.state;
}

/**
 * The absolute time of the next thing that must happen while running: the next phase change,
 * the two-minute warning, or the end. Undefined when paused, ended, never started, or when the
 * current phase waits for the facilitators and nothing else is due.
 * Persist it as the deadline job; when it fires, ask `announcementsBetween`.
 */
export function nextBoundary(events: readonly TimerEvent[], now: number): number | undefined {
  const result = run(events, now);
  if (!result || result.state.status !== 'running') return undefined;
  const { warningAt, state } = result;
  if (warningAt === undefined) return state.phaseEndsAt;
  return state.phaseEndsAt === undefined || warningAt < state.phaseEndsAt ? warningAt : state.phaseEndsAt;
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
