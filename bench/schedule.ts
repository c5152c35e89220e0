// Scheduling at program scale. Prints figures; asserts nothing.
//   1. 2,000 groups of 8, each with a weekly series over a year (52 sessions): time to create
//      and heap used (memory store; the reminder jobs are persisted as they would be).
//   2. Start-up: re-arming 100,000 pending jobs from a SQLite file (target < 2 s, < 200 MB).
//   3. The once-a-minute sweep with 100,000 pending and 100 due: time for sweep() itself and
//      until the 100 handlers are done.
// Run: npm run bench -- schedule   (BENCH_GROUPS, BENCH_PENDING override the sizes)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { KeyvStore } from '../src/adapters/store/keyv-store.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { createApp } from '../src/app/compose.js';
import { JobQueue } from '../src/core/jobs/queue.js';
import { silentLogger } from '../src/core/plumbing/logger.js';
import type { ChatPort, Clock, MessageRef, Store } from '../src/core/ports.js';

const GROUPS = Number(process.env.BENCH_GROUPS ?? 2000);
const PENDING = Number(process.env.BENCH_PENDING ?? 100_000);
const DUE = 100;
const MB = 1024 * 1024;

/** A clock that moves only when told and never fires on its own: only sweep() runs jobs. */
function manualClock(start: number): Clock & { set(t: number): void } {
  let now = start;
  return {
    now: () => now,
    at: () => () => undefined,
    set: (t) => {
      now = t;
    },
  };
}

const quietChat: ChatPort = {
  post: async (place): Promise<MessageRef> => ({ place, id: '1' }),
  update: async () => undefined,
  ephemeral: async () => undefined,
  direct: async (user) => ({ place: user, id: '1' }),
};

const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

async function createSeries(): Promise<void> {
  const clock = manualClock(Date.UTC(2027, 0, 4, 12));
  const store = new KeyvStore();
  const { services } = createApp({
    store,
    chat: quietChat,
    clock,
    logger: silentLogger,
    coordinators: [],
    defaultTimeZone: 'UTC',
  });
  const zones = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Australia/Sydney', 'Europe/Budapest'];
  const groups = [];
  for (let i = 0; i < GROUPS; i++) {
    const group = await services.roster.createGroup(
      { name: `Group ${i}`, timeZone: zones[i % zones.length] as string, preset: '60' },
      clock.now(),
    );
    await services.roster.addMembers(
      group.id,
      Array.from({ length: 8 }, (_, m) => `console:g${i}m${m}`),
      'member',
    );
    groups.push((await services.roster.getGroup(group.id))!);
  }
  const before = heap();
  const began = performance.now();
  let sessions = 0;
  for (const group of groups) {
    sessions += (
      await services.schedule.schedule(group, {
        date: '2027-01-11',
        time: '16:00',
        rule: { every: 'week', count: 52 },
        minutes: 60,
        mode: 'in-person',
      })
    ).length;
  }
  const ms = performance.now() - began;
  const used = heap() - before;
  const jobs = (await services.schedule.records.idsFrom(groups[0]!.id, 0)).length;
  console.log(
    `schedule: ${GROUPS} groups × weekly series for a year → ${sessions} sessions, ${sessions * 2} reminder jobs`,
  );
  console.log(
    `  create: ${(ms / 1000).toFixed(1)} s (${(ms / GROUPS).toFixed(1)} ms per series of ${jobs}); heap +${(used / MB).toFixed(0)} MB for sessions, index and jobs in the memory store`,
  );
}

async function startupAndSweep(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'balint-bench-'));
  const url = `sqlite://${join(dir, 'bench.sqlite')}`;
  try {
    const t0 = Date.UTC(2027, 0, 4, 12);
    // Fill the file through the queue itself (records exactly as production writes them), with
    // SQLite's per-commit fsync off for the fill only: otherwise filling takes minutes.
    let store: Store = new KeyvStore(() => {
      const sqlite = new KeyvSqlite({ uri: url, busyTimeout: 10_000 });
      void sqlite.query('PRAGMA synchronous = OFF');
      return sqlite;
    });
    const filler = new JobQueue({ store, clock: manualClock(t0), logger: silentLogger });
    const fillBegan = performance.now();
    const batch = 500;
    for (let i = 0; i < PENDING + DUE; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, PENDING + DUE - i) }, (_, k) => {
          const n = i + k;
          // The last DUE jobs come due one minute after start-up; the rest over the coming year.
          const dueAt = n >= PENDING ? t0 + 60_000 : t0 + 3_600_000 + (n % 52) * 7 * 86_400_000 + n;
          return filler.enqueue(
            'schedule.reminder',
            dueAt,
            {
              session: `ses_${n.toString(16).padStart(12, '0')}`,
              sequence: 0,
              offset: 60,
              until: dueAt + 3_600_000,
              user: `console:u${n % 16}`,
            },
            `reminder:${n}`,
          );
        }),
      );
    }
    await store.close();
    console.log(
      `  (filled ${PENDING + DUE} pending jobs into SQLite in ${((performance.now() - fillBegan) / 1000).toFixed(1)} s)`,
    );

    heap();
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = heap();
    store = openStore(url);
    const clock = manualClock(t0);
    const queue = new JobQueue({ store, clock, logger: silentLogger });
    let ran = 0;
    queue.register('schedule.reminder', async () => {
      ran++;
    });
    const began = performance.now();
    const loaded = await queue.start();
    const startMs = performance.now() - began;
    const heapAfter = heap();
    console.log(
      `  start-up: re-armed ${loaded} pending jobs from SQLite in ${(startMs / 1000).toFixed(2)} s (target < 2 s); heap +${((heapAfter - heapBefore) / MB).toFixed(0)} MB, rss +${((process.memoryUsage().rss - rssBefore) / MB).toFixed(0)} MB (target < 200 MB), rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB in all`,
    );

    clock.set(t0 + 60_000);
    const sweepBegan = performance.now();
    const started = queue.sweep();
    const sweepMs = performance.now() - sweepBegan;
    await queue.idle();
    while (ran < DUE) {
      queue.sweep();
      await queue.idle();
    }
    const doneMs = performance.now() - sweepBegan;
    console.log(
      `  sweep with ${loaded} pending, ${DUE} due: sweep() ${sweepMs.toFixed(2)} ms (started ${started}, the rest as slots free); all ${ran} handled and marked done in SQLite in ${doneMs.toFixed(0)} ms`,
    );
    const idleBegan = performance.now();
    for (let i = 0; i < 100; i++) queue.sweep();
    console.log(`  an idle sweep (nothing due): ${((performance.now() - idleBegan) / 100).toFixed(3)} ms`);
    await queue.stop();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function scheduleBench(): Promise<void> {
  // Start-up first, so its memory figure is not inflated by the creation run's heap.
  await startupAndSweep();
  await createSeries();
}
