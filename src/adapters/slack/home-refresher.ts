// Keeps the App Home current. Slack shows the view last published, so after a change that
// affects what someone's Home shows, it is published again: for whoever made the change, and,
// when sessions are scheduled or moved, for the group's members and the coordinators. Only
// people who have opened the Home are republished (the others have nothing stale to see), and
// a burst of changes for one person becomes one views.publish (Tier 4: ~100 a minute).
import type { UserId } from '../../core/plumbing/ids.js';
import { parseSlackId } from './ids.js';

/** Changes within this window reach a person's Home as one publish. */
export const HOME_DEBOUNCE_MS = 1_000;
/** People remembered as Home viewers (most recently seen kept). */
const MAX_VIEWERS = 20_000;

export class HomeRefresher {
  private readonly viewers = new Set<UserId>();
  private readonly pending = new Map<UserId, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly publish: (team: string, user: string) => Promise<unknown>,
    private readonly debounceMs = HOME_DEBOUNCE_MS,
  ) {}

  /** `person` has opened their Home (its view is ours to keep current). */
  opened(person: UserId): void {
    this.viewers.delete(person);
    this.viewers.add(person);
    if (this.viewers.size > MAX_VIEWERS) this.viewers.delete(this.viewers.values().next().value as UserId);
  }

  /** The people whose Homes are being kept current. */
  known(): UserId[] {
    return [...this.viewers];
  }

  /** Publishes `person`'s Home again soon, if they have one open; repeated calls coalesce. */
  touch(person: UserId): void {
    if (!this.viewers.has(person) || this.pending.has(person)) return;
    const slack = parseSlackId(person);
    if (!slack) return;
    const timer = setTimeout(() => {
      this.pending.delete(person);
      void this.publish(slack.team, slack.id);
    }, this.debounceMs);
    timer.unref?.();
    this.pending.set(person, timer);
  }

  /** Drops the publishes not yet made (a clean stop). */
  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
