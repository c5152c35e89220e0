// "Once, even when it comes twice": the first caller to claim an identity (a signed request, an
// activity) wins, and everyone after it, on this instance or any other over the same store, is
// told it was already taken, until the claim lapses. Built on Store.update, whose lock is the
// store's own when several instances share it, so a claim is decided in one place.
// Lapsed claims are swept away now and then by whoever claims (delete-when, so a claim renewed
// meanwhile stays): no job, and at most one small scan per sweep interval per instance.
import { createHash } from 'node:crypto';
import { unchanged, type Store } from '../ports.js';
import { deleteWhen } from './delete-when.js';

/** The namespace of the claims: bookkeeping of requests, not the bot's state. */
export const CLAIMS = 'claims';

interface Claim {
  /** Epoch ms after which the identity may be claimed again (and the record goes). */
  until: number;
}

// The identity may hold platform ids; its hash is what is stored, at one fixed length.
const keyOf = (identity: string): string => createHash('sha256').update(identity).digest('hex').slice(0, 40);

export class ClaimOnce {
  private lastSweep = Number.NEGATIVE_INFINITY;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly sweepEveryMs = 5 * 60_000,
  ) {}

  /** True for the first claim of `identity` (held until `until`), false while an earlier one holds. */
  async claim(identity: string, until: number): Promise<boolean> {
    const now = this.now();
    let won = false;
    await this.store.update<Claim>(CLAIMS, keyOf(identity), (current) => {
      if (current && current.until > now) return unchanged;
      won = true;
      return { until: Math.max(until, now + 1) };
    });
    if (now - this.lastSweep >= this.sweepEveryMs) {
      this.lastSweep = now;
      // Off the request's path; a failed sweep is tried again at the next interval.
      this.sweeping = this.sweep().catch(() => undefined);
    }
    return won;
  }

  /** Whether `identity` is claimed now (without claiming it). */
  async held(identity: string): Promise<boolean> {
    const current = await this.store.get<Claim>(CLAIMS, keyOf(identity));
    return current !== undefined && current.until > this.now();
  }

  /** Deletes the claims that have lapsed; returns how many went. */
  async sweep(): Promise<number> {
    const now = this.now();
    const lapsed: string[] = [];
    for await (const [key, claim] of this.store.entries<Claim>(CLAIMS)) if (claim.until <= now) lapsed.push(key);
    let removed = 0;
    for (const key of lapsed) if (await deleteWhen<Claim>(this.store, CLAIMS, key, (c) => c.until <= now)) removed++;
    return removed;
  }

  /** Resolves once a sweep started by a claim has finished (tests, a clean stop). */
  idle(): Promise<void> {
    return this.sweeping.then(() => undefined);
  }
}
