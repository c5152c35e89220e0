// The queue's persisted state: pending jobs keyed by idempotency key, and the finished keys
// that make a repeat enqueue a no-op. Every change of a pending record checks the job id, so
// a stale attempt never touches a job that replaced it (cancelled, then enqueued afresh).
import { unchanged, type Clock, type Store } from '../ports.js';
import { isJob, type Finished, type Job, type Outcome } from './types.js';

export class JobRecords {
  private readonly doneNs: string;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ns: string,
  ) {
    this.doneNs = `${ns}-done`;
  }

  /** The pending record of `key`, read from the store (another instance may have changed it). */
  async pending(key: string): Promise<Job | undefined> {
    const value = await this.store.get<unknown>(this.ns, key);
    return isJob(value) ? value : undefined;
  }

  finished(key: string): Promise<Finished | undefined> {
    return this.store.get<Finished>(this.doneNs, key);
  }

  /** Every pending record, in one pass; malformed ones are counted, not yielded. */
  async *all(onInvalid: () => void = () => undefined): AsyncIterable<Job> {
    for await (const [, value] of this.store.entries<unknown>(this.ns)) {
      if (isJob(value)) yield value;
      else onInvalid();
    }
  }

  create(job: Job): Promise<void> {
    return this.store.set(this.ns, job.idempotencyKey, job);
  }

  delete(key: string): Promise<boolean> {
    return this.store.delete(this.ns, key);
  }

  /**
   * Applies `change` to the record if it is still this job; returns the new record. `change` may
   * refuse with undefined.
   */
  async change(job: Job, change: (current: Job) => Job | undefined): Promise<Job | undefined> {
    let next: Job | undefined;
    await this.store.update<Job>(
      this.ns,
      job.idempotencyKey,
      (current) => (current?.id === job.id && (next = change(current))) || unchanged,
    );
    return next;
  }

  /** Finished record first, then the pending one goes: `claim` cleans up a crash in between. */
  async finish(job: Job, outcome: Outcome, remember = true): Promise<void> {
    if (remember) {
      const record: Finished = { id: job.id, kind: job.kind, outcome, at: this.clock.now(), attempts: job.attempts };
      await this.store.set(this.doneNs, job.idempotencyKey, record);
    }
    await this.removePending(job);
  }

  /** Forgets finished keys older than `before` (epoch ms); returns how many. */
  async pruneFinished(before: number): Promise<number> {
    const old: string[] = [];
    for await (const [key, record] of this.store.entries<Finished>(this.doneNs)) if (record.at < before) old.push(key);
    for (const key of old) await this.store.delete(this.doneNs, key);
    return old.length;
  }

  /** Forgets the finished keys `match` picks (data rights); returns how many. */
  async forgetFinished(match: (key: string) => boolean): Promise<number> {
    const keys: string[] = [];
    for await (const [key] of this.store.entries<Finished>(this.doneNs)) if (match(key)) keys.push(key);
    for (const key of keys) await this.store.delete(this.doneNs, key);
    return keys.length;
  }

  async removePending(job: Job): Promise<void> {
    await this.store.update<Job>(this.ns, job.idempotencyKey, (current) =>
      current?.id === job.id ? undefined : unchanged,
    );
  }
}
