// Slack redelivers an event that got no 2xx within 3 s (at once, after 1 and after 5 minutes,
// with X-Slack-Retry-Num); Bolt passes the retries on. We act once per event_id.
// Kept in memory, bounded: the only event we subscribe to is app_home_opened, whose effect
// (publishing the home) is idempotent, so a restart that forgets the ids costs at most one extra
// publish, while a store write per event would slow every event. An event kind that enqueues
// work should dedupe in the store instead (the job queue's idempotency keys already do).
const TTL_MS = 10 * 60 * 1000;
const MAX_IDS = 10_000;

export class SeenEvents {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether `id` was offered within the TTL (without offering it). */
  has(id: string): boolean {
    const at = this.seen.get(id);
    return at !== undefined && this.now() - at < TTL_MS;
  }

  /** True the first time an id is offered (within the TTL), false for a repeat. */
  first(eventId: string): boolean {
    const now = this.now();
    const at = this.seen.get(eventId);
    if (at !== undefined && now - at < TTL_MS) return false;
    this.seen.delete(eventId);
    this.seen.set(eventId, now);
    for (const [id, time] of this.seen) {
      if (this.seen.size <= MAX_IDS && now - time < TTL_MS) break;
      this.seen.delete(id);
    }
    return true;
  }
}
