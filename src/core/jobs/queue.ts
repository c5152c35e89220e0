// The durable job queue (docs/architecture.md, "Durable jobs"). The store is the truth; memory holds an
// index of pending jobs so that exactly one clock timer is armed, for the earliest job that
// could run now. A job's record is written before it can run and removed only after its
// handler succeeded, when its key moves to the finished namespace: that is what makes a repeat
// enqueue, a restart or a sweep a no-op instead of a second send.
//
// Delivery is at-least-once across a crash between "handler succeeded" and "marked done";
// within one process a key never runs twice at the same time. Several processes over one store
// pass a JobCoordination (adapters/lease): only the lease holder dispatches, a claim carries
// the lease's fencing token, and a claim older than the record's token is refused.
import { KeyedLock } from '../plumbing/keyed-lock.js';
import { errorCode } from '../plumbing/logger.js';
import type { Cancel, Clock, Logger, Store } from '../ports.js';
import { DueIndex } from './due-index.js';
import { JobRecords } from './records.js';
import {
  isCredentialsFailure,
  isRetryable,
  retryAfterOf,
  type EnqueueResult,
  type HandlerOptions,
  type Job,
  type JobCoordination,
  type JobHandler,
  type Json,
} from './types.js';

export * from './types.js';

export interface JobQueueDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /**
   * Handlers running at once, all kinds together. Default 8: enough to overlap chat API
   * latency, few enough to stay inside Slack's per-workspace rate limits.
   */
  maxConcurrent?: number;
  /** Pending jobs namespace; finished keys live in `${namespace}-done`. Default 'jobs'. */
  namespace?: string;
  newId?: () => string;
  /**
   * How long a finished key is remembered (default 180 days): long after any reminder or notice
   * could be enqueued again, short enough that the store does not grow without end.
   */
  finishedRetentionMs?: number;
  /** Several instances over one store: who may run jobs now, and news for the one that does. */
  coordination?: JobCoordination;
  /** Jitter of the retries of kinds with `usefulUntil` and past a rate limit (Math.random by default). */
  random?: () => number;
}

/** A job paused because the bot's own credentials were refused is tried again after this. */
export const CREDENTIALS_PAUSE_MS = 60_000;

/** The most a job held back by a rate limit is spread past the limit's end. */
const RATE_LIMIT_SPREAD_MAX_MS = 30_000;

const DAY_MS = 24 * 60 * 60 * 1000;

interface Registered {
  handler: JobHandler;
  options: HandlerOptions;
  maxAttempts: number;
  concurrency: number;
}

const MAX_PAYLOAD_CHARS = 2048;
// A far-off job is re-armed in hops: Node timers overflow past ~24.8 days and would fire at once.
const MAX_ARM_MS = 60 * 60 * 1000;

export class JobQueue {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly maxConcurrent: number;
  private readonly newId: () => string;
  private readonly records: JobRecords;
  private due = new DueIndex();
  private readonly coordination: JobCoordination | undefined;
  private readonly random: () => number;
  private readonly handlers = new Map<string, Registered>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly runningByKind = new Map<string, number>();
  /** One lock per idempotency key: enqueue, cancel, reschedule and an attempt's bookkeeping. */
  private readonly lock = new KeyedLock();
  private timer: { at: number; cancel: Cancel } | undefined;
  private state: 'new' | 'started' | 'stopped' = 'new';
  /**
   * Keys changed while start() or resync() reads the store: the read may have passed them
   * already, so they are read again once the new index is in place.
   */
  private touchedWhileLoading: Set<string> | undefined;
  private readonly finishedRetentionMs: number;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(deps: JobQueueDeps) {
    this.finishedRetentionMs = deps.finishedRetentionMs ?? 180 * DAY_MS;
    this.clock = deps.clock;
    this.log = deps.logger;
    this.maxConcurrent = Math.max(1, deps.maxConcurrent ?? 8);
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.records = new JobRecords(deps.store, deps.clock, deps.namespace ?? 'jobs');
    this.coordination = deps.coordination;
    this.random = deps.random ?? Math.random;
  }

  /**
   * Register before `start()`: a loaded job whose kind has no handler is left in the store
   * for the next start. Each kind may use only part of the slots (default half), so a fan-out
   * of 1,000 invites leaves room for a phase deadline that comes due meanwhile.
   */
  register<P extends Json>(kind: string, handler: JobHandler<P>, options: HandlerOptions = {}): void {
    const concurrency = options.concurrency ?? Math.ceil(this.maxConcurrent / 2);
    this.handlers.set(kind, {
      handler: handler as unknown as JobHandler,
      options,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      concurrency: Math.max(1, Math.min(this.maxConcurrent, concurrency)),
    });
  }

  /**
   * Loads every pending job in one pass, runs or drops the overdue ones, arms the timer. Returns
   * the count loaded. A stopped queue may start again (an instance that regained the lease).
   */
  async start(): Promise<number> {
    if (this.state === 'started') throw new Error('job queue already started');
    const began = this.clock.now();
    let invalid = 0;
    const jobs: Job[] = [];
    this.touchedWhileLoading = new Set();
    for await (const job of this.records.all(() => invalid++)) jobs.push(job);
    this.due = new DueIndex();
    this.due.load(jobs);
    this.state = 'started';
    await this.rereadTouched();
    if (invalid > 0) this.log.warn('jobs.invalid', { count: invalid });
    const loaded = this.due.size;
    this.log.info('jobs.loaded', { count: loaded, durationMs: this.clock.now() - began });
    this.kick();
    return loaded;
  }

  /** Cancels the timer, starts nothing new, and waits for the handlers in flight. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.disarm();
    await this.idle();
  }

  /** Resolves when no handler is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Persists a job unless its key is pending or finished (then a no-op, `created: false`).
   * Works before `start()` too: the job is stored and runs once the queue starts.
   */
  async enqueue<P extends Json>(
    kind: string,
    dueAt: number,
    payload: P,
    idempotencyKey: string,
  ): Promise<EnqueueResult> {
    if (!kind || !idempotencyKey) throw new RangeError('job needs a kind and an idempotency key');
    if (!Number.isFinite(dueAt)) throw new RangeError('job dueAt must be a finite epoch ms');
    if (JSON.stringify(payload).length > MAX_PAYLOAD_CHARS) throw new RangeError('job payload too large');
    const result = await this.lock.run(idempotencyKey, async (): Promise<EnqueueResult> => {
      this.touchedWhileLoading?.add(idempotencyKey);
      const existing = await this.records.pending(idempotencyKey);
      if (existing) return { created: false, status: 'pending', job: existing };
      const finished = await this.records.finished(idempotencyKey);
      if (finished) return { created: false, status: finished.outcome, id: finished.id };
      const job: Job = { id: this.newId(), kind, dueAt, payload, idempotencyKey, attempts: 0 };
      await this.records.create(job);
      // Before start (or after losing the lease) start() reads the store afresh: no need to hold it.
      if (this.state === 'started') this.due.add(job);
      return { created: true, status: 'pending', job };
    });
    if (result.created) this.changed(idempotencyKey);
    return result;
  }

  /** Removes a pending job. An attempt already running finishes; it is not retried. */
  async cancel(idempotencyKey: string): Promise<boolean> {
    const removed = await this.lock.run(idempotencyKey, () => {
      this.touchedWhileLoading?.add(idempotencyKey);
      this.due.remove(idempotencyKey);
      return this.records.delete(idempotencyKey);
    });
    this.changed(idempotencyKey);
    return removed;
  }

  /** Moves a pending job. False when there is none, or when it is running right now. */
  async reschedule(idempotencyKey: string, dueAt: number): Promise<boolean> {
    if (!Number.isFinite(dueAt)) throw new RangeError('job dueAt must be a finite epoch ms');
    const moved = await this.lock.run(idempotencyKey, async () => {
      this.touchedWhileLoading?.add(idempotencyKey);
      const current = this.running.has(idempotencyKey) ? undefined : await this.records.pending(idempotencyKey);
      const next = current && (await this.records.change(current, (job) => ({ ...job, dueAt })));
      if (next && this.state === 'started') this.due.add(next);
      return next !== undefined;
    });
    if (moved) this.changed(idempotencyKey);
    return moved;
  }

  /**
   * Re-reads one key from the store: another instance enqueued, moved or cancelled it. Only a
   * started queue keeps an index, so elsewhere this is a no-op.
   */
  async refresh(idempotencyKey: string): Promise<void> {
    if (this.state !== 'started') return;
    await this.lock.run(idempotencyKey, async () => {
      this.touchedWhileLoading?.add(idempotencyKey);
      const job = await this.records.pending(idempotencyKey);
      if (this.state !== 'started') return;
      if (job) this.due.add(job);
      else this.due.remove(idempotencyKey);
    });
    this.kick();
  }

  /**
   * Rebuilds the index from the store: the safety net for news from another instance that got
   * lost (a pub/sub message sent while this one was reconnecting). Returns the count loaded.
   */
  async resync(): Promise<number> {
    if (this.state !== 'started' || this.touchedWhileLoading) return 0;
    const jobs: Job[] = [];
    this.touchedWhileLoading = new Set();
    for await (const job of this.records.all()) jobs.push(job);
    if (this.state !== 'started') {
      this.touchedWhileLoading = undefined;
      return 0;
    }
    const due = new DueIndex();
    due.load(jobs);
    this.due = due;
    await this.rereadTouched();
    this.kick();
    return jobs.length;
  }

  /** Brings the keys changed during a load into the new index, each under its lock. */
  private async rereadTouched(): Promise<void> {
    while (this.touchedWhileLoading && this.touchedWhileLoading.size > 0) {
      const keys = [...this.touchedWhileLoading];
      this.touchedWhileLoading.clear();
      for (const key of keys) {
        await this.lock.run(key, async () => {
          const job = await this.records.pending(key);
          if (job && !this.running.has(key)) this.due.add(job);
          else if (!job) this.due.remove(key);
        });
      }
    }
    this.touchedWhileLoading = undefined;
  }

  /** Forgets finished keys older than the retention; the minute sweep calls it once a day. */
  async pruneFinished(): Promise<number> {
    const count = await this.records.pruneFinished(this.clock.now() - this.finishedRetentionMs);
    if (count > 0) this.log.info('jobs.pruned', { count });
    return count;
  }

  /**
   * Data rights: forgets finished keys that name a person (`match`). Their repeat-guard goes
   * with them; callers first make sure nothing would enqueue those keys again.
   */
  async forgetFinished(match: (idempotencyKey: string) => boolean): Promise<number> {
    return this.records.forgetFinished(match);
  }

  /** Pending jobs in the store (running ones included), earliest first. Scans the store. */
  async pending(kind?: string): Promise<Job[]> {
    const jobs: Job[] = [];
    for await (const job of this.records.all()) if (kind === undefined || job.kind === kind) jobs.push(job);
    return jobs.sort((a, b) => a.dueAt - b.dueAt);
  }

  /**
   * The safety net an adapter calls each minute: runs whatever is due (a timer lost to sleep
   * or a clock jump) and re-arms the timer from scratch. Returns how many jobs it started.
   */
  sweep(): number {
    if (this.state !== 'started') return 0;
    if (this.clock.now() - this.lastPrune >= DAY_MS) {
      this.lastPrune = this.clock.now();
      void this.pruneFinished().catch((error: unknown) =>
        this.log.warn('jobs.prune-failed', { code: errorCode(error) }),
      );
    }
    this.disarm();
    const started = this.drain();
    this.arm();
    return started;
  }

  private kick(): void {
    this.drain();
    this.arm();
  }

  /** After a local change of `key`: run it here, or tell the instance that runs jobs. */
  private changed(idempotencyKey: string): void {
    if (this.coordination && this.coordination.fence() === undefined) this.coordination.announce(idempotencyKey);
    this.kick();
  }

  /** Without coordination, always; with it, only while this instance holds the lease. */
  private mayRun(): boolean {
    return !this.coordination || this.coordination.fence() !== undefined;
  }

  private hasSlot = (kind: string): boolean =>
    this.running.size < this.maxConcurrent &&
    (this.runningByKind.get(kind) ?? 0) < (this.handlers.get(kind)?.concurrency ?? this.maxConcurrent);

  private drain(): number {
    if (this.state !== 'started' || !this.mayRun()) return 0;
    let started = 0;
    for (
      let job = this.due.earliest(this.hasSlot);
      job && job.dueAt <= this.clock.now();
      job = this.due.earliest(this.hasSlot)
    ) {
      if (this.running.has(job.idempotencyKey)) this.due.defer(job);
      else {
        this.due.take(job);
        this.dispatch(job);
        started++;
      }
    }
    return started;
  }

  /** Armed only for a job that could start: one whose kind has a free slot. A finishing job re-kicks. */
  private arm(): void {
    const job = this.state === 'started' && this.mayRun() ? this.due.earliest(this.hasSlot) : undefined;
    if (!job) return this.disarm();
    const at = Math.min(job.dueAt, this.clock.now() + MAX_ARM_MS);
    if (this.timer?.at === at) return;
    this.disarm();
    const timer = { at, cancel: (() => undefined) as Cancel };
    // A microtask, because a real clock may call back synchronously for a time already past.
    timer.cancel = this.clock.at(at, () =>
      queueMicrotask(() => {
        if (this.timer === timer) this.timer = undefined;
        this.kick();
      }),
    );
    this.timer = timer;
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Claims the key synchronously, so no other path (timer, sweep, retry) can start it too. */
  private dispatch(job: Job): void {
    const key = job.idempotencyKey;
    this.runningByKind.set(job.kind, (this.runningByKind.get(job.kind) ?? 0) + 1);
    const run = this.attempt(job)
      .catch((error: unknown) =>
        this.log.error('job.error', { job: job.id, jobKind: job.kind, code: errorCode(error) }),
      )
      .finally(() => {
        this.running.delete(key);
        this.runningByKind.set(job.kind, (this.runningByKind.get(job.kind) ?? 1) - 1);
        this.due.release(key);
        this.kick();
      });
    this.running.set(key, run);
  }

  private async attempt(job: Job): Promise<void> {
    const registered = this.handlers.get(job.kind);
    if (!registered) {
      this.log.warn('job.no-handler', { job: job.id, jobKind: job.kind });
      return;
    }
    const key = job.idempotencyKey;
    const startedAt = this.clock.now();
    const lateMs = Math.max(0, startedAt - job.dueAt);
    let claimed: Job | undefined;
    try {
      claimed = await this.lock.run(key, () => this.claim(job, registered, lateMs));
    } catch (error) {
      // The handler has not run, so trying again later cannot send twice.
      this.log.error('job.claim-failed', { job: job.id, jobKind: job.kind, code: errorCode(error) });
      this.due.add({ ...job, dueAt: startedAt + (registered.options.retryBaseMs ?? 30_000) });
      return;
    }
    if (!claimed) return;
    const current = claimed;
    let failure: { error: unknown } | undefined;
    try {
      await registered.handler(current, { now: startedAt, lateMs, attempt: current.attempts });
    } catch (error) {
      failure = { error };
    }
    await this.lock.run(key, () =>
      failure ? this.failed(current, registered, failure.error) : this.succeeded(current, lateMs, startedAt),
    );
  }

  /** Counts the attempt in the store, or says why the job must not run (finished, cancelled, stale). */
  private async claim(job: Job, registered: Registered, lateMs: number): Promise<Job | undefined> {
    // This job's own finished record: a crash fell between "finished" and "removed". Another
    // job's is an attempt that was cancelled while running and finished after this job
    // replaced it: that one is not this one, which still runs.
    if ((await this.records.finished(job.idempotencyKey))?.id === job.id) {
      await this.records.removePending(job);
      return undefined;
    }
    const rule = registered.options.staleAfterMs;
    const stale =
      lateMs > 0 && rule !== undefined && (typeof rule === 'number' ? lateMs > rule : Boolean(rule(job, lateMs)));
    if (stale) {
      // Logged before it is recorded: a crash in between logs it again at the restart, rather
      // than leaving a dropped job that no log line mentions.
      this.log.info('job.stale', { job: job.id, jobKind: job.kind, lateMs });
      if ((await this.records.pending(job.idempotencyKey))?.id === job.id) await this.records.finish(job, 'dropped');
      return undefined;
    }
    const fence = this.coordination?.fence();
    if (this.coordination && fence === undefined) return undefined; // lost the lease: the holder runs it
    let fenced = false;
    const claimed = await this.records.change(job, (current) => {
      // A newer lease holder claimed it: this instance's lease is over, whatever it believes.
      if (fence !== undefined && current.fence !== undefined && current.fence > fence) return void (fenced = true);
      return { ...current, attempts: current.attempts + 1, ...(fence === undefined ? {} : { fence }) };
    });
    if (fenced) this.log.warn('job.fenced', { job: job.id, jobKind: job.kind });
    return claimed;
  }

  private async succeeded(job: Job, lateMs: number, startedAt: number): Promise<void> {
    // Marked done even if cancelled meanwhile: the message went out, so a repeat must not.
    await this.records.finish(job, 'done', this.handlers.get(job.kind)?.options.rememberFinished !== false);
    this.log.debug('job.done', {
      job: job.id,
      jobKind: job.kind,
      attempt: job.attempts,
      lateMs,
      durationMs: this.clock.now() - startedAt,
    });
  }

  private async failed(job: Job, registered: Registered, error: unknown): Promise<void> {
    const fields = { job: job.id, jobKind: job.kind, code: errorCode(error), attempt: job.attempts };
    // No record (or another job's) means it was cancelled while running: nothing to record or retry.
    if ((await this.records.pending(job.idempotencyKey))?.id !== job.id) return;
    const until = registered.options.usefulUntil?.(job);
    const credentials = isCredentialsFailure(error);
    // The platform asked us to wait (a 429's Retry-After, or a call refused without a request
    // while one runs): the job waits its turn until then, and that is not a failed attempt.
    const asked = credentials || !isRetryable(error) ? undefined : retryAfterOf(error);
    const waiting = credentials || asked !== undefined;
    if (!waiting && (!isRetryable(error) || (until === undefined && job.attempts >= registered.maxAttempts))) {
      await this.giveUp(job, registered, error);
      this.log.warn('job.failed', fields);
      return;
    }
    const now = this.clock.now();
    // Retry-After is the wait: sooner only spends a request on a refusal. A little jitter past
    // it (a quarter at most, 30 s at most), so that the jobs one pause held back do not all
    // come back in the same second: the first one through learns whether the pause is over.
    const delay =
      asked !== undefined
        ? asked + Math.min(RATE_LIMIT_SPREAD_MAX_MS, asked / 4) * this.random()
        : credentials
          ? CREDENTIALS_PAUSE_MS
          : this.backoff(job, registered, until !== undefined);
    if (until !== undefined && now + delay >= until) {
      // No longer useful by the kind's own rule: a reminder after its session began helps nobody.
      await this.giveUp(job, registered, error);
      this.log.warn('job.expired', {
        ...fields,
        reason: credentials ? 'credentials' : asked !== undefined ? 'rate_limited' : 'transient',
        usefulUntil: until,
      });
      return;
    }
    this.touchedWhileLoading?.add(job.idempotencyKey);
    // A pause for the bot's own credentials or the platform's rate limit is not the job's
    // attempt: it does not count towards `maxAttempts` or the backoff.
    const next = await this.records.change(job, (current) => ({
      ...current,
      dueAt: now + delay,
      ...(waiting ? { attempts: Math.max(0, current.attempts - 1) } : {}),
    }));
    if (next && this.state === 'started') this.due.add(next);
    this.log.info(credentials ? 'job.paused' : asked !== undefined ? 'job.deferred' : 'job.retry', {
      ...fields,
      ...(asked !== undefined ? { reason: 'rate_limited' } : {}),
      delayMs: Math.round(delay),
    });
  }

  /**
   * The wait before the next attempt: doubling from the base up to the cap; for a kind retried
   * by usefulness, with jitter, so that a hundred invites refused by one outage do not come back
   * in the same second.
   */
  private backoff(job: Job, registered: Registered, byUsefulness: boolean): number {
    const base = registered.options.retryBaseMs ?? (byUsefulness ? 15_000 : 30_000);
    const cap = registered.options.retryMaxMs ?? (byUsefulness ? 4 * 60_000 : 15 * 60_000);
    const step = Math.min(cap, base * 2 ** Math.min(30, Math.max(0, job.attempts - 1)));
    return byUsefulness ? step * (0.5 + this.random() / 2) : step;
  }

  private async giveUp(job: Job, registered: Registered, error: unknown): Promise<void> {
    await registered.options
      .onGiveUp?.(job, error)
      .catch((hookError: unknown) =>
        this.log.error('job.give-up-failed', { job: job.id, jobKind: job.kind, code: errorCode(hookError) }),
      );
    await this.records.finish(job, 'failed');
  }
}
