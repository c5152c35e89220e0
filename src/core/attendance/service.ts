// Attendance: a sheet per session, opened when the session's timer ends (or by `attendance
// take`), sent privately to the group's facilitators as a card, changeable for seven days and
// then closed. Permission checks on who may *see* figures are the commands'; who may *mark* is
// checked here, since buttons reach the service straight from a card.
import { DateTime } from 'luxon';
import type { Card } from '../cards.js';
import { conflict, notFound, refused } from '../plumbing/errors.js';
import type { UserId } from '../plumbing/ids.js';
import { errorCode } from '../plumbing/logger.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Group } from '../model.js';
import type { ChatPort, Clock, Logger, MessageRef, Store } from '../ports.js';
import { isFacilitatorOf, type Roster } from '../roster.js';
import type { ScheduleService } from '../schedule/service.js';
import type { Session } from '../schedule/session.js';
import { sheetCard } from './cards.js';
import { AttendanceRecords } from './records.js';
import { ProgramRequirements, type AppliedRequirement } from './requirement.js';
import { ATTENDANCE_WINDOW_MS, isOpen, SHEET_ID, type Mark, type Sheet } from './sheet.js';
import { tallyGroup, type MemberTally } from './tally.js';

export const OPEN_JOB = 'attendance.open';
export const CARD_JOB = 'attendance.card';
export const CLOSE_JOB = 'attendance.close';

type OpenPayload = { group: string; at: number };
type CardPayload = { sheet: string; to: string };
type ClosePayload = { sheet: string };

/** A timer belongs to the scheduled session that starts this close to it. */
const SAME_SESSION_MS = 3 * 3_600_000;
const CLOSED = 'Attendance for this session is closed: marks can be changed for 7 days after its card was first sent.';
const GONE = 'That attendance card no longer does anything.';

export interface AttendanceDeps {
  store: Store;
  roster: Roster;
  schedule: ScheduleService;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
}

export class AttendanceService {
  readonly records: AttendanceRecords;
  readonly programs: ProgramRequirements;

  constructor(private readonly deps: AttendanceDeps) {
    this.records = new AttendanceRecords(deps.store);
    this.programs = new ProgramRequirements(deps.store);
    deps.jobs.register<OpenPayload>(OPEN_JOB, (job) => this.openAndSend(job.payload));
    deps.jobs.register<CardPayload>(CARD_JOB, (job) => this.sendCard(job.payload), { maxAttempts: 3 });
    deps.jobs.register<ClosePayload>(CLOSE_JOB, (job) => this.closeCards(job.payload), { maxAttempts: 3 });
  }

  /**
   * A session's timer ended: open its sheet and send the cards, through a durable job keyed by
   * the timer, so a repeated or crashed end still sends each facilitator one card.
   */
  async sessionEnded(timer: { id: string; groupId: string; startedAt: number }): Promise<void> {
    await this.deps.jobs.enqueue<OpenPayload>(
      OPEN_JOB,
      this.deps.clock.now(),
      { group: timer.groupId, at: timer.startedAt },
      `attopen:${timer.id}`,
    );
  }

  private async openAndSend({ group: groupId, at }: OpenPayload): Promise<void> {
    const group = await this.deps.roster.getGroup(groupId);
    if (!group) return;
    const sheet = await this.open(group, await this.sessionAt(group, at), at);
    if (!isOpen(sheet, this.deps.clock.now())) return;
    for (const m of group.members.filter((m) => m.role !== 'member'))
      await this.deps.jobs.enqueue<CardPayload>(
        CARD_JOB,
        this.deps.clock.now(),
        { sheet: sheet.id, to: m.user },
        `attcard:${sheet.id}:${m.user}`,
      );
    this.deps.logger.info('attendance.opened', { group: group.id, session: sheet.id, count: listedCount(sheet) });
  }

  private async sendCard({ sheet: id, to }: CardPayload): Promise<void> {
    const sheet = await this.records.get(id);
    const group = sheet && (await this.deps.roster.getGroup(sheet.groupId));
    if (!sheet || !group || sheet.cards[to] || !isOpen(sheet, this.deps.clock.now())) return;
    if (!group.members.some((m) => m.user === to && m.role !== 'member')) return;
    await this.sendTo(sheet, group, to);
  }

  /** Sends `to` the sheet's card by direct message and remembers it, to update it in place later. */
  async sendTo(sheet: Sheet, group: Group, to: UserId): Promise<void> {
    const ref = await this.deps.chat.direct(to, sheetCard(sheet, group.name, this.deps.clock.now()));
    await this.records.change(sheet.id, (current) => ({ ...current, cards: { ...current.cards, [to]: ref } }));
  }

  /** The scheduled session of the group that started closest to `at`, within three hours. */
  private async sessionAt(group: Group, at: number): Promise<Session | undefined> {
    const ids = await this.deps.schedule.records.idsFrom(group.id, at - SAME_SESSION_MS);
    const near = (await this.deps.schedule.records.load(ids)).filter(
      (s) => s.status === 'scheduled' && Math.abs(s.start - at) <= SAME_SESSION_MS,
    );
    return near.sort((a, b) => Math.abs(a.start - at) - Math.abs(b.start - at))[0];
  }

  /** The group's latest session that began in the last seven days (for `attendance take`). */
  async latestSession(group: Group): Promise<Session | undefined> {
    const now = this.deps.clock.now();
    const ids = await this.deps.schedule.records.idsFrom(group.id, now - ATTENDANCE_WINDOW_MS);
    const begun = (await this.deps.schedule.records.load(ids)).filter(
      (s) => s.status === 'scheduled' && s.start <= now,
    );
    return begun.at(-1);
  }

  /**
   * The sheet of a session, made on first use: the group's members listed, pre-set from their
   * RSVPs (going: present; anything else: absent). Without a scheduled session, one sheet per
   * group and local day. Open for seven days from now.
   */
  async open(group: Group, session: Session | undefined, at: number): Promise<Sheet> {
    const now = this.deps.clock.now();
    const start = session?.start ?? at;
    const zone = session?.zone ?? group.timeZone;
    const day = DateTime.fromMillis(start, { zone }).toFormat('yyyyLLdd');
    const marks: Record<UserId, Mark> = {};
    for (const m of group.members)
      if (m.role === 'member') marks[m.user] = { present: session?.rsvps[m.user] === 'yes' };
    const sheet = await this.records.createOnce({
      id: session?.id ?? `day_${group.id.slice(4)}_${day}`,
      groupId: group.id,
      start,
      zone,
      closesAt: now + ATTENDANCE_WINDOW_MS,
      marks,
      cards: {},
    });
    // When the window ends, every card is redrawn closed (no buttons left to press); keyed by
    // the sheet, so opening it again arms nothing new.
    await this.deps.jobs.enqueue<ClosePayload>(CLOSE_JOB, sheet.closesAt, { sheet: sheet.id }, `attclose:${sheet.id}`);
    return sheet;
  }

  private async closeCards({ sheet: id }: ClosePayload): Promise<void> {
    const sheet = await this.records.get(id);
    const group = sheet && (await this.deps.roster.getGroup(sheet.groupId));
    if (sheet && group && !isOpen(sheet, this.deps.clock.now())) await this.refreshCards(sheet, group);
  }

  /** A facilitator of the sheet's group (or a coordinator), while the sheet is open. */
  private async markable(id: string, actor: UserId): Promise<{ sheet: Sheet; group: Group }> {
    const sheet = SHEET_ID.test(id) ? await this.records.get(id) : undefined;
    const group = sheet && (await this.deps.roster.getGroup(sheet.groupId));
    if (!sheet || !group) throw notFound(GONE);
    const access = await this.deps.roster.access(actor);
    if (!access.coordinator && !isFacilitatorOf(access, group.id))
      throw refused("Only the group's facilitators (and coordinators) can mark attendance.");
    if (!isOpen(sheet, this.deps.clock.now())) throw conflict(CLOSED);
    return { sheet, group };
  }

  async toggle(id: string, member: UserId, actor: UserId): Promise<Sheet> {
    const { group } = await this.markable(id, actor);
    const now = this.deps.clock.now();
    const changed = await this.records.change(id, (current) => {
      const mark = current.marks[member];
      if (!mark || !isOpen(current, now)) return undefined;
      return { ...current, marks: { ...current.marks, [member]: { present: !mark.present, by: actor, at: now } } };
    });
    if (!changed) throw notFound(GONE);
    this.deps.logger.info('attendance.marked', { group: group.id, session: id, actor });
    await this.refreshCards(changed, group);
    return changed;
  }

  /** Confirms every pre-set mark as the submitter's. A second submit changes nothing. */
  async submit(id: string, actor: UserId): Promise<{ sheet: Sheet; first: boolean }> {
    const { group } = await this.markable(id, actor);
    const now = this.deps.clock.now();
    let first = false;
    const changed = await this.records.change(id, (current) => {
      if (current.submitted) return undefined;
      first = true;
      const marks: Record<UserId, Mark> = {};
      for (const [user, mark] of Object.entries(current.marks))
        marks[user] = mark.by ? mark : { present: mark.present, by: actor, at: now };
      return { ...current, marks, submitted: { by: actor, at: now } };
    });
    const sheet = changed ?? ((await this.records.get(id)) as Sheet);
    if (first) {
      this.deps.logger.info('attendance.submitted', { group: group.id, session: id, actor, count: listedCount(sheet) });
      await this.refreshCards(sheet, group);
    }
    return { sheet, first };
  }

  card(sheet: Sheet, group: Group): Card {
    return sheetCard(sheet, group.name, this.deps.clock.now());
  }

  /** Updates every facilitator's card in place; a card that cannot be updated is left as it is. */
  private async refreshCards(sheet: Sheet, group: Group): Promise<void> {
    const card = this.card(sheet, group);
    for (const [user, ref] of Object.entries(sheet.cards) as Array<[UserId, MessageRef]>) {
      try {
        await this.deps.chat.update(ref, card);
      } catch (error) {
        this.deps.logger.warn('attendance.card-update-failed', { user, session: sheet.id, code: errorCode(error) });
      }
    }
  }

  /** The requirement that applies to the group: its own, else its program's, else none. */
  requirementOf(group: Group): Promise<AppliedRequirement | undefined> {
    return this.programs.forGroup(group);
  }

  /** Every current member's figures in the group, from submitted sheets, against its requirement. */
  async tally(group: Group, filter: { from?: string; to?: string } = {}): Promise<MemberTally[]> {
    return tallyGroup(group, await this.records.forGroup(group.id), await this.requirementOf(group), filter);
  }

  /** The group's members below the pace its requirement asks (none without a requirement), in the group's order. */
  async belowPace(group: Group): Promise<{ requirement?: AppliedRequirement; below: MemberTally[] }> {
    const requirement = await this.requirementOf(group);
    if (!requirement) return { below: [] };
    return { requirement, below: (await this.tally(group)).filter((t) => t.belowPace) };
  }

  /**
   * Data rights: the person's marks go from every sheet, and where they marked someone else's,
   * who marked it goes too (the mark itself stays: it is the other member's record).
   */
  async forget(user: UserId): Promise<number> {
    const ids: string[] = [];
    for await (const sheet of this.records.all()) if (mentions(sheet, user)) ids.push(sheet.id);
    let marks = 0;
    for (const id of ids) {
      await this.records.change(id, (current) => {
        if (!mentions(current, user)) return undefined;
        const next: Sheet = { ...current, marks: {}, cards: { ...current.cards } };
        for (const [member, mark] of Object.entries(current.marks)) {
          if (member === user) {
            marks++;
            continue;
          }
          next.marks[member] = mark.by === user ? { present: mark.present, ...(mark.at ? { at: mark.at } : {}) } : mark;
        }
        delete next.cards[user];
        if (current.submitted?.by === user) next.submitted = { at: current.submitted.at };
        return next;
      });
    }
    return marks;
  }

  /** Retention: sheets of sessions that began before `cutoff` go. Returns how many. */
  async purgeBefore(cutoff: number): Promise<number> {
    const old: Sheet[] = [];
    for await (const sheet of this.records.all()) if (sheet.start < cutoff) old.push(sheet);
    for (const sheet of old) await this.records.remove(sheet);
    return old.length;
  }
}

const listedCount = (sheet: Sheet): number => Object.keys(sheet.marks).length;

function mentions(sheet: Sheet, user: UserId): boolean {
  return (
    Object.hasOwn(sheet.marks, user) ||
    Object.hasOwn(sheet.cards, user) ||
    sheet.submitted?.by === user ||
    Object.values(sheet.marks).some((m) => m.by === user)
  );
}
