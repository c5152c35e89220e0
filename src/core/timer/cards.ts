// From timer state to neutral Cards. No builder takes a person: the bot only ever says
// "the presenter". Time facts are TimeValues, shown in each reader's zone where the platform can.
import {
  actions,
  card,
  context,
  facts,
  heading,
  progress,
  text,
  type Block,
  type Button,
  type Card,
  type Fact,
} from '../cards.js';
import type { PushBackMode } from '../model.js';
import {
  caseCallCountUp,
  caseLabel,
  closingText,
  DEBRIEF_TEXT,
  DEBRIEF_TITLE,
  EXTENDED_TITLE,
  extendedText,
  movedCardText,
  targetLine,
  CLOSING_TITLE,
  ENDED_BY_CLOCK_TEXT,
  ENDED_EARLY_TEXT,
  ENDED_REMINDER,
  ENDED_TITLE,
  formatMinutes,
  formatTimeLeft,
  openingText,
  OPENING_TITLE,
  PAUSED_TEXT,
  PAUSED_TITLE,
  phaseGuidance,
  phaseName,
  phaseRule,
  planSummaryLines,
  pushBackOnlineText,
  TIMER_LABELS,
  warningText,
  WARNING_TITLE,
} from '../texts.js';
import type { PhasePlan } from './presets.js';
import {
  isLastPhaseOfCase,
  type EndedTimerState,
  type PausedTimerState,
  type RunningTimerState,
  type TimerState,
} from './state.js';

/** Action ids of the timer card's buttons. */
export const TIMER_ACTIONS = {
  next: 'timer:next',
  pause: 'timer:pause',
  resume: 'timer:resume',
  extend: 'timer:extend',
  end: 'timer:end',
} as const;

/** Minutes the "+2 min" button adds. */
export const EXTEND_MINUTES = 2;

/** Where the timer was when a card was drawn: a press counts only while it is still there. */
export interface TimerStep {
  phaseIndex: number;
  /** How many events the timer had. */
  events: number;
}

export interface TimerCardOptions {
  /** Opaque id of the running timer; every button carries it in its value. */
  timerId: string;
  /** The group's IANA time zone, for "Ends at". */
  zone: string;
  /** How the presenter steps back online during the push back. */
  pushBackMode: PushBackMode;
  /** The number of events behind the state; the buttons carry it with the phase index. */
  events?: number;
}

export type ActiveTimerState = RunningTimerState | PausedTimerState;

/** The +N min button's value without a step (cards drawn before steps existed): `<timerId>:<minutes>`. */
export const extendValue = (timerId: string, minutes: number = EXTEND_MINUTES): string => `${timerId}:${minutes}`;

/** Reads an extend button's value back; undefined when it is not one. */
export function parseExtendValue(value: string): { timerId: string; minutes: number } | undefined {
  const cut = value.lastIndexOf(':');
  if (cut <= 0) return undefined;
  const minutes = Number(value.slice(cut + 1));
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) return undefined;
  return { timerId: value.slice(0, cut), minutes };
}

/** A button's value: `<timerId>:<phaseIndex>:<events>`, with `:<minutes>` for +N min. */
export function pressValue(timerId: string, step: TimerStep, minutes?: number): string {
  const base = `${timerId}:${step.phaseIndex}:${step.events}`;
  return minutes === undefined ? base : `${base}:${minutes}`;
}

export interface PressValue {
  timerId: string;
  /** Absent for a card drawn before steps existed. */
  step?: TimerStep;
  minutes?: number;
}

const WHOLE = /^\d{1,6}$/;

/** Reads a button's value back (both forms); undefined when it is neither. */
export function parsePressValue(value: string, withMinutes: boolean): PressValue | undefined {
  const parts = value.split(':');
  const timerId = parts[0] ?? '';
  if (!timerId || !parts.slice(1).every((p) => WHOLE.test(p))) return undefined;
  const numbers = parts.slice(1).map(Number);
  const minutes = withMinutes ? numbers.pop() : undefined;
  if (withMinutes && (minutes === undefined || minutes < 1 || minutes > 60)) return undefined;
  if (numbers.length === 0) return { timerId, ...(minutes !== undefined ? { minutes } : {}) };
  if (numbers.length !== 2) return undefined;
  const [phaseIndex, events] = numbers as [number, number];
  return { timerId, step: { phaseIndex, events }, ...(minutes !== undefined ? { minutes } : {}) };
}

function title(name: string, state: TimerState): string {
  const label = caseLabel(state.case, state.caseCount);
  return label ? `${name} · ${label}` : name;
}

function nextName(state: TimerState): string {
  const next = state.nextPhase;
  if (!next) return TIMER_LABELS.closingPhase;
  const label = next.case !== state.case ? caseLabel(next.case, state.caseCount) : undefined;
  return label ? `${phaseName(next.phase)} (${label})` : phaseName(next.phase);
}

function isWrapUp(state: TimerState): boolean {
  return isLastPhaseOfCase(state.plan, state.phaseIndex);
}

/** The case call counts up; a led phase shows its target; a phase on the clock counts down. */
function phaseProgress(state: ActiveTimerState): Block {
  if (state.phase === 'case-call' && state.waiting) return context(caseCallCountUp(state.phaseElapsedMs));
  if (state.pacing === 'led' && !isWrapUp(state)) {
    const done = state.phaseLengthMs > 0 ? Math.min(1, state.phaseElapsedMs / state.phaseLengthMs) : 1;
    return progress(done, targetLine(state.phaseLengthMs, state.phaseElapsedMs));
  }
  const done = state.phaseLengthMs > 0 ? 1 - state.msLeftInPhase / state.phaseLengthMs : 1;
  return progress(
    Math.max(0, Math.min(1, done)),
    `${formatTimeLeft(state.msLeftInPhase)} left of ${formatMinutes(state.phaseLengthMs)}`,
  );
}

function guidance(state: TimerState, pushBackMode: PushBackMode): Block[] {
  const blocks = [text(phaseGuidance(state.phase))];
  if (state.phase === 'push-back') blocks.push(context(pushBackOnlineText(pushBackMode)));
  return blocks;
}

const END_CONFIRM = {
  title: 'End the session?',
  text: 'The closing is posted and the timer stops for everyone.',
  confirm: 'End session',
  deny: 'Keep going',
};
const PUSH_BACK_CONFIRM = {
  title: 'Bring the presenter back?',
  text: 'The push back ends for everyone and cannot be resumed.',
  confirm: 'Bring them back',
  deny: 'Not yet',
};

function buttons(state: ActiveTimerState, options: TimerCardOptions): Block {
  const { timerId } = options;
  const step = options.events === undefined ? undefined : { phaseIndex: state.phaseIndex, events: options.events };
  const value = (minutes?: number): string =>
    step ? pressValue(timerId, step, minutes) : minutes === undefined ? timerId : extendValue(timerId, minutes);
  const caseCall = state.phase === 'case-call' && state.waiting;
  const next: Button = caseCall
    ? { actionId: TIMER_ACTIONS.next, label: TIMER_LABELS.caseButton, value: value(), style: 'primary' }
    : { actionId: TIMER_ACTIONS.next, label: TIMER_LABELS.nextButton, value: value() };
  if (state.phase === 'push-back') next.confirm = PUSH_BACK_CONFIRM;
  const list: Button[] = [
    next,
    state.status === 'paused'
      ? { actionId: TIMER_ACTIONS.resume, label: TIMER_LABELS.resumeButton, value: value(), style: 'primary' }
      : { actionId: TIMER_ACTIONS.pause, label: TIMER_LABELS.pauseButton, value: value() },
    {
      actionId: TIMER_ACTIONS.extend,
      label: TIMER_LABELS.extendButton(EXTEND_MINUTES),
      value: value(EXTEND_MINUTES),
      accessibilityLabel: `Add ${EXTEND_MINUTES} minutes`,
    },
    {
      actionId: TIMER_ACTIONS.end,
      label: TIMER_LABELS.endButton,
      value: value(),
      style: 'danger',
      confirm: END_CONFIRM,
    },
  ];
  return actions(...list);
}

/** The in-channel timer card while the clock runs. */
export function runningCard(state: RunningTimerState, options: TimerCardOptions): Card {
  const items: Fact[] = [];
  if (state.pacing === 'led' && !isWrapUp(state)) {
    items.push(
      { label: TIMER_LABELS.wrapUpIn, value: formatTimeLeft(state.msToWrapUp) },
      { label: TIMER_LABELS.wrapUpAt, value: { time: state.wrapUpAt, zone: options.zone } },
      { label: TIMER_LABELS.sessionEndsAt, value: { time: state.sessionEndsAt, zone: options.zone } },
    );
  } else if (state.phaseEndsAt !== undefined) {
    items.push(
      { label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) },
      { label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } },
    );
  }
  items.push({ label: TIMER_LABELS.next, value: nextName(state) });
  return card(
    heading(title(phaseName(state.phase), state)),
    ...guidance(state, options.pushBackMode),
    phaseProgress(state),
    facts(...items),
    buttons(state, options),
    context(`${TIMER_LABELS.sessionLeft}: ${formatTimeLeft(state.sessionMsLeft)}`),
  );
}

/** The timer card while paused: no end time (the clock is stopped), a Resume button. */
export function pausedCard(state: PausedTimerState, options: TimerCardOptions): Card {
  const items: Fact[] =
    state.pacing === 'led' && !isWrapUp(state)
      ? [{ label: TIMER_LABELS.wrapUpIn, value: formatTimeLeft(state.msToWrapUp) }]
      : [{ label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) }];
  return card(
    heading(title(`${PAUSED_TITLE} · ${phaseName(state.phase)}`, state)),
    text(PAUSED_TEXT),
    phaseProgress(state),
    facts(
      ...items,
      { label: TIMER_LABELS.sessionLeft, value: formatTimeLeft(state.sessionMsLeft) },
      { label: TIMER_LABELS.next, value: nextName(state) },
    ),
    buttons(state, options),
  );
}

/** The timer card once the session is over: no buttons. */
export function endedCard(state: EndedTimerState, options: Pick<TimerCardOptions, 'zone'>): Card {
  return card(
    heading(ENDED_TITLE),
    text(state.endedBy === 'clock' ? ENDED_BY_CLOCK_TEXT : ENDED_EARLY_TEXT),
    facts(
      { label: TIMER_LABELS.endedAt, value: { time: state.endedAt, zone: options.zone } },
      { label: TIMER_LABELS.activeTime, value: formatMinutes(state.elapsedMs) },
    ),
    context(ENDED_REMINDER),
  );
}

/** The timer card for any state: what the in-channel card is updated to. */
export function timerCard(state: TimerState, options: TimerCardOptions): Card {
  switch (state.status) {
    case 'running':
      return runningCard(state, options);
    case 'paused':
      return pausedCard(state, options);
    case 'ended':
      return endedCard(state, options);
  }
}

/** What an earlier card becomes once a fresh one is posted under the latest post: one line, no buttons. */
export function movedCard(state: TimerState): Card {
  return card(context(movedCardText(state.phase)));
}

/** Posted when a facilitator moves the end. */
export function extendedPost(state: ActiveTimerState, minutes: number, options: Pick<TimerCardOptions, 'zone'>): Card {
  const items: Fact[] =
    state.status === 'running'
      ? [{ label: TIMER_LABELS.sessionEndsAt, value: { time: state.sessionEndsAt, zone: options.zone } }]
      : [{ label: TIMER_LABELS.sessionLeft, value: formatTimeLeft(state.sessionMsLeft) }];
  return card(heading(EXTENDED_TITLE), text(extendedText(minutes, state.pacing)), facts(...items));
}

/** The private note to each facilitator after the closing. */
export function debriefNote(): Card {
  return card(heading(DEBRIEF_TITLE), text(DEBRIEF_TEXT));
}

/** A new post when a phase begins (also the one catch-up post): its name and its rule. */
export function phaseChangePost(
  state: ActiveTimerState,
  options: Pick<TimerCardOptions, 'zone' | 'pushBackMode'>,
): Card {
  const items: Fact[] = [{ label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) }];
  if (state.status === 'running' && state.pacing === 'led' && !isWrapUp(state)) {
    items.length = 0;
    items.push({ label: TIMER_LABELS.target, value: formatMinutes(state.phaseLengthMs) });
    items.push({ label: TIMER_LABELS.wrapUpAt, value: { time: state.wrapUpAt, zone: options.zone } });
  } else if (state.status === 'running' && state.phaseEndsAt !== undefined)
    items.push({ label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } });
  if (state.phase === 'case-call' && state.waiting) items.length = 0;
  return card(
    heading(title(phaseName(state.phase), state)),
    text(phaseRule(state.phase, options.pushBackMode)),
    facts(...items),
  );
}

/** The gentle two-minute warning before the last phase of a case ends. */
export function warningPost(state: ActiveTimerState, options: Pick<TimerCardOptions, 'zone'>): Card {
  const items: Fact[] = [{ label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) }];
  if (state.status === 'running' && state.phaseEndsAt !== undefined)
    items.push({ label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } });
  const label = caseLabel(state.case, state.caseCount);
  return card(
    heading(label ? `${WARNING_TITLE} · ${label}` : WARNING_TITLE),
    text(warningText(state.case === state.caseCount)),
    facts(...items),
  );
}

/** The closing reminder, posted once when the session ends. `closingOverride`: the group's own words, added to ours. */
export function closingPost(options: { closingOverride?: string } = {}): Card {
  return card(heading(CLOSING_TITLE), text(closingText(options.closingOverride)));
}

/**
 * The confidentiality opening and the plan, posted when the timer starts. `openingOverride`:
 * the group's own words, added to ours; `online` adds the online rules.
 */
export function openingPost(plan: PhasePlan, options: { openingOverride?: string; online?: boolean } = {}): Card {
  return card(
    heading(OPENING_TITLE),
    text(openingText(options.openingOverride, { online: options.online === true })),
    ...planSummaryLines(plan.phases).map((line) => context(line)),
  );
}
