// Postgres behind a connection that stops forwarding (a proxy that holds every byte, as a
// partition without a reset does): the store's calls are refused within its connection and
// query timeouts (5 s each), and when the connection forwards again no document write held
// lands: pg's pool drops a client whose query timed out, and the bytes it held go with it. (A Postgres process that
// froze with the bytes already in its own socket buffer would still run them: see
// docs/known-limits.md.)
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedStore, type SharedStore } from '../../../src/adapters/store/shared-store.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { isStoreUnavailable } from '../../../src/core/plumbing/store-unavailable.js';
import { dropPrefix, POSTGRES_URL, runPrefix, serviceAvailable } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

const available = await serviceAvailable('PostgreSQL');
const prefix = runPrefix();
let proxy: TcpProxy;
let shared: SharedStore;

beforeAll(async () => {
  if (!available) return;
  const target = new URL(POSTGRES_URL);
  proxy = await startTcpProxy(Number(target.port));
  target.port = String(proxy.port);
  shared = await openSharedStore(target.toString(), prefix, silentLogger);
});

afterAll(async () => {
  proxy?.resume();
  await shared?.store.close();
  await proxy?.close();
  if (available) await dropPrefix('postgres', prefix);
});

describe.skipIf(!available)('Postgres behind a connection that stops forwarding', () => {
  it('refuses the calls in time, and nothing held lands when the connection forwards again', async () => {
    const { store } = shared;
    await store.set('groups', 'g1', { name: 'before' });
    // The update's lock is taken and its read done when the connection stops: its write is in flight.
    let began = 0;
    const outcome = (work: Promise<unknown>) =>
      work.then(
        () => 'done',
        (error: unknown) => (isStoreUnavailable(error) ? 'unavailable' : String(error)),
      );
    const update = outcome(
      store.update('groups', 'g1', () => {
        proxy.pause();
        began = Date.now();
        return { name: 'late update' };
      }),
    );
    while (began === 0) await sleep(5);
    const results = await Promise.all([update, outcome(store.set('groups', 'g2', { name: 'late' }))]);
    const refusedAfterMs = Date.now() - began;
    proxy.resume();
    expect(results).toEqual(['unavailable', 'unavailable']);
    // A call that needs a fresh pool connection waits out the connection timeout (5 s, the
    // handshake is held too) and then its query timeout (5 s): up to 10 s on Postgres.
    expect(refusedAfterMs).toBeLessThan(11_000);
    await sleep(1_000);
    expect(await store.get('groups', 'g1')).toEqual({ name: 'before' });
    expect(await store.get('groups', 'g2')).toBeUndefined();
    const direct = new pg.Client({ connectionString: POSTGRES_URL });
    await direct.connect();
    try {
      // A lock request held by the stopped connection may still be taken when it forwards again
      // (unlike on Redis, where it is fenced): it blocks its document only until it expires.
      const { rows } = await direct.query<{ left: number }>(
        `SELECT extract(epoch FROM expires_at - clock_timestamp()) * 1000 AS left FROM ${prefix}_locks WHERE expires_at > clock_timestamp()`,
      );
      for (const row of rows) expect(Number(row.left)).toBeLessThanOrEqual(10_000);
    } finally {
      await direct.end();
    }
  }, 20_000);
});
