// The shapes the job queue persists and the contract handlers are written against.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A durable job. Persisted under its idempotency key before anything is sent. */
export interface Job<P extends Json = Json> {
  id: string;
  kind: string;
  /** Epoch ms of the next attempt (moved forward by retries and `reschedule`). */
  dueAt: number;
  /** Ids and numbers only: the store and the logs must never hold case text. */
  payload: P;
  idempotencyKey: string;
  /** Attempts started so far; counted before the handler runs, so a crash loop still ends. */
  attempts: number;
  /** The lease's fencing token of the instance that claimed the last attempt (several instances only). */
  fence?: number;
}

/**
 * Several instances over one store (adapters/lease): only the lease holder runs jobs, and the
 * others tell it about keys they changed. Absent: this process runs every job, as when alone.
 */
export interface JobCoordination {
  /** The lease's fencing token while this instance holds it; undefined while it does not. */
  fence(): number | undefined;
  /** This instance enqueued, moved or cancelled `key` without holding the lease: tell the holder. */
  announce(idempotencyKey: string): void;
}

export interface JobContext {
  /** Clock time when this attempt started. */
  now: number;
  /** How late this attempt started: `now - job.dueAt`, never negative. */
  lateMs: number;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Throwing fails the attempt; an error with `retryable: false` fails the job at once. */
export type JobHandler<P extends Json = Json> = (job: Job<P>, context: JobContext) => Promise<void>;

export interface HandlerOptions {
  /**
   * When a job is this late (ms) when it comes to run, drop it with a `job.stale` line
   * instead: a "starts in 1 hour" reminder three hours late only confuses. A function decides
   * per job (it may look at the payload). Absent: a late job always runs.
   */
  staleAfterMs?: number | ((job: Job, lateMs: number) => boolean);
  /**
   * Until when (epoch ms) this job is worth delivering: a reminder until its session starts, an
   * invite until its session starts. Given (and returning a number), a transient failure is
   * retried with jittered backoff for as long as the next attempt would still come before it,
   * whatever the count; then the job is given up with a `job.expired` line. Undefined (or the
   * function returns undefined, as for a record written before the payload carried its limit):
   * `maxAttempts` decides, as before.
   */
  usefulUntil?: (job: Job) => number | undefined;
  /** Attempts before the job is marked failed, for a kind without `usefulUntil`. Default 5. */
  maxAttempts?: number;
  /**
   * Called once when the queue gives a job up (a permanent error, or the last attempt failed),
   * before it is marked failed: where a handler records the failure for people to see. Not
   * called for a job cancelled while it ran.
   */
  onGiveUp?: (job: Job, error: unknown) => Promise<void>;
  /**
   * First retry delay; doubles per attempt up to `retryMaxMs`. Defaults 30 s and 15 min, or for
   * a kind with `usefulUntil` 15 s and 4 min, with jitter (each delay 50–100 % of the step).
   */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Jobs of this kind running at once. Default: half the queue's limit (see JobQueue). */
  concurrency?: number;
  /**
   * Keep the finished key so that enqueueing it again is a no-op (default true). A kind whose
   * handler is idempotent by its own state (the timer's tick) says false, so that a session's
   * eighty refreshes leave no eighty records behind.
   */
  rememberFinished?: boolean;
}

export type Outcome = 'done' | 'failed' | 'dropped';

/** What is remembered about a finished key: no payload, so nothing worth hiding. */
export interface Finished {
  id: string;
  kind: string;
  outcome: Outcome;
  at: number;
  attempts: number;
}

export type EnqueueResult =
  { created: boolean; status: 'pending'; job: Job } | { created: false; status: Outcome; id: string };

/**
 * How long the platform asked us to wait (a 429's Retry-After), from any error that says: a
 * retry never comes sooner. Adapters' errors carry `retryAfterMs`.
 */
export function retryAfterOf(error: unknown): number | undefined {
  const value = error && typeof error === 'object' ? (error as { retryAfterMs?: unknown }).retryAfterMs : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The bot's own credentials were refused (Slack invalid_auth, Teams 401): not the recipient's
 * doing and not the job's. The queue pauses such a job without counting the attempt, and never
 * marks it failed for it; adapters set `credentials: true`.
 */
export function isCredentialsFailure(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as { credentials?: unknown }).credentials === true);
}

/** Errors say whether trying again can help; anything that does not say is retryable. */
export function isRetryable(error: unknown): boolean {
  return !(error && typeof error === 'object' && (error as { retryable?: unknown }).retryable === false);
}

/** Convenience for handlers: a failure no retry can fix (e.g. the app is not installed). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  readonly retryable = false;
  constructor(readonly code: string) {
    super(code);
  }
}

export function isJob(value: unknown): value is Job {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.idempotencyKey === 'string' &&
    typeof v.dueAt === 'number' &&
    Number.isFinite(v.dueAt) &&
    typeof v.attempts === 'number'
  );
}
