// Plans, moves and cancels a group's sessions and keeps their reminders and notices in step.
// Permission checks are the caller's (the commands know who is asking); this checks that a
// change makes sense now: nothing in the past, series within bounds, and nothing stored unless
// the whole request is valid.
import { IANAZone } from 'luxon';
import { conflict, invalid, notFound } from '../plumbing/errors.js';
import { errorCode } from '../plumbing/logger.js';
import type { UserId } from '../plumbing/ids.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Group } from '../model.js';
import type { ChatPort, Clock, Logger, Store } from '../ports.js';
import type { Roster } from '../roster.js';
import { FollowUps } from './follow-up.js';
import { resolveLocal } from './local-time.js';
import { Notices } from './notices.js';
import { PlanError } from './plan-error.js';
import { SessionRecords } from './records.js';
import { expandDates, MAX_SESSIONS, TooManySessions } from './recurrence.js';
import { reminderOffsets, Reminders } from './reminders.js';
import { endOf, newSeriesId, newSessionId, type Rsvp, type Series, type Session, type SessionPlan } from './session.js';

export interface ScheduleDeps {
  store: Store;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  roster: Roster;
  newSessionId?: () => string;
}

export const PAST_MESSAGE = 'That date and time has already passed. Pick a time in the future.';
const TOO_MANY = `A series can have at most ${MAX_SESSIONS} sessions. Choose an earlier end date or fewer sessions.`;
/** Past sessions stay in the index this long, for the calendar feed's recent history. */
/**
 * The series' dates without the skipped ones. A skipped date must be one of the series' own
 * dates, and at least one session must remain: anything else is a typo the coordinator should
 * see before anything is stored. A count (`for 10 sessions`) counts the rule's dates, skipped
 * ones included, so the series still ends where the rule says.
 */
export function withoutSkipped(dates: string[], except: readonly string[] | undefined): string[] {
  if (!except || except.length === 0) return dates;
  const own = new Set(dates);
  const stray = except.find((d) => !own.has(d));
  if (stray !== undefined)
    throw new PlanError('except', `${stray} is not one of the series' dates, so it cannot be skipped.`);
  const skipped = new Set(except);
  const kept = dates.filter((d) => !skipped.has(d));
  if (kept.length === 0) throw new PlanError('except', 'Every date of the series is skipped: nothing is left to plan.');
  return kept;
}

const FEED_HISTORY_MS = 180 * 86_400_000;

export class ScheduleService {
  readonly records: SessionRecords;
  private readonly reminders: Reminders;
  private readonly notices: Notices;
  private readonly followUps: FollowUps;
  private readonly newId: () => string;
  private readonly scheduledListeners: Array<(groupId: string) => Promise<unknown>> = [];
  private readonly changeListeners: Array<(groupId: string) => void> = [];

  constructor(private readonly deps: ScheduleDeps) {
    this.records = new SessionRecords(deps.store);
    this.reminders = new Reminders({ ...deps, records: this.records });
    this.notices = new Notices({ ...deps, records: this.records });
    this.newId = deps.newSessionId ?? newSessionId;
    this.followUps = new FollowUps(deps.jobs, {
      scheduled: (groupId) => this.finishScheduling(groupId),
      moved: (id, sequence, was) => this.finishMoving(id, sequence, was),
      cancelled: (id, sequence, rest, count) => this.finishCancelling(id, sequence, rest, count),
    });
  }

  /**
   * Called after sessions are scheduled or moved for a group: students waiting for a session
   * (rotations) are invited from there. A listener's failure is logged, never the scheduler's.
   */
  onScheduled(listener: (groupId: string) => Promise<unknown>): void {
    this.scheduledListeners.push(listener);
  }

  /**
   * Told after a group's sessions were scheduled, moved or cancelled (the chat apps keep the
   * home pages that show them current). Keep listeners quick.
   */
  onChange(listener: (groupId: string) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(groupId: string): void {
    for (const listener of this.changeListeners) listener(groupId);
  }

  private async announceScheduled(groupId: string): Promise<void> {
    this.changed(groupId);
    for (const listener of this.scheduledListeners) {
      await listener(groupId).catch((error: unknown) =>
        this.deps.logger.warn('schedule.listener-failed', { group: groupId, code: errorCode(error) }),
      );
    }
  }

  get(id: string): Promise<Session | undefined> {
    return this.records.get(id);
  }

  /** The instants of a plan's sessions in the group's zone; throws a UserError for a bad plan. */
  expand(group: Group, plan: SessionPlan): Array<{ date: string; start: number }> {
    if (!IANAZone.isValidZone(group.timeZone))
      throw invalid(
        "This group's time zone is not one I know. A coordinator can fix it with `group set <group> tz <zone>`.",
      );
    let dates: string[];
    try {
      dates = plan.rule ? expandDates(plan.date, plan.rule) : [plan.date];
    } catch (error) {
      const field = plan.rule && 'count' in plan.rule ? 'count' : 'until';
      if (error instanceof TooManySessions) throw new PlanError(field, TOO_MANY);
      throw new PlanError(field, 'The series must end on or after its first date, with at least one session.');
    }
    dates = withoutSkipped(dates, plan.except);
    const planned = dates.map((date) => ({ date, start: resolveLocal(date, plan.time, group.timeZone) }));
    if ((planned[0]?.start ?? 0) <= this.deps.clock.now()) throw new PlanError('date', PAST_MESSAGE);
    return planned;
  }

  /**
   * Stores one session or a series, then arms its reminders. The follow-up goes first, then the
   * series and the group's index, then the sessions: a crash part way leaves ids that lead
   * nowhere (skipped when loaded), never a stored session that no list finds.
   */
  async schedule(group: Group, plan: SessionPlan): Promise<Session[]> {
    const planned = this.expand(group, plan);
    const now = this.deps.clock.now();
    const seriesId = plan.rule ? newSeriesId() : undefined;
    const ids = await this.freshIds(planned.length);
    const sessions: Session[] = planned.map(({ date, start }, i) => ({
      id: ids[i] as string,
      groupId: group.id,
      ...(seriesId ? { seriesId } : {}),
      date,
      time: plan.time,
      zone: group.timeZone,
      start,
      minutes: plan.minutes,
      mode: plan.mode,
      ...(plan.place ? { place: plan.place } : {}),
      ...(plan.link ? { link: plan.link } : {}),
      sequence: 0,
      status: 'scheduled',
      rsvps: {},
      createdAt: now,
      updatedAt: now,
    }));
    await this.followUps.beforeScheduling(group.id, now);
    if (plan.rule && seriesId) {
      const series: Series = {
        id: seriesId,
        groupId: group.id,
        rule: plan.rule,
        ...(plan.except?.length ? { except: plan.except } : {}),
        date: plan.date,
        time: plan.time,
        zone: group.timeZone,
        sessionIds: ids,
      };
      await this.records.putSeries(series);
    }
    await this.records.index(group.id, sessions);
    for (const session of sessions) {
      if (!(await this.records.create(session))) throw new Error('session id taken while scheduling');
    }
    const offsets = reminderOffsets(group);
    for (const session of sessions) await this.reminders.arm(session, offsets);
    this.deps.logger.info('schedule.created', { group: group.id, session: sessions[0]?.id, count: sessions.length });
    await this.announceScheduled(group.id);
    return sessions;
  }

  /** The follow-up of scheduling (or of a new reminder list): every upcoming session armed. */
  private async finishScheduling(groupId: string): Promise<void> {
    const group = await this.deps.roster.getGroup(groupId);
    if (!group) return;
    const offsets = reminderOffsets(group);
    for (const session of await this.upcoming(groupId)) await this.reminders.arm(session, offsets);
    await this.announceScheduled(groupId);
  }

  /** A group's sessions that have not ended yet, earliest first (cancelled ones left out). */
  async upcoming(groupId: string): Promise<Session[]> {
    const now = this.deps.clock.now();
    const ids = await this.records.idsFrom(groupId, now - 24 * 3_600_000);
    return (await this.records.load(ids)).filter((s) => s.status === 'scheduled' && endOf(s) > now);
  }

  /** Every session of a group from recent history on, cancelled ones included: the feed's view. */
  async forFeed(groupId: string): Promise<Session[]> {
    return this.records.load(await this.records.idsFrom(groupId, this.deps.clock.now() - FEED_HISTORY_MS));
  }

  async move(session: Session, group: Group, date: string, time: string): Promise<Session> {
    this.assertChangeable(session);
    const start = resolveLocal(date, time, session.zone);
    const now = this.deps.clock.now();
    if (start <= now) throw new PlanError('date', PAST_MESSAGE);
    if (start === session.start) throw conflict('The session is already at that time.');
    await this.followUps.beforeMoving(session, now);
    const moved = await this.records.change(session.id, (current) =>
      current.sequence === session.sequence && current.status === 'scheduled'
        ? { ...current, date, time, start, sequence: current.sequence + 1, updatedAt: now }
        : undefined,
    );
    if (!moved) throw conflict('That session changed meanwhile. Look at `sessions` and try again.');
    await this.afterMove(moved, group, session.start, now);
    this.deps.logger.info('schedule.moved', { group: group.id, session: moved.id });
    return moved;
  }

  private async afterMove(moved: Session, group: Group, was: number, now: number): Promise<void> {
    const offsets = reminderOffsets(group);
    await this.records.index(group.id, [moved]);
    // The new reminders are armed before the old ones are cleared: old-sequence jobs do nothing
    // when they run, so the order never leaves a moved session with no reminders.
    await this.reminders.arm(moved, offsets);
    await this.reminders.disarm({ ...moved, sequence: moved.sequence - 1 }, offsets);
    await this.notices.tell(group, moved, { kind: 'moved', was }, now);
    await this.announceScheduled(group.id);
  }

  /** The follow-up of a move: finished again if the session still has the move's sequence. */
  private async finishMoving(id: string, sequence: number, was: number): Promise<void> {
    const moved = await this.records.get(id);
    if (moved?.status !== 'scheduled' || moved.sequence !== sequence) return;
    const group = await this.deps.roster.getGroup(moved.groupId);
    if (group) await this.afterMove(moved, group, was, this.deps.clock.now());
  }

  /** Cancels one session, or with `rest` it and every later one of its series. */
  async cancel(session: Session, group: Group, rest: boolean): Promise<Session[]> {
    this.assertChangeable(session);
    const now = this.deps.clock.now();
    let targets = [session];
    if (rest && session.seriesId) {
      const series = await this.records.getSeries(session.seriesId);
      const all = await this.records.load(series?.sessionIds ?? [session.id]);
      targets = all.filter((s) => s.status === 'scheduled' && s.start >= session.start && s.start > now);
    }
    await this.followUps.beforeCancelling(session, rest, targets.length, now);
    const cancelled = await this.cancelEach(targets, group, now);
    const first = cancelled[0];
    if (first) await this.notices.tell(group, first, { kind: 'cancelled', count: cancelled.length }, now);
    this.deps.logger.info('schedule.cancelled', { group: group.id, session: session.id, count: cancelled.length });
    if (cancelled.length > 0) this.changed(group.id);
    return cancelled;
  }

  /** Cancels those still scheduled; returns the ones this call cancelled. */
  private async cancelEach(targets: readonly Session[], group: Group, now: number): Promise<Session[]> {
    const offsets = reminderOffsets(group);
    const cancelled: Session[] = [];
    for (const target of targets) {
      const done = await this.records.change(target.id, (current) =>
        current.status === 'scheduled'
          ? { ...current, status: 'cancelled', sequence: current.sequence + 1, updatedAt: now }
          : undefined,
      );
      if (!done) continue;
      await this.reminders.disarm(target, offsets);
      cancelled.push(done);
    }
    return cancelled;
  }

  /**
   * The follow-up of a cancel: if the first session was cancelled by it, the rest of the series
   * (when asked) is cancelled too and the members are told, once, with the count asked for.
   */
  private async finishCancelling(id: string, sequence: number, rest: boolean, count: number): Promise<void> {
    const first = await this.records.get(id);
    if (first?.status !== 'cancelled' || first.sequence !== sequence) return;
    const group = await this.deps.roster.getGroup(first.groupId);
    if (!group) return;
    const now = this.deps.clock.now();
    if (rest && first.seriesId) {
      const series = await this.records.getSeries(first.seriesId);
      const later = (await this.records.load(series?.sessionIds ?? [])).filter(
        (s) => s.status === 'scheduled' && s.start > first.start && s.start > now,
      );
      if ((await this.cancelEach(later, group, now)).length > 0) this.changed(group.id);
    }
    await this.notices.tell(group, first, { kind: 'cancelled', count }, now);
  }

  /** Records a member's answer; changeable until the session starts. */
  async rsvp(sessionId: string, user: UserId, answer: Rsvp): Promise<Session> {
    const session = await this.records.get(sessionId);
    const group = session && (await this.deps.roster.getGroup(session.groupId));
    if (!session || !group || !group.members.some((m) => m.user === user))
      throw notFound('That button no longer does anything.');
    let problem: 'cancelled' | 'started' | undefined;
    const updated = await this.records.change(sessionId, (current) => {
      if (current.status !== 'scheduled') problem = 'cancelled';
      else if (current.start <= this.deps.clock.now()) problem = 'started';
      else
        return current.rsvps[user] === answer ? undefined : { ...current, rsvps: { ...current.rsvps, [user]: answer } };
      return undefined;
    });
    if (problem === 'cancelled') throw conflict('That session was cancelled.');
    if (problem === 'started') throw conflict('That session has already started, so answers are closed.');
    return updated ?? ((await this.records.get(sessionId)) as Session);
  }

  /**
   * Data rights: removes the person's answers from every session, each under the session's
   * lock. Their pending reminders and notices are the job queue's to cancel (see forget.ts).
   */
  async forget(user: UserId): Promise<number> {
    const ids: string[] = [];
    for await (const session of this.records.all()) if (Object.hasOwn(session.rsvps, user)) ids.push(session.id);
    let answers = 0;
    for (const id of ids) {
      await this.records.change(id, (current) => {
        if (!Object.hasOwn(current.rsvps, user)) return undefined;
        answers++;
        const rsvps = { ...current.rsvps };
        delete rsvps[user];
        return { ...current, rsvps };
      });
    }
    return answers;
  }

  /**
   * Retention: deletes every session that ended before `cutoff` (epoch ms), answers and all,
   * and takes it out of its group's index and its series. Returns the ids of those that went.
   */
  async purgeEndedBefore(cutoff: number): Promise<string[]> {
    const old: Session[] = [];
    for await (const session of this.records.all()) if (endOf(session) < cutoff) old.push(session);
    const gone: Session[] = [];
    for (const session of old)
      if (await this.records.remove(session.id, (current) => endOf(current) < cutoff)) gone.push(session);
    const byKey = (key: (s: Session) => string | undefined) => {
      const map = new Map<string, string[]>();
      for (const s of gone) {
        const k = key(s);
        if (k !== undefined) map.set(k, [...(map.get(k) ?? []), s.id]);
      }
      return map;
    };
    for (const [groupId, ids] of byKey((s) => s.groupId)) await this.records.unindex(groupId, ids);
    for (const [seriesId, ids] of byKey((s) => s.seriesId)) await this.records.unlinkSeries(seriesId, ids);
    return gone.map((s) => s.id);
  }

  /** After a group's reminder list changed: upcoming sessions get reminders by the new list. */
  async rearm(group: Group, previous: readonly number[]): Promise<number> {
    await this.followUps.beforeScheduling(group.id, this.deps.clock.now());
    const offsets = reminderOffsets(group);
    let armed = 0;
    for (const session of await this.upcoming(group.id))
      armed += await this.reminders.rearm(session, previous, offsets);
    return armed;
  }

  /** Ids no stored session has, drawn before anything is written. */
  private async freshIds(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let attempts = 0; ids.length < count; attempts++) {
      if (attempts >= count + 5) throw new Error('could not draw a free session id');
      const id = this.newId();
      if (!ids.includes(id) && !(await this.records.get(id))) ids.push(id);
    }
    return ids;
  }

  private assertChangeable(session: Session): void {
    if (session.status === 'cancelled') throw conflict('That session was cancelled already.');
    if (session.start <= this.deps.clock.now())
      throw conflict('That session has already started; it can no longer be changed.');
  }
}
