// ClaimOnce over the memory store and a fake clock: the first claim wins, repeats lose while it
// holds, a lapsed claim may be taken again, and lapsed records are swept away.
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { CLAIMS, ClaimOnce } from '../../src/core/plumbing/claim-once.js';
import { FakeClock } from '../support/fake-clock.js';

const MIN = 60_000;

async function keys(store: KeyvStore): Promise<string[]> {
  const found: string[] = [];
  for await (const [key] of store.entries(CLAIMS)) found.push(key);
  return found;
}

describe('ClaimOnce', () => {
  it('lets exactly one of many simultaneous claims of one identity win', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const claims = [new ClaimOnce(store, () => clock.now()), new ClaimOnce(store, () => clock.now())];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (claims[i % 2] as ClaimOnce).claim('slack:1:v0=abc', clock.now() + MIN)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await (claims[0] as ClaimOnce).claim('slack:1:v0=other', clock.now() + MIN)).toBe(true);
  });

  it('stores a hash of the identity, never the identity itself', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    await new ClaimOnce(store, () => clock.now()).claim('teams:19:secret-conversation|act-1', clock.now() + MIN);
    const stored = await keys(store);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{40}$/);
  });

  it('holds a claim until its time, then lets it be taken again', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const claims = new ClaimOnce(store, () => clock.now());
    expect(await claims.claim('id', clock.now() + 6 * MIN)).toBe(true);
    await clock.advance(6 * MIN - 1);
    expect(await claims.claim('id', clock.now() + 6 * MIN)).toBe(false);
    await clock.advance(1);
    expect(await claims.claim('id', clock.now() + 6 * MIN)).toBe(true);
  });

  it('sweeps lapsed claims away as later claims come, keeping those that still hold', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const claims = new ClaimOnce(store, () => clock.now(), 5 * MIN);
    for (let i = 0; i < 5; i++) await claims.claim(`old-${i}`, clock.now() + 6 * MIN);
    await claims.idle();
    expect(await keys(store)).toHaveLength(5);
    await clock.advance(4 * MIN);
    await claims.claim('young', clock.now() + 6 * MIN);
    await claims.idle();
    // Not yet due for a sweep, and nothing has lapsed anyway.
    expect(await keys(store)).toHaveLength(6);
    await clock.advance(3 * MIN);
    await claims.claim('latest', clock.now() + 6 * MIN);
    await claims.idle();
    expect(await keys(store)).toHaveLength(2);
    expect(await claims.sweep()).toBe(0);
  });
});
