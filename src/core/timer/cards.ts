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
  caseLabel,
  closingText,
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
import type { EndedTimerState, PausedTimerState, RunningTimerState, TimerState } from './state.js';

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

export interface TimerCardOptions {
  /** Opaque id of the running timer; every button carries it as its value. */
  timerId: string;
  /** The group's IANA time zone, for "Ends at". */
  zone: string;
  /** How the presenter steps back online during the push back. */
  pushBackMode: PushBackMode;
}

export type ActiveTimerState = RunningTimerState | PausedTimerState;

/** The +N min button's value: `<timerId>:<minutes>`. */
export const extendValue = (timerId: string, minutes: number = EXTEND_MINUTES): string => `${timerId}:${minutes}`;

/** Reads an extend button's value back; undefined when it is not one. */
export function parseExtendValue(value: string): { timerId: string; minutes: number } | undefined {
  const cut = value.lastIndexOf(':');
  if (cut <= 0) return undefined;
  const minutes = Number(value.slice(cut + 1));
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) return undefined;
  return { timerId: value.slice(0, cut), minutes };
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

function phaseProgress(state: ActiveTimerState): Block {
  const done = state.phaseLengthMs > 0 ? 1 - state.msLeftInPhase / state.phaseLengthMs : 1;
  return progress(done, `${formatTimeLeft(state.msLeftInPhase)} left of ${formatMinutes(state.phaseLengthMs)}`);
}

function guidance(state: TimerState, pushBackMode: PushBackMode): Block[] {
  const blocks = [text(phaseGuidance(state.phase))];
  if (state.phase === 'push-back') blocks.push(context(pushBackOnlineText(pushBackMode)));
  return blocks;
}

function buttons(state: ActiveTimerState, timerId: string): Block {
  const list: Button[] = [
    { actionId: TIMER_ACTIONS.next, label: TIMER_LABELS.nextButton, value: timerId },
    state.status === 'paused'
      ? { actionId: TIMER_ACTIONS.resume, label: TIMER_LABELS.resumeButton, value: timerId, style: 'primary' }
      : { actionId: TIMER_ACTIONS.pause, label: TIMER_LABELS.pauseButton, value: timerId },
    { actionId: TIMER_ACTIONS.extend, label: TIMER_LABELS.extendButton(EXTEND_MINUTES), value: extendValue(timerId) },
    { actionId: TIMER_ACTIONS.end, label: TIMER_LABELS.endButton, value: timerId, style: 'danger' },
  ];
  return actions(...list);
}

/** The in-channel timer card while the clock runs. */
export function runningCard(state: RunningTimerState, options: TimerCardOptions): Card {
  const items: Fact[] = [
    { label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) },
    { label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } },
    { label: TIMER_LABELS.next, value: nextName(state) },
  ];
  return card(
    heading(title(phaseName(state.phase), state)),
    ...guidance(state, options.pushBackMode),
    phaseProgress(state),
    facts(...items),
    buttons(state, options.timerId),
    context(`${TIMER_LABELS.sessionLeft}: ${formatTimeLeft(state.sessionMsLeft)}`),
  );
}

/** The timer card while paused: no end time (the clock is stopped), a Resume button. */
export function pausedCard(state: PausedTimerState, options: TimerCardOptions): Card {
  return card(
    heading(title(`${PAUSED_TITLE} · ${phaseName(state.phase)}`, state)),
    text(PAUSED_TEXT),
    phaseProgress(state),
    facts(
      { label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) },
      { label: TIMER_LABELS.sessionLeft, value: formatTimeLeft(state.sessionMsLeft) },
      { label: TIMER_LABELS.next, value: nextName(state) },
    ),
    buttons(state, options.timerId),
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

/** A new post when a phase begins (also the one catch-up post): its name and its rule. */
export function phaseChangePost(
  state: ActiveTimerState,
  options: Pick<TimerCardOptions, 'zone' | 'pushBackMode'>,
): Card {
  const items: Fact[] = [{ label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) }];
  if (state.status === 'running')
    items.push({ label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } });
  return card(
    heading(title(phaseName(state.phase), state)),
    text(phaseRule(state.phase, options.pushBackMode)),
    facts(...items),
  );
}

/** The gentle two-minute warning before the last phase of a case ends. */
export function warningPost(state: ActiveTimerState, options: Pick<TimerCardOptions, 'zone'>): Card {
  const items: Fact[] = [{ label: TIMER_LABELS.timeLeft, value: formatTimeLeft(state.msLeftInPhase) }];
  if (state.status === 'running')
    items.push({ label: TIMER_LABELS.endsAt, value: { time: state.phaseEndsAt, zone: options.zone } });
  const label = caseLabel(state.case, state.caseCount);
  return card(
    heading(label ? `${WARNING_TITLE} · ${label}` : WARNING_TITLE),
    text(warningText(state.case === state.caseCount)),
    facts(...items),
  );
}

/** The closing reminder, posted once when the session ends. `closingOverride` is the group's own text. */
export function closingPost(options: { closingOverride?: string } = {}): Card {
  return card(heading(CLOSING_TITLE), text(closingText(options.closingOverride)));
}

/** The confidentiality opening and the plan, posted when the timer starts. `openingOverride` is the group's own text. */
export function openingPost(plan: PhasePlan, options: { openingOverride?: string } = {}): Card {
  return card(
    heading(OPENING_TITLE),
    text(openingText(options.openingOverride)),
    ...planSummaryLines(plan.phases).map((line) => context(line)),
  );
}
