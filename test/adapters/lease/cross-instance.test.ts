// Two instances over one Redis or Postgres store, each with its own client or pool, as two
// processes would have: concurrent updates of one document all land, and timers' locks exclude
// each other across instances.
import { afterAll, expect, it } from 'vitest';
import { DistributedLocks } from '../../../src/adapters/lease/distributed-locks.js';
import type { SharedStore } from '../../../src/adapters/store/shared-store.js';
import { dropPrefix, openShared, runPrefix, describeOnServices } from '../../support/services.js';

await describeOnServices('two instances on %s', (kind) => {
  const prefix = runPrefix();
  const opened: SharedStore[] = [];
  const open = async () => {
    const shared = await openShared(kind, prefix);
    opened.push(shared);
    return shared;
  };
  afterAll(async () => {
    for (const shared of opened) await shared.store.close();
    await dropPrefix(kind, prefix);
  });

  it('lose none of 200 concurrent updates of one document', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    await a.store.set('sessions', 's1', { rsvps: [] as number[] });
    const instances = [a, b, c];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (instances[i % 3] as SharedStore).store.update<{ rsvps: number[] }>('sessions', 's1', async (s) => {
          await new Promise((r) => setImmediate(r)); // widen the read-modify-write window
          return { rsvps: [...(s?.rsvps ?? []), i] };
        }),
      ),
    );
    const session = await b.store.get<{ rsvps: number[] }>('sessions', 's1');
    expect(session?.rsvps.slice().sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('never run two holders of one lock at once, and a dead holder blocks only until its lock expires', async () => {
    const [a, b] = [await open(), await open()];
    const lockA = new DistributedLocks(a.locks, { prefix: `${prefix}.t.`, ttlMs: 600 });
    const lockB = new DistributedLocks(b.locks, { prefix: `${prefix}.t.`, ttlMs: 600 });
    let inside = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 2));
      inside--;
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? lockA : lockB).run('timer-1', work)));
    expect(most).toBe(1);
    // A holder that died: its token is never released, so the next waits out the ttl.
    expect(await a.locks.tryAcquire(`${prefix}.t.timer-2`, 'dead-holder', 600)).toBe(true);
    const began = Date.now();
    await lockB.run('timer-2', async () => undefined);
    expect(Date.now() - began).toBeGreaterThanOrEqual(450);
    expect(Date.now() - began).toBeLessThan(3_000);
  });
});
