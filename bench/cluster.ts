// Several instances over one shared store: how fast one document can be updated (the whole
// read-modify-write under the store's lock) on each backend, and how long the job lease takes
// to pass to another instance when its holder is killed or stops. Then real processes behind a
// fake Slack (cluster-processes.ts): commands per second, ack latency, takeover time.
// Run: npm run bench -- cluster   (needs Redis and PostgreSQL on loopback; figures are printed)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createClient } from '@keyv/redis';
import { Lease } from '../src/adapters/lease/lease.js';
import { clusterProcessesBench } from './cluster-processes.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { openSharedStore, type SharedStore } from '../src/adapters/store/shared-store.js';
import { silentLogger } from '../src/core/plumbing/logger.js';
import type { Store } from '../src/core/ports.js';

const REDIS = process.env.BALINT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES = process.env.BALINT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const UPDATES = Number(process.env.BENCH_UPDATES ?? 1_000);
const LEASE_TTL = Number(process.env.BENCH_LEASE_TTL_MS ?? 8_000);
const ROUNDS = Number(process.env.BENCH_TAKEOVERS ?? 3);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Updates/s: `UPDATES` updates spread over `stores`, half on one hot document, half on 50 others. */
async function throughput(stores: Store[]): Promise<{ hot: number; spread: number }> {
  const run = async (key: (i: number) => string) => {
    const began = performance.now();
    await Promise.all(
      Array.from({ length: UPDATES }, (_, i) =>
        (stores[i % stores.length] as Store).update<{ n: number }>('bench', key(i), (d) => ({ n: (d?.n ?? 0) + 1 })),
      ),
    );
    return Math.round(UPDATES / ((performance.now() - began) / 1000));
  };
  return { hot: await run(() => 'hot'), spread: await run((i) => `doc${i % 50}`) };
}

async function cleanup(kind: 'redis' | 'postgres', prefix: string): Promise<void> {
  if (kind === 'redis') {
    const client = createClient({ url: REDIS });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}.*`, COUNT: 1000 }))
      if (keys.length) await client.del(keys);
    await client.close();
  } else {
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${prefix}_documents, ${prefix}_locks`);
    await client.end();
  }
}

async function takeovers(
  kind: 'redis' | 'postgres',
  shared: SharedStore[],
  prefix: string,
): Promise<{ killed: number[]; stopped: number[] }> {
  const result = { killed: [] as number[], stopped: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const how of ['killed', 'stopped'] as const) {
      const name = `${prefix}.lease.${how}${round}`;
      const [a, b] = shared.map((s) => new Lease(s.locks, { name, ttlMs: LEASE_TTL, logger: silentLogger })) as [
        Lease,
        Lease,
      ];
      a.start();
      while (a.fence() === undefined) await sleep(5);
      b.start();
      // Die at a random point between two renewals, as a real crash would.
      await sleep(Math.random() * (LEASE_TTL / 3));
      const began = performance.now();
      await (how === 'killed' ? a.kill() : a.stop());
      while (b.fence() === undefined) await sleep(2);
      result[how].push(Math.round(performance.now() - began));
      await b.stop();
    }
  }
  void kind;
  return result;
}

export async function clusterBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'balint-bench-'));
  console.log(`\ncluster: ${UPDATES} updates per case; lease ttl ${LEASE_TTL} ms; ${ROUNDS} takeovers of each kind`);
  try {
    const memory = openStore('memory://');
    console.log(`  memory    updates/s ${JSON.stringify(await throughput([memory]))}`);
    const sqlite = openStore(`sqlite://${join(dir, 'bench.sqlite')}`);
    console.log(`  sqlite    updates/s ${JSON.stringify(await throughput([sqlite]))}`);
    await sqlite.close();
    for (const kind of ['redis', 'postgres'] as const) {
      const prefix = `bench_${randomBytes(4).toString('hex')}`;
      const url = kind === 'redis' ? REDIS : POSTGRES;
      let shared: SharedStore[] = [];
      try {
        shared = [await openSharedStore(url, prefix, silentLogger), await openSharedStore(url, prefix, silentLogger)];
        const one = await throughput([shared[0]?.store as Store]);
        const two = await throughput(shared.map((s) => s.store));
        console.log(
          `  ${kind.padEnd(9)} updates/s, 1 instance ${JSON.stringify(one)}, 2 instances ${JSON.stringify(two)}`,
        );
        const t = await takeovers(kind, shared, prefix);
        console.log(
          `  ${kind.padEnd(9)} takeover ms after the holder was killed ${JSON.stringify(t.killed)}, after it stopped ${JSON.stringify(t.stopped)}`,
        );
      } catch (error) {
        console.log(`  ${kind.padEnd(9)} skipped: ${(error as Error).name}`);
      } finally {
        for (const s of shared) await s.store.close();
        await cleanup(kind, prefix).catch(() => undefined);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await clusterProcessesBench();
}
