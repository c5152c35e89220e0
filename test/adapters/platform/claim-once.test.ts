// The "do this once" claim over the store: one winner per key until it expires, and the daily
// retention purge deleting the expired claims (and only those).
import { describe, expect, it } from 'vitest';
import { ClaimOnce, CLAIMS } from '../../../src/adapters/platform/claim-once.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { createHarness } from '../../support/harness.js';

describe('ClaimOnce', () => {
  it('lets the first claim of a key win, side by side too, until it expires', async () => {
    let now = 1_000_000;
    const claims = new ClaimOnce(new KeyvStore(), () => now);
    const together = await Promise.all([1, 2, 3, 4].map(() => claims.claim('view:V1', 60_000)));
    expect(together.filter(Boolean)).toHaveLength(1);
    expect(await claims.held('view:V1')).toBe(true);
    expect(await claims.claim('view:V2', 60_000)).toBe(true);
    now += 60_000;
    expect(await claims.held('view:V1')).toBe(false);
    expect(await claims.claim('view:V1', 60_000)).toBe(true);
  });

  it('is cleaned by the retention purge: expired claims go, live ones stay', async () => {
    const h = createHarness();
    await h.start();
    const store = h.store;
    const claims = new ClaimOnce(store, () => h.clock.now());
    h.retention.alsoPurge(() => claims.purgeExpired());
    await claims.claim('old', 1_000);
    await claims.claim('live', 10 * 86_400_000);
    await h.clock.advance(2_000);
    const report = await h.retention.purge();
    expect(report.expired).toBe(1);
    expect(await store.get(CLAIMS, 'old')).toBeUndefined();
    expect(await store.get(CLAIMS, 'live')).toBeDefined();
    expect((await h.retention.purge()).expired).toBe(0);
  });
});
