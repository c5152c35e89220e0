// The Redis store against a server that freezes (SIGSTOP of a private redis-server: connections
// are accepted, nothing answers), at the level of the store's own calls. Each call in flight is
// refused within the store's deadline, and what Redis runs from its socket buffers when it wakes
// writes nothing: not the document, not a lock nobody would hold. And a write whose document
// lock was lost while it was computed does not land over the new holder's.
import { createClient } from '@keyv/redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedStore, type SharedStore } from '../../../src/adapters/store/shared-store.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { isStoreUnavailable } from '../../../src/core/plumbing/store-unavailable.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { runPrefix } from '../../support/services.js';

let redis: PrivateRedis;
let shared: SharedStore;
let raw: ReturnType<typeof createClient>;
const prefix = runPrefix();

beforeAll(async () => {
  redis = await startPrivateRedis();
  shared = await openSharedStore(redis.url, prefix, silentLogger);
  raw = createClient({ url: redis.url });
  await raw.connect();
});

afterAll(async () => {
  redis?.thaw();
  await raw?.close().catch(() => undefined);
  await shared?.store.close();
  await redis?.close();
});

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'done',
    (error: unknown) => (isStoreUnavailable(error) ? 'unavailable' : `other: ${String(error)}`),
  );

describe('a Redis that freezes', () => {
  it('refuses the calls in flight in time, and none of them writes when Redis wakes', async () => {
    const { store, locks } = shared;
    await store.set('groups', 'g1', { name: 'before' });
    await store.set('groups', 'g2', { name: 'before' });
    // The update's lock is taken and its read done when Redis freezes: its write is the one in flight.
    let began = 0;
    let frozen!: () => void;
    const isFrozen = new Promise<void>((resolve) => (frozen = resolve));
    const update = outcome(
      store.update('groups', 'g2', () => {
        redis.freeze();
        began = Date.now();
        frozen();
        return { name: 'late update' };
      }),
    );
    await isFrozen;
    const results = await Promise.all([
      update,
      outcome(store.set('groups', 'g1', { name: 'late set' })),
      outcome(locks.tryAcquire(`${prefix}.lock.app.t1`, 'token', 10_000)),
      outcome(store.get('groups', 'g1')),
      outcome(store.delete('groups', 'g1')),
    ]);
    const refusedAfterMs = Date.now() - began;
    redis.thaw();
    expect(results).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable', 'unavailable']);
    expect(refusedAfterMs).toBeLessThan(6_000);

    // Redis has now run whatever reached it: none of it wrote.
    let back: unknown;
    for (let tries = 0; tries < 100 && back === undefined; tries++) {
      back = await store.get('groups', 'g1').catch(() => undefined);
      if (back === undefined) await sleep(100);
    }
    await sleep(500);
    expect(await store.get('groups', 'g1')).toEqual({ name: 'before' });
    expect(await store.get('groups', 'g2')).toEqual({ name: 'before' });
    expect(await raw.exists(`${prefix}.lock.app.t1`)).toBe(0);
    expect(await raw.exists(`${prefix}.lock.doc.groups:g1`)).toBe(0);
    // The update took its lock before the freeze and could not release it: it expires by itself.
    expect(await raw.pTTL(`${prefix}.lock.doc.groups:g2`)).toBeLessThanOrEqual(10_000);
    // And the store works again.
    await store.set('groups', 'g1', { name: 'after' });
    expect(await store.get('groups', 'g1')).toEqual({ name: 'after' });
  }, 20_000);

  it('does not let an update land once its document lock is someone else’s', async () => {
    const { store } = shared;
    await store.set('groups', 'g3', { name: 'before' });
    const lock = `${prefix}.lock.doc.groups:g3`;
    const failure = await outcome(
      store.update('groups', 'g3', async () => {
        // As if this holder stalled past the lock's expiry and another instance took it.
        await raw.set(lock, 'another-holder');
        return { name: 'written without the lock' };
      }),
    );
    expect(failure).toBe('unavailable');
    expect(await store.get('groups', 'g3')).toEqual({ name: 'before' });
    expect(await raw.get(lock)).toBe('another-holder');
  });
});
