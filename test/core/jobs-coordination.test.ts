// The job queue among several instances (JobCoordination): only the lease holder dispatches,
// the others announce the keys they change, the holder re-reads them, and a claim from an
// instance whose lease a newer holder replaced is refused by the store.
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import { JobQueue, type Job, type JobCoordination } from '../../src/core/jobs/queue.js';
import type { LogFields, Logger } from '../../src/core/ports.js';
import { FakeClock } from '../support/fake-clock.js';

const MIN = 60_000;

function instance(store: KeyvStore, clock: FakeClock, announced: string[] = []) {
  let fence: number | undefined;
  const events: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (event: string, _fields?: LogFields) => void events.push(event),
  };
  const coordination: JobCoordination = { fence: () => fence, announce: (key) => void announced.push(key) };
  const queue = new JobQueue({ store, clock, logger, coordination });
  const runs: string[] = [];
  return {
    queue,
    runs,
    events,
    announced,
    lead: (value: number | undefined) => void (fence = value),
    register: (behaviour?: (job: Job) => void) =>
      queue.register(
        'reminder',
        async (job) => {
          runs.push(job.idempotencyKey);
          behaviour?.(job);
        },
        { retryBaseMs: MIN },
      ),
  };
}

describe('JobQueue with several instances', () => {
  it('runs nothing while not holding the lease, and announces the keys it enqueues', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const follower = instance(store, clock);
    follower.register();
    await follower.queue.start();
    await follower.queue.enqueue('reminder', clock.now() + MIN, { n: 1 }, 'r1');
    await clock.advance(2 * MIN);
    expect(follower.runs).toEqual([]);
    expect(follower.announced).toEqual(['r1']);
    expect(await follower.queue.pending()).toHaveLength(1);
  });

  it('lets the holder pick up a job another instance enqueued, on its signal or on a resync', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const leader = instance(store, clock);
    const follower = instance(store, clock);
    leader.register();
    follower.register();
    leader.lead(1);
    await leader.queue.start();
    await follower.queue.enqueue('reminder', clock.now() + MIN, {}, 'signalled');
    await follower.queue.enqueue('reminder', clock.now() + MIN, {}, 'lost-signal');
    await leader.queue.refresh('signalled');
    await clock.advance(MIN);
    expect(leader.runs).toEqual(['signalled']);
    expect(await leader.queue.resync()).toBe(1);
    await clock.advance(0);
    expect(leader.runs).toEqual(['signalled', 'lost-signal']);
    // A cancel elsewhere is news too: the holder drops the key on refresh.
    await follower.queue.enqueue('reminder', clock.now() + MIN, {}, 'cancelled');
    await leader.queue.refresh('cancelled');
    await follower.queue.cancel('cancelled');
    await leader.queue.refresh('cancelled');
    await clock.advance(2 * MIN);
    expect(leader.runs).toEqual(['signalled', 'lost-signal']);
    expect(follower.runs).toEqual([]);
  });

  it('refuses the claim of an old holder once a newer one has claimed the job', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const old = instance(store, clock);
    const newer = instance(store, clock);
    old.register();
    newer.register(() => {
      throw new Error('chat down'); // retried later: the record keeps the newer fence
    });
    await old.queue.enqueue('reminder', clock.now() + MIN, {}, 'r1');
    await old.queue.start(); // loaded r1, but not dispatching: no lease yet
    newer.lead(2);
    await newer.queue.start();
    await clock.advance(MIN);
    expect(newer.runs).toEqual(['r1']);
    expect((await store.get<Job>('jobs', 'r1'))?.fence).toBe(2);
    // The old instance wakes up believing it holds lease 1 and finds r1 due in its own index.
    newer.lead(undefined);
    old.lead(1);
    old.queue.sweep();
    await clock.advance(0);
    expect(old.runs).toEqual([]);
    expect(old.events).toContain('job.fenced');
  });

  it('stops on losing the lease and starts again from the store on regaining it', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock();
    const a = instance(store, clock);
    a.register();
    a.lead(1);
    await a.queue.start();
    await a.queue.stop();
    a.lead(undefined);
    await a.queue.enqueue('reminder', clock.now() + MIN, {}, 'while-away');
    a.lead(3);
    expect(await a.queue.start()).toBe(1);
    await clock.advance(MIN);
    expect(a.runs).toEqual(['while-away']);
  });
});
