// The Locks port across instances: a KeyedLock queues this process's callers for a key, and
// the first in line takes the shared lock, renewing it while the work runs. Waiting polls with
// a short jittered backoff: contention is rare (one waiter per instance), and polling needs no
// second connection per waiter.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedLock } from '../../core/plumbing/keyed-lock.js';
import type { Locks } from '../../core/ports.js';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import type { LockBackend } from './lock-backend.js';

export interface LockOptions {
  /** Prepended to every lock name (kept apart from documents and from other deployments). */
  prefix: string;
  /** How long a lock outlives a holder that died. Default 10 s. */
  ttlMs?: number;
  /**
   * How long a caller waits for a busy lock before the store counts as unavailable. Default
   * 12 s: longer than a lock's life, so a lock left by a dead instance expires while its
   * waiters still wait, instead of their giving up just before it frees.
   */
  waitMs?: number;
}

export interface HeldLock {
  name: string;
  token: string;
}

const held = new AsyncLocalStorage<HeldLock>();

/**
 * The innermost shared lock the current work runs under. A store whose writes can arrive late
 * (Redis, redis-store.ts) makes each write check that this lock is still ours when it lands, so
 * that a write held up past the lock's expiry cannot land over the next holder's.
 */
export const heldLock = (): HeldLock | undefined => held.getStore();

export class DistributedLocks implements Locks {
  private readonly local = new KeyedLock();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly backend: LockBackend,
    private readonly options: LockOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? this.ttlMs + 2_000;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.hold(`${this.options.prefix}${key}`, work));
  }

  private async hold<T>(name: string, work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const giveUpAt = Date.now() + this.waitMs;
    for (let delay = 2; !(await this.acquire(name, token)); delay = Math.min(delay * 2, 50)) {
      if (Date.now() > giveUpAt) throw new StoreUnavailable();
      await sleep(delay / 2 + Math.random() * delay);
    }
    const renew = setInterval(
      () => void this.backend.renew(name, token, this.ttlMs).catch(() => undefined),
      this.ttlMs / 3,
    );
    renew.unref();
    try {
      return await held.run({ name, token }, work);
    } finally {
      clearInterval(renew);
      // A failed release only delays the next holder until the lock expires.
      await this.backend.release(name, token).catch(() => undefined);
    }
  }

  private async acquire(name: string, token: string): Promise<boolean> {
    try {
      return await this.backend.tryAcquire(name, token, this.ttlMs);
    } catch (error) {
      throw new StoreUnavailable({ cause: error });
    }
  }
}
