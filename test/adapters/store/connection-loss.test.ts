// Redis or Postgres goes away (a loopback proxy we cut): commands answer "try again in a
// moment" at once instead of hanging, nothing is half-written, and once it is back the same
// store object answers again, with every job still there.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { openSharedStore, type SharedStore } from '../../../src/adapters/store/shared-store.js';
import { runLogged, STORE_UNAVAILABLE_MESSAGE } from '../../../src/commands/plumbing/run-logged.js';
import { plainText, replyCard } from '../../../src/core/cards.js';
import { JobQueue } from '../../../src/core/jobs/queue.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { isStoreUnavailable } from '../../../src/core/plumbing/store-unavailable.js';
import { FakeClock } from '../../support/fake-clock.js';
import { dropPrefix, runPrefix, describeOnServices, urlOf } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

await describeOnServices('losing %s', (kind) => {
  const prefix = runPrefix();
  let proxy: TcpProxy | undefined;
  let shared: SharedStore | undefined;
  afterAll(async () => {
    await shared?.store.close();
    await proxy?.close();
    await dropPrefix(kind, prefix);
  });

  it('answers "try again in a moment", then reconnects and loses no job', async () => {
    const target = new URL(urlOf(kind));
    proxy = await startTcpProxy(Number(target.port));
    const url = new URL(urlOf(kind));
    url.port = String(proxy.port);
    shared = await openSharedStore(url.toString(), prefix, silentLogger);
    const { store } = shared;
    const clock = new FakeClock();
    const jobs = new JobQueue({ store, clock, logger: silentLogger });
    await store.set('groups', 'g1', { name: 'kept' });
    await jobs.enqueue('reminder', clock.now() + 60_000, {}, 'r1');

    proxy.cut();
    const began = Date.now();
    const failure = await store.get('groups', 'g1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(Date.now() - began).toBeLessThan(6_000);
    const replies = await runLogged(silentLogger, 'command.done', { command: 'group.show' }, async () => {
      await store.update('groups', 'g1', () => ({ name: 'changed while away' }));
      return [];
    });
    expect(replies.map((r) => plainText(replyCard(r)))).toEqual([STORE_UNAVAILABLE_MESSAGE]);
    await expect(jobs.enqueue('reminder', clock.now(), {}, 'r2')).rejects.toSatisfy(isStoreUnavailable);

    proxy.restore();
    let back: unknown;
    for (let tries = 0; tries < 100 && back === undefined; tries++) {
      back = await store.get('groups', 'g1').catch(() => undefined);
      if (back === undefined) await sleep(100);
    }
    expect(back).toEqual({ name: 'kept' });
    expect((await jobs.pending()).map((j) => j.idempotencyKey)).toEqual(['r1']);
  });
});
