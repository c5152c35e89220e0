// A token bucket per key (e.g. per Slack workspace): at most `perMinute` spends a minute, with
// bursts up to `burst`. Countdown refreshes ask it first and are skipped when refused, so the
// platform's rate limit is never spent on cosmetics that the next refresh will redo anyway.
export class RateBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number = perMinute,
  ) {}

  /** Takes one token for `key` at time `now` (epoch ms); false when the budget is spent. */
  take(key: string, now: number): boolean {
    if (!Number.isFinite(this.perMinute)) return true;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** The budget key of a place: its platform and workspace (`slack:T0001`), one bucket per workspace. */
export const workspaceOf = (place: string): string => place.split(':').slice(0, 2).join(':');
