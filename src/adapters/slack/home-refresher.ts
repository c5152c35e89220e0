// Keeps the App Home current. Slack shows the view last published, so after a change that
// affects what someone's Home shows, it is published again: for whoever made the change, and
// for everyone else whose Home shows it (home-triggers.ts says who). Only people who have
// opened the Home are republished (the others have nothing stale to see), a burst of changes
// for one person becomes one views.publish, and a workspace's publishes keep within a budget
// under views.publish's limit (Tier 4: about 100 a minute): beyond it they wait their turn.
import type { UserId } from '../../core/plumbing/ids.js';
import { RateBudget } from '../../core/plumbing/rate-budget.js';
import { parseSlackId } from './ids.js';

/** Changes within this window reach a person's Home as one publish. */
export const HOME_DEBOUNCE_MS = 1_000;
/** Publishes a minute per workspace: under Tier 4's 100, leaving room for the Homes being opened. */
export const HOME_PUBLISHES_PER_MINUTE = 80;
/** People remembered as Home viewers (most recently seen kept). */
const MAX_VIEWERS = 20_000;

/** The timers the refresher sets (tests bring fake ones). */
export interface RefresherTimers {
  now(): number;
  after(ms: number, fn: () => void): () => void;
}

const realTimers: RefresherTimers = {
  now: Date.now,
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export class HomeRefresher {
  private readonly viewers = new Set<UserId>();
  private readonly focused = new Map<UserId, string>();
  private readonly pending = new Map<UserId, () => void>();
  private readonly budget: RateBudget;
  private readonly spacingMs: number;

  constructor(
    private readonly publish: (team: string, user: string) => Promise<unknown>,
    private readonly debounceMs = HOME_DEBOUNCE_MS,
    private readonly timers: RefresherTimers = realTimers,
    perMinute = HOME_PUBLISHES_PER_MINUTE,
  ) {
    // No burst beyond a tenth of the minute's budget: a group of 30 changing at once is spread out.
    this.budget = new RateBudget(perMinute, Math.max(1, Math.floor(perMinute / 10)));
    this.spacingMs = Math.ceil(60_000 / perMinute);
  }

  /** `person` has opened their Home (its view is ours to keep current). */
  opened(person: UserId): void {
    this.viewers.delete(person);
    this.viewers.add(person);
    if (this.viewers.size > MAX_VIEWERS) {
      const oldest = this.viewers.values().next().value as UserId;
      this.viewers.delete(oldest);
      this.focused.delete(oldest);
    }
  }

  /** The people whose Homes are being kept current. */
  known(): UserId[] {
    return [...this.viewers];
  }

  /** The group a person picked on their Home (coordinators' group picker), or none for the overview. */
  focus(person: UserId, groupId: string | undefined): void {
    if (groupId) this.focused.set(person, groupId);
    else this.focused.delete(person);
  }

  focusOf(person: UserId): string | undefined {
    return this.focused.get(person);
  }

  /** Publishes `person`'s Home again soon, if they have one open; repeated calls coalesce. */
  touch(person: UserId): void {
    if (!this.viewers.has(person) || this.pending.has(person)) return;
    const slack = parseSlackId(person);
    if (!slack) return;
    this.later(person, slack.team, slack.id, this.debounceMs);
  }

  private later(person: UserId, team: string, user: string, ms: number): void {
    const cancel = this.timers.after(ms, () => {
      // Over the workspace's budget: this one waits for the next free slot, still coalescing.
      if (!this.budget.take(team, this.timers.now())) return this.later(person, team, user, this.spacingMs);
      this.pending.delete(person);
      void this.publish(team, user);
    });
    this.pending.set(person, cancel);
  }

  /** Drops the publishes not yet made (a clean stop). */
  stop(): void {
    for (const cancel of this.pending.values()) cancel();
    this.pending.clear();
  }
}
