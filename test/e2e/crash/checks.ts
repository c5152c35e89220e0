// Reads one crash trial's record and says what broke a promise. The fake Slack's record is
// the truth about what people saw; the store and the logs say what the bot believed. Checked:
// - every phase post, warning and closing arrives once, in order, and shows the phase the fold
//   of the timer's events gives at that moment; one missed while the bot was down may be
//   folded into the catch-up post that follows (the documented behaviour), never lost;
// - every update of the timer card shows the phase and its end (<!date^…>) the fold gives;
// - every reminder and invite arrives once, or was dropped as stale with a `job.stale` line
//   and only when the stale policy says so;
// - a post seen twice is an at-least-once hit only when the first copy reached Slack just
//   before a SIGKILL (the bookkeeping after it never happened); anything else is a duplicate.
import type { Call } from '../../adapters/slack/fake-slack.js';
import { formatTimeLeft, phaseName, WARNING_TITLE, CLOSING_TITLE, OPENING_TITLE } from '../../../src/core/texts.js';
import type { TimerEvent } from '../../../src/core/timer/events.js';
import {
  announcementsBetween,
  catchUpAnnouncement,
  timerState,
  type Announcement,
} from '../../../src/core/timer/state.js';
import type { PhasePlan } from '../../../src/core/timer/presets.js';
import { CHANNEL, GROUP, LEADER, REMINDER_OFFSETS, STUDENTS, TEAM, type Run, type TrialRecord } from './trial.js';

/** A first copy this close before a SIGKILL may have gone out with no bookkeeping after it. */
export const WINDOW_MS = 250;
/** How long before the fake recorded a post the bot may have decided what it says (two busy cores). */
const DECIDE_MS = 500;
const MINUTE = 60_000;

export interface WindowHit {
  what: string;
  firstAt: number;
  killedAt: number;
  gapMs: number;
}

export interface TrialReport {
  seed: number;
  kills: number;
  realMs: number;
  phasePosts: number;
  /** Announcements folded into a catch-up post after a restart. */
  mergedAcrossCrash: number;
  /** Announcements folded into the next post by a tick that came late without a crash. */
  mergedLate: number;
  cardUpdates: number;
  cardUpdatesAfterRestart: number;
  reminders: number;
  invites: number;
  /** Students put on the waiting list because the bot was down until the session had begun. */
  invitesWaiting: number;
  staleDropped: number;
  windowHits: WindowHit[];
  problems: string[];
}

const headingOf = (call: Call): string => /^\*(.+?)\*/.exec(String(call.params.text ?? ''))?.[1] ?? '';
const delivered = (call: Call): boolean =>
  call.method === 'chat.postMessage' && (call.answer as { ok?: boolean } | undefined)?.ok === true;
const userId = (id: string) => `slack:${TEAM}:${id}`;

export function checkTrial(trial: TrialRecord): TrialReport {
  const { origin, options } = trial;
  const sim = (real: number) => (real < origin ? real : origin + (real - origin) * options.speed);
  const killed = trial.runs.filter((r) => r.how === 'killed');
  const problems: string[] = [];
  const windowHits: WindowHit[] = [];
  const logs = trial.runs.flatMap((r) => r.logs);

  /** Two copies of one post: an at-least-once hit if a SIGKILL fell just after the first. */
  const duplicate = (what: string, first: Call, second: Call) => {
    const kill = killed.find((r) => r.endedAt >= first.at && r.endedAt <= second.at && r.startedAt <= first.at);
    if (kill && kill.endedAt - first.at <= WINDOW_MS)
      windowHits.push({ what, firstAt: first.at, killedAt: kill.endedAt, gapMs: kill.endedAt - first.at });
    else
      problems.push(`${what} was posted twice, ${second.at - first.at} ms apart, with no crash just after the first`);
  };

  for (const run of trial.runs) {
    if (run.otherOutput.join('').trim())
      problems.push(`a ${run.how} run wrote something other than log lines: ${run.otherOutput.join('').slice(0, 200)}`);
    for (const line of run.logs) {
      if (['job.failed', 'job.error', 'jobs.invalid', 'job.claim-failed'].includes(line.event))
        problems.push(`a ${run.how} run logged ${line.event} (${String(line.code ?? line.jobKind ?? '')})`);
    }
  }

  /** A post whose bookkeeping a SIGKILL may have cut off: noted as a window hit. */
  const sentJustBeforeKill = (what: string, post: Call): boolean => {
    const kill = killed.find((r) => r.startedAt <= post.at && r.endedAt >= post.at && r.endedAt - post.at <= WINDOW_MS);
    if (kill) windowHits.push({ what, firstAt: post.at, killedAt: kill.endedAt, gapMs: kill.endedAt - post.at });
    return kill !== undefined;
  };

  const posts = trial.calls.filter(delivered);
  const timer = checkTimer(trial, posts, sim, problems, duplicate);
  const reminders = checkReminders(trial, posts, sim, logs, problems, duplicate, sentJustBeforeKill);
  const invites = checkInvites(trial, posts, sim, problems, duplicate);

  return {
    seed: options.seed,
    kills: killed.length,
    realMs: trial.realMs,
    ...timer,
    reminders: reminders.posted,
    staleDropped: reminders.stale,
    invites: invites.invites,
    invitesWaiting: invites.waiting,
    windowHits,
    problems,
  };
}

type Duplicate = (what: string, first: Call, second: Call) => void;

function labelOf(a: Announcement, plan: PhasePlan): string {
  if (a.kind === 'closing') return CLOSING_TITLE;
  if (a.kind === 'warning') return WARNING_TITLE;
  return phaseName((plan.phases[a.phaseIndex] as PhasePlan['phases'][number]).phase);
}

function checkTimer(
  trial: TrialRecord,
  posts: Call[],
  sim: (real: number) => number,
  problems: string[],
  duplicate: Duplicate,
) {
  const timers = Object.values(trial.store.timers ?? {}) as Array<{ events: TimerEvent[]; card?: { id: string } }>;
  const timer = timers[0];
  const empty = { phasePosts: 0, mergedAcrossCrash: 0, mergedLate: 0, cardUpdates: 0, cardUpdatesAfterRestart: 0 };
  if (timers.length !== 1 || !timer) {
    problems.push(`expected one timer in the store, found ${timers.length}`);
    return empty;
  }
  const events = timer.events;
  const plan = (events[0] as Extract<TimerEvent, { type: 'started' }>).plan;
  const announcements = announcementsBetween(events, Number.NEGATIVE_INFINITY, trial.end + 60 * MINUTE);
  const labels = announcements.map((a) => labelOf(a, plan));
  const final = timerState(events, trial.end);
  if (final?.status !== 'ended')
    problems.push(`the timer's fold says ${final?.status ?? 'nothing'} at the end, not ended`);
  if (Object.keys(trial.store['channel-timers'] ?? {}).length > 0)
    problems.push('the channel still holds a timer after the session ended');

  const inChannel = posts.filter((c) => c.params.channel === CHANNEL);
  const isCard = (c: Call) => JSON.stringify(c.params.blocks ?? []).includes('timer:next');
  const openings = inChannel.filter((c) => headingOf(c) === OPENING_TITLE);
  const cards = inChannel.filter(isCard);
  if (openings.length !== 1) problems.push(`the opening was posted ${openings.length} times`);
  if (cards.length === 0) problems.push('the timer card was never posted');
  // Phase posts, warnings, the closing: by their heading, which is unique within one case.
  const announced = inChannel.filter((c) => !isCard(c) && headingOf(c) !== OPENING_TITLE);
  // A fresh card goes under each announcement but the closing, so the live card stays in view.
  const expectedCards = 1 + announced.filter((c) => headingOf(c) !== CLOSING_TITLE).length;
  for (const extra of cards.slice(expectedCards)) duplicate('the timer card', cards[0] as Call, extra);
  const firstOf = new Map<number, Call>();
  let previous = -1;
  for (const post of announced) {
    const index = labels.indexOf(headingOf(post));
    if (index < 0) {
      problems.push(`an unexpected post in the channel: ${headingOf(post) || '(no heading)'}`);
      continue;
    }
    const first = firstOf.get(index);
    if (first) {
      duplicate(`the "${labels[index]}" post`, first, post);
      continue;
    }
    firstOf.set(index, post);
    if (index < previous) problems.push(`"${labels[index]}" was posted after "${labels[previous]}"`);
    previous = Math.max(previous, index);
    // What it says must be what the fold says now: the latest announcement due (a catch-up).
    const at = sim(post.at);
    if ((announcements[index] as Announcement).at > at)
      problems.push(
        `"${labels[index]}" was posted ${(announcements[index] as Announcement).at - at} ms (simulated) early`,
      );
    const dueThen = [sim(post.at - DECIDE_MS), at].map((t) =>
      catchUpAnnouncement(announcementsBetween(events, Number.NEGATIVE_INFINITY, t)),
    );
    if (!dueThen.some((a) => a && labelOf(a, plan) === labels[index]))
      problems.push(
        `"${labels[index]}" was posted when the fold says "${dueThen[1] ? labelOf(dueThen[1], plan) : 'nothing'}" was due`,
      );
  }
  if (!firstOf.has(labels.length - 1)) problems.push('the closing never came');

  // An announcement never posted must have been folded into the next post that was made.
  let mergedAcrossCrash = 0;
  let mergedLate = 0;
  labels.forEach((label, index) => {
    if (firstOf.has(index)) return;
    const next = [...firstOf.entries()].filter(([i]) => i > index).sort(([a], [b]) => a - b)[0];
    if (!next) {
      problems.push(`"${label}" was lost: nothing was posted after it came due`);
      return;
    }
    const due = (announcements[index] as Announcement).at;
    // Across a crash: no bot that was ready when it came due posted anything until `next`.
    const ready = trial.runs.filter((r) => r.how !== 'setup' && sim(r.readyAt) <= due && sim(r.endedAt) >= due);
    const poster = trial.runs.find((r) => r.startedAt <= next[1].at && r.endedAt >= next[1].at);
    if (ready.length === 0 || (poster && !ready.includes(poster))) mergedAcrossCrash++;
    else mergedLate++;
  });

  // Every update of a live card: the phase and its end as the fold gives them. An earlier card
  // turned into a one-line pointer to the fresh one says nothing about time.
  const cardTs = new Set(cards.map((c) => c.answer && (c.answer as { ts?: string }).ts));
  let checked = 0;
  let afterRestart = 0;
  let lastRun: Run | undefined;
  for (const update of trial.calls.filter((c) => c.method === 'chat.update' && cardTs.has(c.params.ts as string))) {
    const text = String(update.params.text ?? '');
    if (text.includes('the live timer card is further down')) continue;
    const heading = /^\*(.+?)\*/.exec(text)?.[1] ?? '';
    const endsAt = /Ends at: <!date\^(\d+)\^/.exec(text)?.[1];
    const endedAt = /Ended at: <!date\^(\d+)\^/.exec(text)?.[1];
    const timeLeft = /Time left: ([^\n]+)/.exec(text)?.[1];
    const at = sim(update.at);
    const earliest = sim(update.at - DECIDE_MS);
    // Sampled every simulated half second between the earliest moment it could have been
    // rendered and the moment Slack saw it.
    const moments = Array.from({ length: Math.ceil((at - earliest) / 500) + 1 }, (_, i) =>
      Math.min(at, earliest + i * 500),
    );
    const fits = moments.some((t) => {
      const state = timerState(events, t);
      if (!state) return false;
      if (state.status === 'ended')
        return heading === 'Session ended' && endedAt === String(Math.floor(state.endedAt / 1000));
      if (state.status !== 'running') return false;
      const phaseEnd = state.phaseEndsAt === undefined ? undefined : String(Math.floor(state.phaseEndsAt / 1000));
      return heading === phaseName(state.phase) && endsAt === phaseEnd;
    });
    // The time left is computed when the card is rendered, a moment before Slack sees it.
    const leftFits =
      timeLeft === undefined ||
      moments.some((t) => {
        const state = timerState(events, t);
        return state?.status === 'running' && formatTimeLeft(state.msLeftInPhase) === timeLeft;
      });
    if (!fits || !leftFits)
      problems.push(
        `a card update at simulated +${((at - trial.origin) / MINUTE).toFixed(2)} min shows "${heading}", ends ${endsAt ?? endedAt ?? '?'}, left ${timeLeft ?? '?'}: not what the fold says`,
      );
    const run = trial.runs.find((r) => r.startedAt <= update.at && r.endedAt >= update.at);
    if (run && run !== lastRun && run.how !== 'setup') afterRestart++;
    lastRun = run;
    checked++;
  }
  return {
    phasePosts: firstOf.size,
    mergedAcrossCrash,
    mergedLate,
    cardUpdates: checked,
    cardUpdatesAfterRestart: afterRestart,
  };
}

interface Finished {
  id: string;
  kind: string;
  outcome: 'done' | 'dropped' | 'failed';
}

function checkReminders(
  trial: TrialRecord,
  posts: Call[],
  sim: (real: number) => number,
  logs: Run['logs'],
  problems: string[],
  duplicate: Duplicate,
  sentJustBeforeKill: (what: string, post: Call) => boolean,
) {
  const sessions = Object.values(trial.store.sessions ?? {}) as Array<{ id: string; start: number; sequence: number }>;
  const session = sessions[0];
  if (sessions.length !== 1 || !session) {
    problems.push(`expected one session, found ${sessions.length}`);
    return { posted: 0, stale: 0 };
  }
  const done = trial.store['jobs-done'] as Record<string, Finished>;
  const offsets: number[] = [...REMINDER_OFFSETS];
  const dueOf = (offset: number) => session.start - offset * MINUTE;
  const untilOf = (offset: number) => {
    const next = offsets[offsets.indexOf(offset) + 1];
    return next === undefined ? session.start : dueOf(next);
  };
  let stale = 0;
  /** Dropped as stale: a `job.stale` line for that job, and only once it was too late. */
  const checkDropped = (key: string, record: Finished, offset: number) => {
    const line = logs.find((l) => l.event === 'job.stale' && l.job === record.id);
    if (!line) return void problems.push(`${key} was dropped without a job.stale line`);
    if (dueOf(offset) + Number(line.lateMs) < untilOf(offset))
      problems.push(`${key} was dropped as stale ${String(line.lateMs)} ms late, while still useful`);
    stale++;
  };

  const members = [LEADER, ...STUDENTS];
  const expected = new Map<string, number[]>(members.map((m) => [m, []]));
  for (const offset of offsets) {
    const fanOut = done[`remind:${session.id}:${session.sequence}:${offset}`];
    if (!fanOut) {
      problems.push(
        `the ${offset}-minute reminders never ran (${`remind:${session.id}:${session.sequence}:${offset}` in (trial.store.jobs ?? {}) ? 'still pending at the end' : 'lost'})`,
      );
      continue;
    }
    if (fanOut.outcome === 'dropped') {
      checkDropped(`the ${offset}-minute reminders`, fanOut, offset);
      continue;
    }
    for (const member of members) {
      const key = `reminder:${session.id}:${session.sequence}:${offset}:${userId(member)}`;
      const record = done[key];
      if (!record)
        problems.push(
          `${key} never finished: ${key in (trial.store.jobs ?? {}) ? 'still pending at the end' : 'lost'}`,
        );
      else if (record.outcome === 'dropped') checkDropped(key, record, offset);
      else if (record.outcome === 'done') expected.get(member)?.push(offset);
      else problems.push(`${key} ${record.outcome}`);
    }
  }

  let posted = 0;
  for (const member of members) {
    const mine = posts.filter((c) => c.params.channel === `D${member}` && headingOf(c) === `Balint session: ${GROUP}`);
    const wanted = expected.get(member) ?? [];
    const seen = new Map<number, Call>();
    for (const post of mine) {
      // The reminder window it belongs to: from its due time until the next one (or the start).
      // Near a boundary two windows fit; the one the bot recorded as sent is taken first.
      const at = sim(post.at);
      const decided = sim(post.at - DECIDE_MS);
      const fit = offsets.filter((o) => dueOf(o) <= at && decided < untilOf(o));
      const offset = fit.find((o) => wanted.includes(o) && !seen.has(o)) ?? fit.find((o) => !seen.has(o)) ?? fit[0];
      if (offset === undefined) {
        problems.push(
          `a reminder to ${member} at simulated +${((at - trial.origin) / MINUTE).toFixed(2)} min fits no reminder time`,
        );
        continue;
      }
      const first = seen.get(offset);
      if (first) duplicate(`the ${offset}-minute reminder to ${member}`, first, post);
      else seen.set(offset, post);
    }
    for (const offset of wanted)
      if (!seen.has(offset))
        problems.push(`the ${offset}-minute reminder to ${member} is marked sent but never reached Slack`);
    for (const [offset, post] of seen) {
      if (wanted.includes(offset)) continue;
      // Sent, then killed before it was marked done; the restart found it stale and dropped it.
      // The person got it once: the at-least-once window, without the repeat.
      if (!sentJustBeforeKill(`the ${offset}-minute reminder to ${member} (then dropped as stale)`, post))
        problems.push(`a ${offset}-minute reminder reached ${member} although the bot dropped it`);
    }
    posted += seen.size;
  }
  return { posted, stale };
}

function checkInvites(
  trial: TrialRecord,
  posts: Call[],
  sim: (real: number) => number,
  problems: string[],
  duplicate: Duplicate,
): { invites: number; waiting: number } {
  let invites = 0;
  let waiting = 0;
  const records = Object.values(trial.store['rotation-invites'] ?? {}) as Array<{ user: string; state: string }>;
  // A bot that was down from before the invite time until the session had begun finds no next
  // session: the rule puts the students on the waiting list instead (logged as not-found).
  const lateDay = trial.runs
    .flatMap((r) => r.logs)
    .find((l) => l.event === 'rotations.day' && l.outcome === 'not-found');
  const noSessionLeft = lateDay !== undefined && sim(Date.parse(lateDay.time)) >= trial.sessionStart;
  if (lateDay && !noSessionLeft) problems.push('the invite trigger found no session although one was still ahead');
  for (const student of STUDENTS) {
    const mine = posts.filter((c) => c.params.channel === `D${student}` && headingOf(c) === `Welcome back: ${GROUP}`);
    const state = records.find((r) => r.user === userId(student))?.state;
    if (noSessionLeft) {
      if (mine.length > 0 || state !== 'waiting')
        problems.push(`${student} was invited (${state ?? 'no record'}) although no session was left to invite to`);
      waiting++;
      continue;
    }
    if (mine.length === 0) problems.push(`the invite to ${student} never reached Slack`);
    for (const extra of mine.slice(1)) duplicate(`the invite to ${student}`, mine[0] as Call, extra);
    const first = mine[0];
    if (first && sim(first.at) < trial.inviteAt)
      problems.push(`the invite to ${student} went out before the invite time`);
    if (state !== 'invited') problems.push(`the invite record of ${student} says ${state ?? 'nothing'}, not invited`);
    if (mine.length > 0) invites++;
  }
  return { invites, waiting };
}
