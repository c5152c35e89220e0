// Teams allows a bot about 7 messages a second per conversation (and 60 per 30 s); past that it
// answers 429. The pacer makes callers wait their turn per conversation rather than spend a
// request on a refusal; `withRetry` retries what the service asks us to retry, with backoff and
// jitter, a bounded number of times, and leaves longer waits to the durable job queue.
import { TeamsSendError, toTeamsError } from './errors.js';

export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The reason of a request we held back ourselves to keep within Teams' limits (no request made). */
export const HELD_BY_PACER = 'PaceLimit';

export interface PaceLimit {
  count: number;
  windowMs: number;
}

/** Teams' per-conversation limits (rate-limit.md): 7 per second and 60 per 30 seconds. */
export const TEAMS_LIMITS: readonly PaceLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 60, windowMs: 30_000 },
];

export class ConversationPacer {
  private readonly sent = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    private readonly timing: Timing,
    private readonly limits: readonly PaceLimit[] = TEAMS_LIMITS,
  ) {
    this.longest = Math.max(...limits.map((l) => l.windowMs));
  }

  /**
   * Resolves when one more request to `key` fits every limit, and counts it. With a `deadline`
   * (an invoke that must be answered first), a wait past it is refused at once, uncounted.
   */
  async acquire(key: string, deadline?: number): Promise<void> {
    for (;;) {
      const now = this.timing.now();
      const times = (this.sent.get(key) ?? []).filter((t) => t > now - this.longest);
      let waitUntil = now;
      for (const limit of this.limits) {
        const inWindow = times.filter((t) => t > now - limit.windowMs);
        if (inWindow.length >= limit.count)
          waitUntil = Math.max(waitUntil, (inWindow[inWindow.length - limit.count] as number) + limit.windowMs);
      }
      if (waitUntil <= now) {
        times.push(now);
        this.sent.set(key, times);
        return;
      }
      this.sent.set(key, times);
      if (deadline !== undefined && waitUntil > deadline)
        throw new TeamsSendError('teams_throttled', 429, HELD_BY_PACER, Math.ceil((waitUntil - now) / 1000));
      await this.timing.sleep(waitUntil - now);
    }
  }

  /** Conversations with recent requests (kept small: old entries fall out on the next acquire). */
  get tracked(): number {
    return this.sent.size;
  }
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  /** The longest wait worth holding a request for; beyond it the job queue retries later. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, maxWaitMs: 10_000 };

/**
 * Runs `op`, retrying throttling and server errors with exponential backoff and jitter. With a
 * `deadline`, no retry is waited for past it: the failure goes back to the caller (the job queue,
 * a timer's next tick) instead, so an invoke is answered in time.
 */
export async function withRetry<T>(
  op: () => Promise<T>,
  timing: Timing,
  policy: RetryPolicy = DEFAULT_RETRY,
  deadline?: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let failure: TeamsSendError;
    try {
      return await op();
    } catch (error) {
      failure = toTeamsError(error);
    }
    // Refused credentials are not retried here: the job queue pauses the job (auth-health.ts).
    if (!failure.retryable || failure.credentials || attempt >= policy.attempts) throw failure;
    const asked = failure.retryAfterSeconds !== undefined ? failure.retryAfterSeconds * 1000 : undefined;
    if (asked !== undefined && asked > policy.maxWaitMs) throw failure;
    const backoff = Math.min(policy.maxWaitMs, policy.baseMs * 2 ** (attempt - 1));
    // Retry-After is a floor; jitter spreads the retries of many senders hit at once.
    const delay = Math.max(asked ?? 0, backoff * (0.5 + timing.random() / 2));
    if (deadline !== undefined && timing.now() + delay > deadline) throw failure;
    await timing.sleep(delay);
  }
}
