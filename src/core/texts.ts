// Every sentence the timer says, in one place. Rules for anything added here:
// - the bot says "the presenter", never a name; no text here takes a person as a parameter;
// - no case content, ever; the bot only keeps time and holds the frame;
// - gentle, short, plain: it supports the facilitators, it does not run the group.
import type { PushBackMode } from './model.js';
import type { CaseNumber, PhaseId } from './timer/presets.js';

/** What each phase is called on cards and posts. */
export const PHASE_NAMES: Readonly<Record<PhaseId, string>> = {
  'case-call': 'Case call',
  presentation: 'Presentation',
  clarifying: 'Clarifying questions',
  'push-back': 'Push back',
  'presenter-returns': 'Presenter returns',
  'wrap-up': 'Wrap up',
};

export const phaseName = (phase: PhaseId): string => PHASE_NAMES[phase];

/** How the presenter steps back when online, as the end of "Online, the presenter …". */
export const PUSH_BACK_MODE_TEXT: Readonly<Record<PushBackMode, string>> = {
  'camera-off': 'turns their camera off',
  'look-away': 'looks away from the screen',
  'stay-muted': 'stays muted',
};

/** "Online, the presenter turns their camera off." */
export function pushBackOnlineText(pushBackMode: PushBackMode): string {
  return `Online, the presenter ${PUSH_BACK_MODE_TEXT[pushBackMode]}.`;
}

/** A line or two on what happens in the phase; shown on the timer card. */
export function phaseGuidance(phase: PhaseId): string {
  switch (phase) {
    case 'case-call':
      return 'The leader asks who has a case. Nobody brings one prepared and there are no notes: sit with the silence until something comes up for someone. The silence is part of it.';
    case 'presentation':
      return 'The presenter tells the case from memory, including how it felt. Nobody interrupts.';
    case 'clarifying':
      return 'Short factual questions: who, what, when, how. Hold the whys for the push back.';
    case 'push-back':
      return 'The presenter pushes back out of the circle and only listens. The group takes the case over: wonder, imagine, take the perspective of each person in it.';
    case 'presenter-returns':
      return 'The presenter comes back into the circle and may respond to what they heard.';
    case 'wrap-up':
      return 'The facilitators thank everyone. It ends on the clock and stays unfinished on purpose.';
  }
}

/** The rule the facilitators hold in a phase; posted when the phase begins. */
export function phaseRule(phase: PhaseId, pushBackMode: PushBackMode): string {
  switch (phase) {
    case 'case-call':
      return 'No prepared cases, no notes, no phones or tablets. The silence is part of it: it takes as long as it takes.';
    case 'presentation':
      return 'Nobody interrupts the presenter.';
    case 'clarifying':
      return 'Ask who, what, when, how. No why questions and no feelings questions yet: hold them for the push back.';
    case 'push-back':
      return (
        `The presenter steps back and only listens. ${pushBackOnlineText(pushBackMode)}\n` +
        'No advice, no judgement, no "why did they…" or "should they have…", no medical decision making, no similar cases of your own.'
      );
    case 'presenter-returns':
      return 'Speaking is optional for the presenter: they may respond to what they heard, or simply listen.';
    case 'wrap-up':
      return 'It ends on the clock. No summary, no neat bow.';
  }
}

/** "Case 1 of 2", or nothing for a one-case session. */
export function caseLabel(caseNo: CaseNumber, cases: CaseNumber): string | undefined {
  return cases === 2 ? `Case ${caseNo} of ${cases}` : undefined;
}

export const OPENING_TITLE = 'Welcome to the Balint group';
export const DEFAULT_OPENING =
  'What happens in Balint stays in Balint. No notes, no phones or tablets, no recording. Nobody brings a case prepared.';

/** Said at the opening of an online or hybrid session, after the confidentiality lines. */
export const ONLINE_RULES =
  'Online: be in a private space. When cameras are off, say who you are before you speak. Use the chat only to say your connection dropped; if someone drops, the group waits a couple of minutes, then goes on.';

/**
 * The confidentiality opening. A group's own words are added after ours, never instead of
 * them; an online or hybrid session adds the online rules.
 */
export function openingText(groupWords?: string, options: { online?: boolean } = {}): string {
  const parts = [DEFAULT_OPENING];
  if (options.online) parts.push(ONLINE_RULES);
  const own = nonEmpty(groupWords);
  if (own) parts.push(own);
  return parts.join('\n\n');
}

/** The session's plan in a line per case: "Case call 3 min · Presentation 7 min · …". */
export function planSummaryLines(
  phases: ReadonlyArray<{ phase: PhaseId; case: CaseNumber; minutes: number }>,
): string[] {
  const total = phases.reduce((sum, p) => sum + p.minutes, 0);
  const twoCases = phases.some((p) => p.case === 2);
  const lines = [`Today's session: ${total} min${twoCases ? ', two cases' : ''}.`];
  for (const caseNo of twoCases ? ([1, 2] as const) : ([1] as const)) {
    const parts = phases.filter((p) => p.case === caseNo).map((p) => `${phaseName(p.phase)} ${p.minutes} min`);
    lines.push(`${twoCases ? `Case ${caseNo}: ` : ''}${parts.join(' · ')}`);
  }
  return lines;
}

export const WARNING_TITLE = 'Two minutes left';

/** The gentle heads-up before the last phase of a case ends. */
export function warningText(isLastCase: boolean): string {
  return isLastCase
    ? 'Two minutes left. Let the conversation come to rest; we end on the clock.'
    : 'Two minutes left for this case. Let the conversation come to rest; the next case follows on the clock.';
}

export const CLOSING_TITLE = 'Thank you';
export const DEFAULT_CLOSING =
  'What happens in Balint stays in Balint: the case stays in this room. ' +
  'Please do not bring it up with the presenter afterwards, not even to console them; it reopens the wound. ' +
  'No summary: it stays unfinished on purpose.';

/**
 * The closing reminder at the end of the session. A group's own words are added after ours:
 * the confidentiality lines and "do not bring it up with the presenter" are always said.
 */
export function closingText(groupWords?: string): string {
  const own = nonEmpty(groupWords);
  return own ? `${DEFAULT_CLOSING}\n\n${own}` : DEFAULT_CLOSING;
}

export const DEBRIEF_TITLE = 'A moment for the two of you';
/** Sent privately to each facilitator after the closing. Nothing is asked for or kept. */
export const DEBRIEF_TEXT =
  'The session has ended. When you can, take a few minutes together, the two of you, to debrief as Balint leaders do: how the group held the frame, how the presenter is, how you are. ' +
  'This is yours alone: the bot asks for nothing and keeps nothing.';

/** The case call counts up: "4 min of silence: that's all right." */
export function caseCallCountUp(elapsedMs: number): string {
  const minutes = Math.floor(Math.max(0, elapsedMs) / 60_000);
  if (minutes < 1) return 'The silence is part of it. Take the time it takes.';
  return `${minutes} min of silence: that's all right. Take the time it takes.`;
}

/** "Target 35 min · 12 min to go", or "Target 35 min · 3 min over". */
export function targetLine(targetMs: number, elapsedMs: number): string {
  const left = targetMs - elapsedMs;
  const target = `Target ${formatMinutes(targetMs)}`;
  if (left > 0) return `${target} · ${formatTimeLeft(left)} to go`;
  const over = Math.floor(-left / 60_000);
  return over < 1 ? `${target} · target reached` : `${target} · ${over} min over`;
}

export const EXTENDED_TITLE = 'More time';
export function extendedText(minutes: number, pacing: 'led' | 'strict'): string {
  return pacing === 'led'
    ? `A facilitator gave the session ${minutes} more min. The wrap up and the end move by as much.`
    : `A facilitator gave this phase ${minutes} more min. The session ends later by as much.`;
}

/** A press on a card that no longer shows where the timer is. Said privately. */
export function staleText(phase: PhaseId | undefined): string {
  return phase === undefined
    ? 'The session has already ended. Nothing was changed.'
    : `The timer has already moved on to ${phaseName(phase)}. Nothing was changed.`;
}

/** A start while the chat platform asks the bot to wait here (a 429's Retry-After). Said privately. */
export function rateLimitedText(seconds: number): string {
  const wait = seconds <= 90 ? `${Math.max(1, seconds)} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `The chat service asked me to slow down here for a moment. Nothing was started; please try again in ${wait}.`;
}

/** What an earlier timer card becomes when a fresh one is posted below the latest post. */
export function movedCardText(phase: PhaseId): string {
  return `${phaseName(phase)}: the live timer card is further down.`;
}

/** Labels on the timer card. */
export const TIMER_LABELS = {
  timeLeft: 'Time left',
  endsAt: 'Ends at',
  next: 'Next',
  sessionLeft: 'Session time left',
  sessionEndsAt: 'Session ends at',
  endedAt: 'Ended at',
  activeTime: 'Active time',
  plannedLength: 'Length',
  closingPhase: 'Closing',
  nextButton: 'Next phase',
  caseButton: 'We have a case',
  wrapUpIn: 'Wrap up in',
  wrapUpAt: 'Wrap up at',
  target: 'Target',
  pauseButton: 'Pause',
  resumeButton: 'Resume',
  extendButton: (minutes: number): string => `+${minutes} min`,
  endButton: 'End session',
} as const;

export const PAUSED_TITLE = 'Paused';
export const PAUSED_TEXT = 'The clock is stopped. Resume when the group is ready.';
export const ENDED_TITLE = 'Session ended';
export const ENDED_BY_CLOCK_TEXT = 'The session ended on the clock.';
export const ENDED_EARLY_TEXT = 'A facilitator ended the session.';
export const ENDED_REMINDER = 'What happens in Balint stays in Balint.';

/** "12 min", or "45 s" in the last minute; whole units, rounded up (a countdown never shows 0 too early). */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  // In the last two minutes the card refreshes every 20 s, so show the seconds too.
  if (seconds < 120) return seconds === 60 ? '1 min' : `1 min ${seconds - 60} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** A length in whole minutes, "35 min". */
export function formatMinutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
