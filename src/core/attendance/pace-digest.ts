// The coordinators' attendance digest: once a week (Monday 08:00 in the bot's default zone),
// each coordinator privately gets the members below pace, group by group ("attended 2 of 4,
// needs 6 of 8"), and only when someone is. Never sent to anyone else, never ranked (members in
// their group's order), nothing about presenting.
//
// Two durable jobs, as retention and the rotation digest do: `attendance.pace` per week
// (`attpace:<monday>`), which arms next week's first and fans out `attendance.pace-to` per
// coordinator (`attpace:<monday>:<coordinator>`), which reads the figures when it runs. A
// restart, a retry or a second instance sends each coordinator one digest a week.
import { DateTime } from 'luxon';
import { card, context, facts, heading, text, type Card, type Fact } from '../cards.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Group } from '../model.js';
import type { UserId } from '../plumbing/ids.js';
import type { ChatPort, Clock, Logger } from '../ports.js';
import type { Roster } from '../roster.js';
import { describeRequirement, type AppliedRequirement } from './requirement.js';
import type { AttendanceService } from './service.js';
import type { MemberTally } from './tally.js';

export const PACE_JOB = 'attendance.pace';
export const PACE_TO_JOB = 'attendance.pace-to';

const DAY_MS = 86_400_000;
const RUN_HOUR = 8;
/** A digest more than two days late (a long outage) is dropped: next Monday's comes anyway. */
const STALE_MS = 2 * DAY_MS;

type WeekPayload = { week: string };
type ToPayload = WeekPayload & { to: string };

export interface BelowPace {
  group: Group;
  requirement: AppliedRequirement;
  below: MemberTally[];
}

export interface PaceDigestDeps {
  attendance: AttendanceService;
  roster: Roster;
  chat: ChatPort;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  /** The zone whose Monday 08:00 the digest goes at: the bot's default zone. */
  zone: string;
}

/** The first Monday 08:00 in `zone` strictly after `now` (08:00 local across daylight saving). */
export function nextPaceRun(now: number, zone: string): number {
  const monday = DateTime.fromMillis(now, { zone }).startOf('week').set({ hour: RUN_HOUR });
  return monday.toMillis() > now ? monday.toMillis() : monday.plus({ weeks: 1 }).toMillis();
}

const weekOf = (at: number, zone: string): string => DateTime.fromMillis(at, { zone }).toISODate() ?? '';

export function paceCard(found: readonly BelowPace[], week: string): Card {
  const lines: Fact[] = [];
  for (const { group, requirement, below } of found)
    for (const t of below)
      lines.push({
        label: group.name,
        value: {
          users: [t.user],
          note: `attended ${t.attended} of ${t.expected}, needs ${describeRequirement(requirement)}`,
        },
      });
  return card(
    heading('Attendance below pace'),
    text(
      `Members attending a smaller share of their group's sessions than it asks, as of ${week}. Counted: sessions whose attendance was submitted.`,
    ),
    facts(...lines),
    context(
      'Only coordinators get this, privately; members are listed in their group’s order, never ranked. `attendance <group>` shows every session.',
    ),
  );
}

export class PaceDigest {
  constructor(private readonly deps: PaceDigestDeps) {
    deps.jobs.register<WeekPayload>(
      PACE_JOB,
      async (job) => {
        await this.arm();
        await this.fanOut(job.payload);
      },
      { staleAfterMs: STALE_MS, maxAttempts: 3 },
    );
    deps.jobs.register<ToPayload>(PACE_TO_JOB, (job) => this.sendTo(job.payload), {
      staleAfterMs: STALE_MS,
      maxAttempts: 3,
    });
  }

  /** Makes sure next Monday's run is pending. Idempotent; call at start-up. */
  async arm(): Promise<void> {
    const at = nextPaceRun(this.deps.clock.now(), this.deps.zone);
    const week = weekOf(at, this.deps.zone);
    await this.deps.jobs.enqueue<WeekPayload>(PACE_JOB, at, { week }, `attpace:${week}`);
  }

  /** Every group with someone below pace, by group name; members in the group's own order. */
  async belowPace(): Promise<BelowPace[]> {
    const found: BelowPace[] = [];
    const groups = (await this.deps.roster.groups()).sort((a, b) => a.name.localeCompare(b.name));
    for (const group of groups) {
      const { requirement, below } = await this.deps.attendance.belowPace(group);
      if (requirement && below.length > 0) found.push({ group, requirement, below });
    }
    return found;
  }

  private async fanOut({ week }: WeekPayload): Promise<void> {
    const found = await this.belowPace();
    const count = found.reduce((n, f) => n + f.below.length, 0);
    this.deps.logger.info('attendance.pace', { count });
    if (count === 0) return;
    for (const to of await this.deps.roster.coordinators())
      await this.deps.jobs.enqueue<ToPayload>(
        PACE_TO_JOB,
        this.deps.clock.now(),
        { week, to },
        `attpace:${week}:${to}`,
      );
  }

  private async sendTo({ week, to }: ToPayload): Promise<void> {
    const user: UserId = to;
    // Read again when it runs: someone no longer a coordinator, or nobody below pace, gets nothing.
    if (!(await this.deps.roster.isCoordinator(user))) return;
    const found = await this.belowPace();
    if (found.length === 0) return;
    await this.deps.chat.direct(user, paceCard(found, week));
  }
}
