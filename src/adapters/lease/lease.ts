// One instance at a time holds the lease and does the scheduled work. The holder renews it every
// third of its time to live; the others try to take it every `retryMs`, so when the holder dies
// one of them takes over at most ttl + retry after the last renewal.
//
// Fencing: each acquisition bumps a counter in the store, and this instance believes it holds
// the lease only until acquiredAt + ttl − margin by its own monotonic clock, measured from
// before the request was sent. The store's copy expires later than that, so this instance stops
// starting work before anyone else can take over; the counter, written into each job claim,
// lets the store refuse a claim from a holder that missed its own deadline (jobs.ts).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import type { LockBackend } from './lock-backend.js';

export interface LeaseOptions {
  name: string;
  /** How long the lease outlives a holder that died. Default 8 s (takeover well inside 10 s). */
  ttlMs?: number;
  /** How often a non-holder tries to take it. Default ttl / 16. */
  retryMs?: number;
  logger: Logger;
  /** Called when this instance gains the lease (awaited before the next renewal). */
  onGained?: (fence: number) => Promise<void> | void;
  /** Called when it loses it (renewal refused, or not confirmed in time), or on stop. */
  onLost?: () => Promise<void> | void;
  now?: () => number;
}

export class Lease {
  readonly token = randomUUID();
  readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly marginMs: number;
  private readonly now: () => number;
  private current: number | undefined;
  private validUntil = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private running = false;
  /** Gained/lost callbacks run one after another, never overlapping. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(
    private readonly backend: LockBackend,
    private readonly options: LeaseOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 8_000;
    this.retryMs = options.retryMs ?? Math.max(50, Math.floor(this.ttlMs / 16));
    this.marginMs = Math.max(20, Math.floor(this.ttlMs / 10));
    this.now = options.now ?? (() => performance.now());
  }

  /** The fencing token while this instance holds the lease by its own clock; undefined otherwise. */
  fence(): number | undefined {
    return this.current !== undefined && this.now() < this.validUntil ? this.current : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.beat();
  }

  /** Stops, lets the lease go at once (a graceful shutdown: another instance takes over within `retryMs`). */
  async stop(): Promise<void> {
    const held = this.halt();
    if (held) await this.backend.release(this.options.name, this.token).catch(() => undefined);
    await this.lose('stopped');
  }

  /** Lets the lease go but keeps trying to take it again (the work could not start here). */
  async relinquish(): Promise<void> {
    if (this.current === undefined) return;
    await this.backend.release(this.options.name, this.token).catch(() => undefined);
    await this.lose('relinquished');
  }

  /** Stops without letting go, as a crash would: others wait for the lease to expire. */
  async kill(): Promise<void> {
    this.halt();
    await this.lose('killed');
  }

  /** Settles once the gained/lost callbacks queued so far have run. */
  settled(): Promise<void> {
    return this.transitions;
  }

  private halt(): boolean {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    return this.current !== undefined;
  }

  private async beat(): Promise<void> {
    if (!this.running) return;
    const sentAt = this.now();
    const { name } = this.options;
    try {
      if (this.current !== undefined) {
        if (await this.backend.renew(name, this.token, this.ttlMs)) this.confirm(sentAt);
        else await this.lose('taken');
      } else {
        const fence = await this.backend.tryAcquireFenced(name, this.token, this.ttlMs);
        if (fence !== undefined && this.running) {
          this.current = fence;
          this.confirm(sentAt);
          this.options.logger.info('lease.gained', { count: fence });
          await this.transition(() => this.options.onGained?.(fence));
        }
      }
    } catch (error) {
      this.options.logger.warn('lease.error', { code: errorCode(error) });
    }
    if (!this.running) return;
    const holding = this.fence() !== undefined;
    this.timer = setTimeout(() => void this.beat(), holding ? this.ttlMs / 3 : this.retryMs);
    this.timer.unref();
  }

  private confirm(sentAt: number): void {
    this.validUntil = sentAt + this.ttlMs - this.marginMs;
    clearTimeout(this.watchdog);
    // If no renewal confirms the lease before it runs out, give up the work at that moment.
    this.watchdog = setTimeout(
      () => {
        if (this.current !== undefined && this.now() >= this.validUntil) void this.lose('expired');
      },
      Math.max(0, this.validUntil - this.now()) + 1,
    );
    this.watchdog.unref();
  }

  private async lose(reason: 'taken' | 'expired' | 'stopped' | 'killed' | 'relinquished'): Promise<void> {
    if (this.current === undefined) return this.transitions;
    const fence = this.current;
    this.current = undefined;
    this.validUntil = Number.NEGATIVE_INFINITY;
    clearTimeout(this.watchdog);
    this.options.logger.info('lease.lost', { count: fence, code: reason });
    return this.transition(() => this.options.onLost?.());
  }

  private transition(step: () => Promise<void> | void): Promise<void> {
    this.transitions = this.transitions.then(step).catch((error: unknown) => {
      this.options.logger.error('lease.transition-failed', { code: errorCode(error) });
    });
    return this.transitions;
  }
}
