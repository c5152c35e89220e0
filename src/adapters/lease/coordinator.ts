// What one instance needs to share its work with others over a Redis or Postgres store: locks
// for the core (a timer's Next and its tick never both announce), and the job lease. The lease
// holder's job queue runs; the others' queues only store jobs and signal their keys. The holder
// re-reads each signalled key, and every pending job on a timer and after a reconnect, because
// a signal can be lost.
import type { JobCoordination, JobQueue } from '../../core/jobs/queue.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Locks, Logger } from '../../core/ports.js';
import { DistributedLocks } from './distributed-locks.js';
import { Lease } from './lease.js';
import type { LockBackend } from './lock-backend.js';
import type { JobSignals } from './signals.js';

export interface CoordinatorOptions {
  /** Names the lease and the locks of this deployment. */
  prefix: string;
  logger: Logger;
  /** Lease time to live. Default 8 s. */
  leaseTtlMs?: number;
  /** How often the holder re-reads every pending job. Default 60 s. */
  resyncMs?: number;
}

export class Coordinator {
  readonly locks: Locks;
  readonly lease: Lease;
  readonly coordination: JobCoordination;
  private resync: NodeJS.Timeout | undefined;
  private queue: JobQueue | undefined;

  constructor(
    backend: { locks: LockBackend; signals: JobSignals },
    private readonly options: CoordinatorOptions,
  ) {
    const { logger, prefix } = options;
    this.signals = backend.signals;
    // The app's locks (a timer's, held across a tick's chat calls) live no longer than the
    // lease: an instance killed mid-tick must not hold up the session beyond the lease time
    // its successor needs anyway. They are renewed while held, so long work keeps them.
    this.lease = new Lease(backend.locks, {
      name: `${prefix}.lease.jobs`,
      ...(options.leaseTtlMs ? { ttlMs: options.leaseTtlMs } : {}),
      logger,
      onGained: () => this.gained(),
      onLost: () => this.queue?.stop(),
    });
    this.locks = new DistributedLocks(backend.locks, {
      prefix: `${prefix}.lock.app.`,
      ttlMs: Math.min(10_000, this.lease.ttlMs),
    });
    this.coordination = { fence: () => this.lease.fence(), announce: (key) => this.signals.publish(key) };
  }

  private readonly signals: JobSignals;

  /** Listens for signals and competes for the lease; `queue` runs while this instance holds it. */
  async run(queue: JobQueue): Promise<void> {
    this.queue = queue;
    const refresh = (key: string) =>
      void queue
        .refresh(key)
        .catch((error: unknown) => this.options.logger.warn('jobs.refresh-failed', { code: errorCode(error) }));
    await this.signals.subscribe(refresh, () => this.resyncNow());
    this.resync = setInterval(() => this.resyncNow(), this.options.resyncMs ?? 60_000);
    this.resync.unref();
    this.lease.start();
  }

  /** Graceful: lets the lease go so that another instance takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.resync);
    await this.lease.stop();
    await this.signals.close();
  }

  /** As a crash would: stops the work here and keeps the lease until it expires (tests). */
  async kill(): Promise<void> {
    clearInterval(this.resync);
    await this.lease.kill();
    await this.signals.close();
  }

  private async gained(): Promise<void> {
    try {
      const count = await this.queue?.start();
      this.options.logger.info('jobs.leading', { count: count ?? 0 });
    } catch (error) {
      // The store failed while loading: let another instance (or a later try here) take over.
      this.options.logger.warn('jobs.start-failed', { code: errorCode(error) });
      await this.queue?.stop();
      void this.lease.relinquish();
    }
  }

  private resyncNow(): void {
    if (this.lease.fence() === undefined || !this.queue) return;
    void this.queue
      .resync()
      .catch((error: unknown) => this.options.logger.warn('jobs.resync-failed', { code: errorCode(error) }));
  }
}
