// "Do this once" across instances: the first caller to claim a key wins and every later claim
// of it, from any instance over the same store, loses until the claim expires. Built on
// Store.update, which runs under the document's lock (held in Redis or Postgres when several
// instances share the store), so two claims of one key never both win. A claim holds no
// content: the key is ids only (a Slack view id), the document its expiry. Expired claims are
// deleted by the daily retention purge (`purgeExpired`), and overwritten by a fresh claim.
import { unchanged, type Store } from '../../core/ports.js';

export const CLAIMS = 'claims';

interface Claim {
  expiresAt: number;
}

export class ClaimOnce {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** True for the first claim of `key` within `ttlMs`; false when someone holds it already. */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    let won = false;
    const now = this.now();
    await this.store.update<Claim>(CLAIMS, key, (current) => {
      if (current && current.expiresAt > now) return unchanged;
      won = true;
      return { expiresAt: now + ttlMs };
    });
    return won;
  }

  /** Whether `key` is claimed now (without claiming it). */
  async held(key: string): Promise<boolean> {
    const current = await this.store.get<Claim>(CLAIMS, key);
    return current !== undefined && current.expiresAt > this.now();
  }

  /** Deletes the claims that have expired; returns how many went. */
  async purgeExpired(): Promise<number> {
    const now = this.now();
    const expired: string[] = [];
    for await (const [key, claim] of this.store.entries<Claim>(CLAIMS)) if (claim.expiresAt <= now) expired.push(key);
    let purged = 0;
    for (const key of expired) {
      // Under the lock: a claim renewed since the scan stays.
      await this.store.update<Claim>(CLAIMS, key, (current) => {
        if (!current || current.expiresAt > now) return unchanged;
        purged++;
        return undefined;
      });
    }
    return purged;
  }
}
