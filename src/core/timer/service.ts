// Runs the phase timers: keeps each timer's events in the store, posts what the channel should
// see, and keeps exactly one durable "tick" job per running timer for its next deadline or card
// refresh. Everything shown is computed from the events and the clock, so a restarted bot (or a
// tick that comes late) shows the same thing as one that never stopped.
import { randomBytes } from 'node:crypto';
import type { Card } from '../cards.js';
import { conflict, invalid, notFound } from '../plumbing/errors.js';
import type { Place } from '../plumbing/ids.js';
import { retryAfterOf, type JobQueue } from '../jobs/queue.js';
import { KeyedLock } from '../plumbing/keyed-lock.js';
import { errorCode } from '../plumbing/logger.js';
import type { Group, PushBackMode } from '../model.js';
import {
  unchanged,
  type ChatPort,
  type Clock,
  type Locks,
  type Logger,
  type MessageRef,
  type RateLimits,
  type Store,
} from '../ports.js';
import { RateBudget, workspaceOf } from '../plumbing/rate-budget.js';
import type { Roster } from '../roster.js';
import {
  closingPost,
  debriefNote,
  extendedPost,
  movedCard,
  openingPost,
  phaseChangePost,
  timerCard,
  warningPost,
  type TimerStep,
} from './cards.js';
import { advanced, ended, extended, paused, resumed, started, type Pacing, type TimerEvent } from './events.js';
import { rateLimitedText, staleText } from '../texts.js';
import { isFacilitatorRole } from '../model.js';
import { deleteWhen } from '../plumbing/delete-when.js';
import { planMinutes, presetPlan, type PresetName } from './presets.js';
import {
  announcementsBetween,
  catchUpAnnouncement,
  nextBoundary,
  timerState,
  type Announcement,
  type TimerState,
} from './state.js';

const TIMERS = 'timers';
/** Place → id of the timer running there: one timer per channel. */
const CHANNEL_TIMERS = 'channel-timers';
/** Place → ids of the groups that have run a session there: where a group meets. */
const MEETING_PLACES = 'timer-meeting-places';
const MEETING_PLACES_MAX = 20;
export const TICK_JOB = 'timer.tick';

const MINUTE = 60_000;
/** Refresh the card every minute, and every 20 s in a phase's last two minutes. */
const SLOW_REFRESH = MINUTE;
const FAST_REFRESH = 20_000;
const FAST_WINDOW = 2 * MINUTE;

export interface Timer {
  id: string;
  groupId: string;
  place: Place;
  zone: string;
  pushBackMode: PushBackMode;
  events: TimerEvent[];
  /** The live card: posted at the start, updated in place, re-posted under each phase post. */
  card?: MessageRef;
  /** Where the timer was when the live card last showed it (typed `next` moves on from there). */
  shown?: TimerStep;
  /** A change of phase or status the card has not shown yet: the next tick must show it. */
  unshown?: boolean;
  /**
   * How many of the session's announcements (phase changes, warnings, the closing) have been
   * posted. Counted rather than timed: a Next pressed in the same millisecond as the previous
   * command must still be announced.
   */
  announced: number;
  /** The pending tick job's idempotency key. */
  tickKey?: string;
}

export type Steer =
  { kind: 'next' } | { kind: 'pause' } | { kind: 'resume' } | { kind: 'extend'; minutes: number } | { kind: 'end' };

/** How a session is started: its pacing, the scheduled session's end, whether it is online. */
export interface StartOptions {
  pacing?: Pacing;
  endsAt?: number;
  online?: boolean;
}

/** Told once when a session has ended (after the closing is posted). Keep listeners quick. */
export type SessionEndedListener = (ended: { timerId: string; groupId: string; place: Place; at: number }) => unknown;

/**
 * Where a press or a typed command was made: the phase index it saw and, for a button, the
 * number of events its card was drawn from. A press whose step has passed changes nothing.
 */
export interface SteerStep {
  phaseIndex: number;
  events?: number;
}

export interface TimerDeps {
  store: Store;
  roster: Roster;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  /** Card refreshes per minute per workspace (Slack's chat.update allows about 50). */
  refreshBudget?: RateBudget;
  /**
   * Where the platform asked us to wait (a 429's Retry-After for the place's workspace or
   * conversation): meanwhile countdown refreshes are skipped, and phase posts and changes of
   * the card wait until it has passed instead of spending requests on refusals.
   */
  rateLimits?: RateLimits;
  newId?: () => string;
  /** Per-timer lock; several instances pass one held in the shared store, so a Next and a tick never both announce. */
  locks?: Locks;
}

/** What showing the card came to: shown or not, a new card's handle, when to try again. */
interface Shown {
  ok: boolean;
  card?: MessageRef;
  retryAt?: number;
}

export const MAX_EXTEND_MINUTES = 30;
const FIRST_TICK_RETRY_MS = 5_000;
/** When a card update was refused without a Retry-After, try again this much later. */
const SHOW_RETRY_MS = 5_000;
const SHOW_RETRY_MAX_MS = 60_000;
/**
 * A tick is retried through an outage for as long as its session could still need it: until
 * the session's end as the tick knew it, and this long after, so that the closing (and what
 * follows it: the debrief note, attendance) still comes out after an outage over the end.
 */
const TICK_GRACE_MS = 30 * MINUTE;

// A type, not an interface: the job queue's payloads are Json, which an interface is not.
type TickPayload = {
  timerId: string;
  /** Until when the tick is worth retrying (absent in ticks stored before it was added). */
  until?: number;
};

const tickPayload = (timerId: string, at: number, state: TimerState): TickPayload => ({
  timerId,
  until: at + state.sessionMsLeft + TICK_GRACE_MS,
});

/** How long the platform asked us to wait, for an error it said may pass; undefined when it will not. */
export function retryDelayOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return SHOW_RETRY_MS;
  const e = error as { retryable?: unknown; retryAfterMs?: unknown; retryAfterSeconds?: unknown };
  if (e.retryable === false) return undefined;
  const ms =
    typeof e.retryAfterMs === 'number'
      ? e.retryAfterMs
      : typeof e.retryAfterSeconds === 'number'
        ? e.retryAfterSeconds * 1000
        : SHOW_RETRY_MS;
  return Math.min(SHOW_RETRY_MAX_MS, Math.max(1_000, Number.isFinite(ms) ? ms : SHOW_RETRY_MS));
}

export class TimerService {
  private readonly lock: Locks;
  private readonly budget: RateBudget;
  private readonly newId: () => string;
  private readonly endedListeners: SessionEndedListener[] = [];
  private readonly changeListeners: Array<(place: Place) => void> = [];

  constructor(private readonly deps: TimerDeps) {
    this.lock = deps.locks ?? new KeyedLock();
    this.budget = deps.refreshBudget ?? new RateBudget(Number.POSITIVE_INFINITY);
    this.newId = deps.newId ?? (() => `tmr_${randomBytes(8).toString('hex')}`);
    // Ticks are never stale: a late one posts a single catch-up and shows the right time.
    deps.jobs.register<TickPayload>(TICK_JOB, async (job) => this.tick(job.payload.timerId), {
      maxAttempts: 5,
      // Retried by usefulness (its session's end), not by count: a 503 for twenty minutes must
      // not leave a running timer with no tick (ticks stored before `until` keep maxAttempts).
      usefulUntil: (job) => {
        const until = (job.payload as TickPayload).until;
        return typeof until === 'number' ? until : undefined;
      },
      retryBaseMs: 5_000,
      retryMaxMs: 60_000,
      // A tick is idempotent by the timer's own count of announcements: no key to remember.
      rememberFinished: false,
    });
  }

  /** Adds a listener told once per session when it ends (attendance, for one). */
  onSessionEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** Called after every change this instance made to a timer (the room display pushes it). */
  onChange(listener: (place: Place) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(place: Place): void {
    for (const listener of this.changeListeners) listener(place);
  }

  async get(timerId: string): Promise<Timer | undefined> {
    return this.deps.store.get<Timer>(TIMERS, timerId);
  }

  /** The timer running in `place`, if any. */
  async inChannel(place: Place): Promise<Timer | undefined> {
    const id = await this.deps.store.get<string>(CHANNEL_TIMERS, place);
    const timer = id === undefined ? undefined : await this.get(id);
    return timer && this.stateOf(timer).status !== 'ended' ? timer : undefined;
  }

  /** The groups that have run a session in `place` (their facilitators may end a timer there). */
  async groupsMeetingIn(place: Place): Promise<string[]> {
    return (await this.deps.store.get<string[]>(MEETING_PLACES, place)) ?? [];
  }

  /** The timers not yet ended of these groups, with their state now (the Home shows them). */
  async activeFor(groupIds: ReadonlySet<string>): Promise<Array<{ timer: Timer; state: TimerState }>> {
    const out: Array<{ timer: Timer; state: TimerState }> = [];
    if (groupIds.size === 0) return out;
    for await (const [place] of this.deps.store.entries<string>(CHANNEL_TIMERS)) {
      const timer = await this.inChannel(place);
      if (timer && groupIds.has(timer.groupId)) out.push({ timer, state: this.stateOf(timer) });
    }
    return out;
  }

  /** Whether any channel has a timer that has not ended. */
  async anyRunning(): Promise<boolean> {
    for await (const [place] of this.deps.store.entries<string>(CHANNEL_TIMERS)) {
      if (await this.inChannel(place)) return true;
    }
    return false;
  }

  /**
   * Retention: deletes timers that ended (or were left paused) before `cutoff`, with their
   * channel entry. Their events are phase times only, but a store should not grow for ever.
   */
  async purgeBefore(cutoff: number): Promise<number> {
    const now = this.deps.clock.now();
    const old = (timer: Timer): boolean => {
      const state = timerState(timer.events, now);
      if (!state) return timer.events.every((e) => e.at < cutoff);
      if (state.status === 'ended') return state.endedAt < cutoff;
      return state.status === 'paused' && state.pausedAt < cutoff;
    };
    const found: Timer[] = [];
    for await (const [, timer] of this.deps.store.entries<Timer>(TIMERS)) if (old(timer)) found.push(timer);
    let purged = 0;
    for (const timer of found) {
      await this.lock.run(timer.id, async () => {
        if (!(await deleteWhen(this.deps.store, TIMERS, timer.id, old))) return;
        purged++;
        if (timer.tickKey) await this.deps.jobs.cancel(timer.tickKey);
        await this.release(timer);
      });
    }
    return purged;
  }

  stateOf(timer: Timer): TimerState {
    const state = timerState(timer.events, this.deps.clock.now());
    if (!state) throw new Error('timer without a valid start');
    return state;
  }

  card(timer: Timer): Card {
    return this.cardOf(timer, this.stateOf(timer));
  }

  private cardOf(timer: Timer, state: TimerState): Card {
    return timerCard(state, {
      timerId: timer.id,
      zone: timer.zone,
      pushBackMode: timer.pushBackMode,
      events: timer.events.length,
    });
  }

  /**
   * Starts a session's timer in `place`: the opening, then the timer card. The pacing comes
   * from the group ('led' unless it chose 'strict'); `endsAt` is a scheduled session's end.
   */
  async start(group: Group, place: Place, preset: PresetName, options: StartOptions = {}): Promise<Timer> {
    const now = this.deps.clock.now();
    const waitUntil = await this.limitedUntil(place, now);
    // Nothing is started while the platform asks us to wait: the opening would be refused.
    if (waitUntil !== undefined) throw conflict(rateLimitedText(Math.ceil((waitUntil - now) / 1000)));
    const id = this.newId();
    // The durable tick owns the timer from before it exists: a first tick is stored a few
    // seconds out before the timer is, so a crash or a failure anywhere below is picked up by
    // the job queue instead of leaving a running timer that nothing moves (a tick that finds no
    // timer does nothing). The tick that succeeds replaces it.
    const fallbackTick = `timer:${id}:tick:${now + FIRST_TICK_RETRY_MS}`;
    const planned = planMinutes(presetPlan(preset)) * MINUTE;
    await this.deps.jobs.enqueue(
      TICK_JOB,
      now + FIRST_TICK_RETRY_MS,
      { timerId: id, until: now + planned + TICK_GRACE_MS },
      fallbackTick,
    );
    const timer: Timer = {
      id,
      groupId: group.id,
      place,
      zone: group.timeZone,
      pushBackMode: group.pushBackMode,
      events: [
        started(now, presetPlan(preset), {
          pacing: options.pacing ?? group.pacing ?? 'led',
          ...(options.endsAt !== undefined && options.endsAt > now + 5 * MINUTE ? { endsAt: options.endsAt } : {}),
        }),
      ],
      announced: 0,
      tickKey: fallbackTick,
    };
    let busy = false;
    await this.deps.store.update<string>(CHANNEL_TIMERS, place, async (current) => {
      if (current !== undefined && (await this.inChannel(place))) {
        busy = true;
        return unchanged;
      }
      await this.deps.store.set(TIMERS, timer.id, timer);
      return timer.id;
    });
    if (busy) {
      await this.deps.jobs.cancel(fallbackTick);
      throw conflict('A timer is already running in this channel. `status` shows it; a facilitator can end it.');
    }
    await this.deps.store.update<string[]>(MEETING_PLACES, place, (groups = []) =>
      groups.includes(group.id) ? unchanged : [...groups, group.id].slice(-MEETING_PLACES_MAX),
    );
    this.deps.logger.info('timer.started', {
      group: group.id,
      place,
      session: timer.id,
      phase: this.stateOf(timer).phase,
    });
    await this.lock.run(timer.id, async () => {
      try {
        await this.deps.chat.post(
          place,
          openingPost(presetPlan(preset), {
            ...(group.openingText ? { openingOverride: group.openingText } : {}),
            online: options.online === true,
          }),
        );
      } catch (error) {
        // Nobody saw the session begin: take it back, so the facilitator can simply start again.
        await this.deps.jobs.cancel(fallbackTick);
        await this.deps.store.delete(TIMERS, timer.id);
        await this.release(timer);
        throw error;
      }
      try {
        await this.tickLocked(timer.id, true);
      } catch (error) {
        this.deps.logger.warn('timer.first-tick-failed', { session: timer.id, code: errorCode(error) });
      }
    });
    return (await this.get(timer.id)) as Timer;
  }

  /** Applies a facilitator's command to the timer in `place`, then shows its effect at once. */
  async steer(place: Place, command: Steer): Promise<TimerState> {
    const timer = await this.inChannel(place);
    if (!timer) throw notFound('No timer is running in this channel.');
    return this.steerTimer(timer.id, command, command.kind === 'next' ? this.typedStep(timer) : undefined);
  }

  /** Typed `next` moves on from the phase the card shows now (or the current one before it showed any). */
  typedStep(timer: Timer): SteerStep {
    return { phaseIndex: timer.shown?.phaseIndex ?? this.stateOf(timer).phaseIndex };
  }

  /**
   * Applies a facilitator's command, then shows its effect at once. With `step`, the command
   * counts only while the timer is still where the press saw it: a press delivered twice, two
   * facilitators pressing together, or a press on a card the clock has moved past changes
   * nothing and is answered privately ("already moved on to Push back").
   */
  async steerTimer(timerId: string, command: Steer, step?: SteerStep): Promise<TimerState> {
    return this.lock.run(timerId, async () => {
      const now = this.deps.clock.now();
      let place: Place | undefined;
      await this.deps.store.update<Timer>(TIMERS, timerId, (timer) => {
        if (!timer) throw notFound('That timer no longer exists.');
        place = timer.place;
        const state = this.stateOf(timer);
        if (
          step &&
          (state.phaseIndex !== step.phaseIndex || (step.events !== undefined && timer.events.length !== step.events))
        ) {
          this.deps.logger.info('timer.stale-press', { session: timerId, action: command.kind, phase: state.phase });
          throw conflict(staleText(state.status === 'ended' ? undefined : state.phase));
        }
        const event = eventFor(command, state, now);
        return { ...timer, events: [...timer.events, event], unshown: true };
      });
      this.deps.logger.info('timer.steered', { session: timerId, action: command.kind });
      // The room display shows the change now, not after the channel's posts have gone out.
      if (place) this.changed(place);
      return this.tickLocked(timerId, true);
    });
  }

  /** Runs as the tick job: announce what came due, refresh the card, arm the next tick. */
  async tick(timerId: string): Promise<void> {
    await this.lock.run(timerId, async () => {
      // Gone: ended and purged, or never stored (its start failed or the process died first).
      if (await this.get(timerId)) await this.tickLocked(timerId);
    });
  }

  /** `changed`: a facilitator just changed the timer, so the card must show it now. */
  private async tickLocked(timerId: string, changed = false): Promise<TimerState> {
    const timer = await this.get(timerId);
    if (!timer) throw notFound('That timer no longer exists.');
    const now = this.deps.clock.now();
    const state = this.stateOf(timer);
    const all = announcementsBetween(timer.events, Number.NEGATIVE_INFINITY, now);
    // The platform asked us to wait here: the post waits for the pause's end (a later tick
    // posts it, still as one catch-up) rather than spending a request on a refusal.
    let limitedUntil = await this.limitedUntil(timer.place, now);
    const pending = catchUpAnnouncement(all.slice(timer.announced));
    let due = limitedUntil === undefined ? pending : undefined;
    if (due) {
      try {
        await this.deps.chat.post(timer.place, await this.announcementCard(timer, state, due.kind));
      } catch (error) {
        // Refused for a rate limit: held like one known before, and posted when it is over
        // (a facilitator's Next is not failed for it). Any other failure fails the tick.
        const wait = retryAfterOf(error);
        if (wait === undefined) throw error;
        this.deps.logger.warn('timer.post-held', { session: timer.id, code: errorCode(error), delayMs: wait });
        limitedUntil = now + wait;
        due = undefined;
      }
    }
    const announced = due || !pending ? all.length : timer.announced;
    if (due) {
      // Counted at once, so that a crash repeats this post only if it falls within this one
      // write, not within the card refresh and the job bookkeeping that follow.
      await this.remember(timer.id, { announced: all.length });
      this.deps.logger.info('timer.announced', {
        session: timer.id,
        phase: state.phase,
        action: due.kind,
        lateMs: now - due.at,
      });
      if (due.kind === 'closing') await this.sessionEnded(timer, state);
    }
    const important = changed || due !== undefined || timer.unshown === true;
    // A phase post pushes the card up out of sight: a fresh card goes under it (see showCard).
    const repost = due !== undefined && due.kind !== 'closing' && state.status !== 'ended';
    const shown =
      limitedUntil === undefined
        ? await this.showCard(timer, state, now, important, repost)
        : this.heldCard(timer, important || pending !== undefined, limitedUntil);
    if (shown.card) await this.remember(timer.id, { card: shown.card });
    const due2 = nextTickAt(timer.events, state, now);
    const tickAt = shown.retryAt !== undefined && (due2 === undefined || shown.retryAt < due2) ? shown.retryAt : due2;
    const tickKey = tickAt === undefined ? undefined : `timer:${timer.id}:tick:${tickAt}`;
    // The next tick is stored before the previous one is cancelled: a crash in between leaves
    // two ticks (harmless, a tick is idempotent), never none. The other order, found by the
    // crash-restart test, could leave a running timer with no tick, stuck for good.
    if (tickAt !== undefined && tickKey)
      await this.deps.jobs.enqueue(TICK_JOB, tickAt, tickPayload(timer.id, tickAt, state), tickKey);
    const step: TimerStep = { phaseIndex: state.phaseIndex, events: timer.events.length };
    await this.deps.store.update<Timer>(TIMERS, timer.id, (current) => {
      if (!current) return undefined;
      const next: Timer = {
        ...current,
        announced: Math.max(current.announced, announced),
        ...(shown.card ? { card: shown.card } : {}),
        tickKey,
      };
      // Only what this tick drew counts as shown: a command stored meanwhile stays unshown.
      if (shown.ok && current.events.length === timer.events.length) {
        next.shown = step;
        delete next.unshown;
      } else if (important && !shown.ok) next.unshown = true;
      return next;
    });
    if (timer.tickKey && timer.tickKey !== tickKey) await this.deps.jobs.cancel(timer.tickKey);
    // Released once the closing is out: a closing held back by a pause still has its tick.
    if (state.status === 'ended' && announced >= all.length) await this.release(timer);
    this.changed(timer.place);
    return state;
  }

  /** The closing is out: the note to the two facilitators, then the listeners. Never fails the tick. */
  private async sessionEnded(timer: Timer, state: TimerState): Promise<void> {
    const at = state.status === 'ended' ? state.endedAt : this.deps.clock.now();
    try {
      const group = await this.deps.roster.getGroup(timer.groupId);
      for (const m of group?.members ?? []) {
        if (!isFacilitatorRole(m.role)) continue;
        await this.deps.chat.direct(m.user, debriefNote()).catch((error: unknown) => {
          this.deps.logger.warn('timer.debrief-note-failed', { session: timer.id, code: errorCode(error) });
        });
      }
    } catch (error) {
      this.deps.logger.warn('timer.debrief-note-failed', { session: timer.id, code: errorCode(error) });
    }
    for (const listener of this.endedListeners) {
      try {
        await listener({ timerId: timer.id, groupId: timer.groupId, place: timer.place, at });
      } catch (error) {
        this.deps.logger.warn('timer.ended-listener-failed', { session: timer.id, code: errorCode(error) });
      }
    }
  }

  private async announcementCard(timer: Timer, state: TimerState, kind: Announcement['kind']): Promise<Card> {
    if (kind === 'closing' || state.status === 'ended') {
      // The group's own closing words live only in the group, read when they are needed.
      const closingOverride = (await this.deps.roster.getGroup(timer.groupId))?.closingText;
      return closingPost(closingOverride ? { closingOverride } : {});
    }
    if (kind === 'warning') return warningPost(state, { zone: timer.zone });
    if (kind === 'extended') {
      const last = timer.events.findLast((e) => e.type === 'extended');
      return extendedPost(state, last?.type === 'extended' ? last.minutes : 0, { zone: timer.zone });
    }
    return phaseChangePost(state, { zone: timer.zone, pushBackMode: timer.pushBackMode });
  }

  /**
   * Shows the state on the live card. Posts it if it is not there yet; after a phase post
   * (`repost`) posts a fresh card under it and turns the old one into a one-line pointer, so
   * the buttons stay where the facilitators look; else updates it in place.
   * Only a plain countdown refresh may be skipped (budget or failure). A change of phase or
   * status that the platform refuses is tried again (`retryAt`, honouring Retry-After) until
   * it shows; a card that cannot be updated at all (deleted, too old) is replaced by a fresh one.
   */
  private async showCard(
    timer: Timer,
    state: TimerState,
    now: number,
    important: boolean,
    repost: boolean,
  ): Promise<Shown> {
    const card = this.cardOf(timer, state);
    const old = timer.card;
    if (!old) return { ok: true, card: await this.deps.chat.post(timer.place, card) };
    if (repost) {
      try {
        const fresh = await this.deps.chat.post(timer.place, card);
        try {
          await this.deps.chat.update(old, movedCard(state));
        } catch (error) {
          // Only a pointer: the fresh card already shows the change, so this is never retried.
          this.deps.logger.warn('timer.refresh-failed', { session: timer.id, code: errorCode(error) });
        }
        return { ok: true, card: fresh };
      } catch (error) {
        this.deps.logger.warn('timer.repost-failed', { session: timer.id, code: errorCode(error) });
        // Fall through: at least show the change on the card that is there.
      }
    }
    if (!this.budget.take(workspaceOf(timer.place), now) && !important && state.status === 'running') {
      this.deps.logger.debug('timer.refresh-skipped', { session: timer.id, code: 'budget' });
      return { ok: false };
    }
    try {
      await this.deps.chat.update(old, card);
      return { ok: true };
    } catch (error) {
      const wait = retryDelayOf(error);
      this.deps.logger.warn('timer.refresh-failed', { session: timer.id, code: errorCode(error) });
      if (!important) return { ok: false };
      if (wait !== undefined) return { ok: false, retryAt: now + wait };
    }
    // The card cannot be updated at all: a fresh one takes its place.
    try {
      return { ok: true, card: await this.deps.chat.post(timer.place, card) };
    } catch (error) {
      this.deps.logger.warn('timer.fresh-card-failed', { session: timer.id, code: errorCode(error) });
      return { ok: false, retryAt: now + (retryDelayOf(error) ?? SHOW_RETRY_MAX_MS) };
    }
  }

  /** Until when the platform asked us to wait in `place`; undefined when it did not (or no port). */
  private async limitedUntil(place: Place, now: number): Promise<number | undefined> {
    const until = await this.deps.rateLimits?.limitedUntil(place);
    return until !== undefined && until > now ? until : undefined;
  }

  /**
   * The card while the place waits out a Retry-After: a countdown refresh is skipped (the next
   * one after the pause shows the right time anyway); a change, or a phase post held back, is
   * tried again when the pause is over.
   */
  private heldCard(timer: Timer, important: boolean, until: number): Shown {
    this.deps.logger.debug('timer.refresh-skipped', { session: timer.id, code: 'rate_limited' });
    return important ? { ok: false, retryAt: until } : { ok: false };
  }

  /** Stores what has just gone out (a post counted, the card's handle) before anything else. */
  private async remember(timerId: string, sent: { announced?: number; card?: MessageRef }): Promise<void> {
    await this.deps.store.update<Timer>(TIMERS, timerId, (current) =>
      current
        ? {
            ...current,
            ...(sent.card ? { card: sent.card } : {}),
            announced: Math.max(current.announced, sent.announced ?? 0),
          }
        : unchanged,
    );
  }

  private async release(timer: Timer): Promise<void> {
    await this.deps.store.update<string>(CHANNEL_TIMERS, timer.place, (current) =>
      current === timer.id ? undefined : unchanged,
    );
  }
}

function eventFor(command: Steer, state: TimerState, now: number): TimerEvent {
  if (state.status === 'ended') throw invalid('This session has already ended.');
  switch (command.kind) {
    case 'next':
      return advanced(now, state.phaseIndex);
    case 'end':
      return ended(now);
    case 'pause':
      if (state.status === 'paused') throw invalid('The timer is already paused.');
      return paused(now);
    case 'resume':
      if (state.status !== 'paused') throw invalid('The timer is running; there is nothing to resume.');
      return resumed(now);
    case 'extend':
      if (!Number.isInteger(command.minutes) || command.minutes < 1 || command.minutes > MAX_EXTEND_MINUTES) {
        throw invalid(`Extend by a whole number of minutes, 1 to ${MAX_EXTEND_MINUTES}.`);
      }
      return extended(now, command.minutes);
  }
}

/**
 * When the timer next needs attention: its next deadline, or the next card refresh, whichever
 * comes first. Refreshes fall on whole minutes (or 20-second steps) before the phase's end, so
 * "12 min left" changes when it becomes true. Undefined when paused or ended.
 */
export function nextTickAt(events: readonly TimerEvent[], state: TimerState, now: number): number | undefined {
  const boundary = nextBoundary(events, now);
  if (state.status !== 'running') return boundary;
  if (state.phaseEndsAt === undefined) {
    // A waiting phase (the case call) counts up: refresh on its whole minutes.
    const refresh = now + (MINUTE - (state.phaseElapsedMs % MINUTE));
    return boundary === undefined ? refresh : Math.min(boundary, refresh);
  }
  if (boundary === undefined) return undefined;
  const left = state.phaseEndsAt - now;
  const step = left > FAST_WINDOW ? SLOW_REFRESH : FAST_REFRESH;
  const steps = Math.floor((left - 1) / step);
  const refresh = steps > 0 ? state.phaseEndsAt - steps * step : state.phaseEndsAt;
  return Math.min(boundary, refresh);
}
