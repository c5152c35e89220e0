// The job lease on Redis and on Postgres, with a short time to live so that expiry and takeover
// take a second, not ten.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { Lease } from '../../../src/adapters/lease/lease.js';
import type { SharedStore } from '../../../src/adapters/store/shared-store.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { dropPrefix, openShared, runPrefix, describeOnServices } from '../../support/services.js';

const TTL = 600;
async function until(check: () => boolean, withinMs: number): Promise<number> {
  const began = Date.now();
  while (!check()) {
    if (Date.now() - began > withinMs) throw new Error(`not within ${withinMs} ms`);
    await sleep(10);
  }
  return Date.now() - began;
}

await describeOnServices('the job lease on %s', (kind) => {
  const prefix = runPrefix();
  const opened: SharedStore[] = [];
  const leases: Lease[] = [];
  afterAll(async () => {
    for (const lease of leases) await lease.kill();
    for (const shared of opened) await shared.store.close();
    await dropPrefix(kind, prefix);
  });
  let n = 0;
  /** Two instances competing for one lease name; each its own connection. */
  async function pair(events: string[] = []): Promise<[Lease, Lease, SharedStore]> {
    const name = `${prefix}.lease.${++n}`;
    const make = async (who: string) => {
      const shared = await openShared(kind, prefix);
      opened.push(shared);
      const lease = new Lease(shared.locks, {
        name,
        ttlMs: TTL,
        logger: silentLogger,
        onGained: (fence) => void events.push(`${who} gained ${fence}`),
        onLost: () => void events.push(`${who} lost`),
      });
      leases.push(lease);
      return [lease, shared] as const;
    };
    const [a, shared] = await make('a');
    const [b] = await make('b');
    return [a, b, shared];
  }

  it('is held by one instance, renewed past its time to live, and handed over at once on stop', async () => {
    const events: string[] = [];
    const [a, b] = await pair(events);
    a.start();
    await until(() => a.fence() !== undefined, 2_000);
    b.start();
    await sleep(TTL * 2.5);
    expect(a.fence()).toBe(1);
    expect(b.fence()).toBeUndefined();
    await a.stop();
    const handover = await until(() => b.fence() !== undefined, 2_000);
    expect(handover).toBeLessThan(TTL / 2);
    expect(b.fence()).toBe(2);
    expect(events).toEqual(['a gained 1', 'a lost', 'b gained 2']);
  });

  it('passes to another instance within its time to live when the holder dies, and fences the old holder out', async () => {
    const [a, b, shared] = await pair();
    a.start();
    await until(() => a.fence() !== undefined, 2_000);
    b.start();
    const oldToken = a.token;
    await a.kill(); // no release: the store still says a holds it
    const takeover = await until(() => b.fence() !== undefined, TTL * 3);
    expect(takeover).toBeLessThanOrEqual(TTL + TTL / 4 + 150);
    expect(takeover).toBeGreaterThan(TTL / 3);
    expect(b.fence()).toBe(2);
    // The old holder can neither renew nor take it back while b holds it.
    const name = `${prefix}.lease.${n}`;
    expect(await shared.locks.renew(name, oldToken, TTL)).toBe(false);
    expect(await shared.locks.tryAcquireFenced(name, oldToken, TTL)).toBeUndefined();
  });

  it('stops believing it holds the lease when renewals stop being confirmed', async () => {
    const [a] = await pair();
    let fail = false;
    const renew = a['backend'].renew.bind(a['backend']);
    a['backend'].renew = async (...args) => {
      if (fail) throw Object.assign(new Error('down'), { code: 'ECONNRESET' });
      return renew(...args);
    };
    a.start();
    await until(() => a.fence() !== undefined, 2_000);
    fail = true;
    const lostAfter = await until(() => a.fence() === undefined, TTL * 2);
    // It gives up before the store's copy expires, so nobody else can have started yet.
    expect(lostAfter).toBeLessThan(TTL);
  });
});
