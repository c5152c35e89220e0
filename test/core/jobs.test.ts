import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import {
  JobQueue,
  PermanentJobError,
  type HandlerOptions,
  type Job,
  type JobContext,
} from '../../src/core/jobs/queue.js';
import type { Cancel, Clock, LogFields, Logger, LogLevel, Store } from '../../src/core/ports.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { silentLogger } from '../../src/core/plumbing/logger.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

interface Line {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

function recordingLogger(): Logger & { lines: Line[]; events(level?: LogLevel): string[] } {
  const lines: Line[] = [];
  const at =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) =>
      void lines.push({ level, event, fields });
  return {
    lines,
    events: (level) => lines.filter((l) => !level || l.level === level).map((l) => l.event),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

interface Run {
  key: string;
  at: number;
  attempt: number;
  lateMs: number;
}

function recorder(clock: Clock, behaviour?: (job: Job, ctx: JobContext) => Promise<void> | void) {
  const runs: Run[] = [];
  const handler = async (job: Job, ctx: JobContext) => {
    runs.push({ key: job.idempotencyKey, at: clock.now(), attempt: ctx.attempt, lateMs: ctx.lateMs });
    await behaviour?.(job, ctx);
  };
  return { runs, handler, keys: () => runs.map((r) => r.key) };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function setup(opts: { store?: Store; clock?: FakeClock; maxConcurrent?: number; clockPort?: Clock } = {}) {
  const clock = opts.clock ?? new FakeClock();
  const store = opts.store ?? new KeyvStore();
  const logger = recordingLogger();
  const queue = new JobQueue({ store, clock: opts.clockPort ?? clock, logger, maxConcurrent: opts.maxConcurrent });
  return { clock, store, logger, queue };
}

/** A clock whose timers never fire: what a suspended laptop or a lost timer looks like. */
class LostTimerClock implements Clock {
  constructor(private readonly inner: FakeClock) {}
  now(): number {
    return this.inner.now();
  }
  at(): Cancel {
    return () => undefined;
  }
}

describe('JobQueue', () => {
  it('runs a job at its due time and not before, then forgets it', async () => {
    const { clock, queue, logger } = setup();
    const rec = recorder(clock);
    queue.register('reminder', rec.handler);
    await queue.start();
    const due = clock.now() + 10 * MIN;
    const result = await queue.enqueue('reminder', due, { session: 's1' }, 'reminder:s1');
    expect(result.created).toBe(true);
    expect(await queue.pending()).toHaveLength(1);

    await clock.advanceTo(due - 1);
    expect(rec.runs).toEqual([]);
    await clock.advanceTo(due);
    expect(rec.runs).toEqual([{ key: 'reminder:s1', at: due, attempt: 1, lateMs: 0 }]);
    expect(await queue.pending()).toEqual([]);
    expect(clock.waiting).toBe(0);
    expect(logger.lines.find((l) => l.event === 'job.done')).toMatchObject({
      level: 'debug',
      fields: { jobKind: 'reminder', lateMs: 0, attempt: 1 },
    });
  });

  it('runs jobs in due order, ties in enqueue order, with exactly one timer armed', async () => {
    const { clock, queue } = setup();
    const rec = recorder(clock);
    queue.register('k', rec.handler);
    await queue.start();
    const t = clock.now();
    await queue.enqueue('k', t + 30 * MIN, {}, 'c');
    await queue.enqueue('k', t + 20 * MIN, {}, 'b1');
    await queue.enqueue('k', t + 20 * MIN, {}, 'b2');
    expect(clock.waiting).toBe(1);
    await queue.enqueue('k', t + 10 * MIN, {}, 'a'); // earlier: the timer is re-armed, not added
    expect(clock.waiting).toBe(1);

    await clock.advance(HOUR);
    expect(rec.keys()).toEqual(['a', 'b1', 'b2', 'c']);
    expect(rec.runs.map((r) => r.at - t)).toEqual([10 * MIN, 20 * MIN, 20 * MIN, 30 * MIN]);
  });

  it('runs each key once whatever the order of enqueues and due times (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
            offset: fc.integer({ min: -MIN, max: 5 * HOUR }),
          }),
          { maxLength: 12 },
        ),
        async (enqueues) => {
          const { clock, queue } = setup();
          const rec = recorder(clock);
          queue.register('k', rec.handler);
          await queue.start();
          const t = clock.now();
          const firstDue = new Map<string, number>();
          for (const { key, offset } of enqueues) {
            await queue.enqueue('k', t + offset, {}, key);
            if (!firstDue.has(key)) firstDue.set(key, Math.max(t, t + offset));
          }
          await clock.advance(6 * HOUR);
          expect(rec.keys().sort()).toEqual([...firstDue.keys()].sort());
          for (const run of rec.runs) expect(run.at).toBe(firstDue.get(run.key));
          const ats = rec.runs.map((r) => r.at);
          expect(ats).toEqual([...ats].sort((x, y) => x - y));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('treats a repeated key as a no-op, while pending and after done', async () => {
    const { clock, queue } = setup();
    const rec = recorder(clock);
    queue.register('invite', rec.handler);
    await queue.start();
    const due = clock.now() + MIN;
    const first = await queue.enqueue('invite', due, { rotation: 'r1' }, 'invite:r1:u1');
    const second = await queue.enqueue('invite', due + HOUR, { rotation: 'r1' }, 'invite:r1:u1');
    expect(second).toMatchObject({ created: false, status: 'pending' });
    expect(second.status === 'pending' && first.status === 'pending' && second.job.id).toBe(
      first.status === 'pending' && first.job.id,
    );

    await clock.advance(2 * HOUR);
    expect(rec.runs).toHaveLength(1);
    expect(rec.runs[0]?.at).toBe(due);

    const again = await queue.enqueue('invite', clock.now() + MIN, { rotation: 'r1' }, 'invite:r1:u1');
    expect(again).toMatchObject({ created: false, status: 'done' });
    await clock.advance(HOUR);
    expect(rec.runs).toHaveLength(1);
    expect(await queue.pending()).toEqual([]);
  });

  it('retries with exponential backoff, then succeeds', async () => {
    const { clock, queue, logger } = setup();
    let failures = 2;
    const rec = recorder(clock, () => {
      if (failures-- > 0) throw Object.assign(new Error('rate limited'), { code: 'rate_limited' });
    });
    queue.register('post', rec.handler, { retryBaseMs: 1000 });
    await queue.start();
    const t = clock.now();
    await queue.enqueue('post', t, {}, 'post:1');
    await clock.advance(10 * MIN);
    expect(rec.runs.map((r) => [r.at - t, r.attempt])).toEqual([
      [0, 1],
      [1000, 2],
      [3000, 3],
    ]);
    expect(logger.events('info').filter((e) => e === 'job.retry')).toHaveLength(2);
    expect(logger.events()).toContain('job.done');
    expect(await queue.pending()).toEqual([]);
  });

  it('caps the backoff and marks the job failed after maxAttempts, logging only safe fields', async () => {
    const { clock, queue, logger } = setup();
    const rec = recorder(clock, () => {
      throw Object.assign(new Error('secret case text in a message'), { code: 'boom' });
    });
    queue.register('post', rec.handler, { maxAttempts: 4, retryBaseMs: 1000, retryMaxMs: 2500 });
    await queue.start();
    const t = clock.now();
    const { status, ...rest } = await queue.enqueue('post', t, { note: 'CASE-TEXT-XYZ' }, 'post:2');
    expect(status).toBe('pending');
    await clock.advance(HOUR);

    expect(rec.runs.map((r) => r.at - t)).toEqual([0, 1000, 3000, 5500]);
    const failed = logger.lines.filter((l) => l.event === 'job.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.level).toBe('warn');
    expect(Object.keys(failed[0]?.fields ?? {}).sort()).toEqual(['attempt', 'code', 'job', 'jobKind']);
    expect(failed[0]?.fields).toMatchObject({
      code: 'boom',
      attempt: 4,
      jobKind: 'post',
      job: 'job' in rest ? rest.job.id : '',
    });
    expect(JSON.stringify(logger.lines)).not.toMatch(/CASE-TEXT-XYZ|secret/);
    expect(await queue.pending()).toEqual([]);
    expect(await queue.enqueue('post', clock.now(), {}, 'post:2')).toMatchObject({ created: false, status: 'failed' });
  });

  it('fails a non-retryable error at once', async () => {
    const { clock, queue, logger } = setup();
    const rec = recorder(clock, () => {
      throw new PermanentJobError('app_not_installed');
    });
    queue.register('teams-post', rec.handler);
    await queue.start();
    await queue.enqueue('teams-post', clock.now(), {}, 'tp:1');
    await clock.advance(HOUR);
    expect(rec.runs).toHaveLength(1);
    expect(logger.lines.filter((l) => l.event === 'job.failed').map((l) => l.fields)).toEqual([
      expect.objectContaining({ code: 'app_not_installed', attempt: 1 }),
    ]);
    expect(logger.events()).not.toContain('job.retry');
    expect(await queue.pending()).toEqual([]);
  });

  it('tells the kind once when it gives a job up, after the last attempt or a permanent error', async () => {
    const { clock, queue } = setup();
    const gaveUp: Array<[string, string]> = [];
    const onGiveUp = async (job: Job, error: unknown) =>
      void gaveUp.push([job.idempotencyKey, (error as { code: string }).code]);
    const rec = recorder(clock, (job) => {
      if (job.idempotencyKey === 'permanent') throw new PermanentJobError('app_not_installed');
      throw Object.assign(new Error('x'), { code: 'flaky' });
    });
    queue.register('k', rec.handler, { maxAttempts: 3, retryBaseMs: 1000, onGiveUp });
    await queue.start();
    await queue.enqueue('k', clock.now(), {}, 'permanent');
    await queue.enqueue('k', clock.now(), {}, 'flaky');
    await clock.advance(HOUR);
    expect(rec.keys().filter((k) => k === 'flaky')).toHaveLength(3);
    expect(gaveUp.sort()).toEqual([
      ['flaky', 'flaky'],
      ['permanent', 'app_not_installed'],
    ]);
  });

  it('retries a useful job by usefulness: jittered backoff capped at minutes, then job.expired and onGiveUp', async () => {
    const { clock, queue, logger } = setup();
    const gaveUp: string[] = [];
    const rec = recorder(clock, () => {
      throw Object.assign(new Error('x'), { code: 'http_503' });
    });
    const t = clock.now();
    queue.register('reminder', rec.handler, {
      maxAttempts: 3,
      usefulUntil: (job) => (job.payload as { until: number }).until,
      onGiveUp: async (job) => void gaveUp.push(job.idempotencyKey),
    });
    await queue.start();
    await queue.enqueue('reminder', t, { until: t + 2 * HOUR }, 'r:1');
    await clock.advance(3 * HOUR);
    // Far more than maxAttempts: usefulness decides, not the count.
    expect(rec.runs.length).toBeGreaterThan(20);
    const gaps = rec.runs.slice(1).map((r, i) => r.at - (rec.runs[i] as Run).at);
    expect(gaps[0]).toBeGreaterThanOrEqual(7_500);
    expect(gaps[0]).toBeLessThanOrEqual(15_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4 * MIN);
    expect(gaps.slice(-5).every((g) => g >= 2 * MIN)).toBe(true);
    expect(Math.max(...rec.runs.map((r) => r.at))).toBeLessThan(t + 2 * HOUR);
    const expired = logger.lines.filter((l) => l.event === 'job.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]?.fields).toMatchObject({ code: 'http_503', reason: 'transient', usefulUntil: t + 2 * HOUR });
    expect(logger.events()).not.toContain('job.failed');
    expect(gaveUp).toEqual(['r:1']);
    expect(await queue.pending()).toEqual([]);
  });

  it('never retries sooner than Retry-After', async () => {
    const { clock, queue } = setup();
    let failures = 2;
    const rec = recorder(clock, () => {
      if (failures-- > 0) throw Object.assign(new Error('x'), { code: 'ratelimited', retryAfterMs: 120_000 });
    });
    queue.register('post', rec.handler, { retryBaseMs: 1000 });
    queue.register('useful', rec.handler, { usefulUntil: () => clock.now() + 10 * HOUR });
    await queue.start();
    const t = clock.now();
    await queue.enqueue('post', t, {}, 'p');
    await clock.advance(HOUR);
    // Never sooner than asked; spread past it by at most a quarter of the wait.
    const gaps = rec.runs.slice(1).map((r, i) => r.at - (rec.runs[i] as Run).at);
    expect(gaps).toHaveLength(2);
    expect(gaps.every((g) => g >= 120_000 && g <= 150_000)).toBe(true);
    failures = 1;
    const u = clock.now();
    await queue.enqueue('useful', u, {}, 'u');
    await clock.advance(HOUR);
    const useful = rec.runs.filter((r) => r.key === 'u').map((r) => r.at - u);
    expect(useful).toHaveLength(2);
    expect(useful[1]).toBeGreaterThanOrEqual(120_000);
    expect(useful[1]).toBeLessThanOrEqual(150_000);
  });

  it('waits out a rate limit to its end without counting it as an attempt, and expires it when no longer useful', async () => {
    const { clock, queue, logger } = setup();
    let limited = 6;
    const rec = recorder(clock, () => {
      if (limited-- > 0) throw Object.assign(new Error('x'), { code: 'ratelimited', retryAfterMs: 90_000 });
    });
    // Two attempts only: six rate limits in a row would fail it if they counted.
    queue.register('post', rec.handler, { maxAttempts: 2 });
    await queue.start();
    const t = clock.now();
    await queue.enqueue('post', t, {}, 'p');
    await clock.advance(HOUR);
    // Each try once the wait is over, never sooner, and the seventh is delivered.
    const gaps = rec.runs.slice(1).map((r, i) => r.at - (rec.runs[i] as Run).at);
    expect(gaps).toHaveLength(6);
    expect(gaps.every((g) => g >= 90_000 && g <= 90_000 + 22_500)).toBe(true);
    expect(rec.runs.every((r) => r.attempt === 1)).toBe(true);
    const deferred = logger.lines.filter((l) => l.event === 'job.deferred');
    expect(deferred).toHaveLength(6);
    expect(deferred.every((l) => l.fields.reason === 'rate_limited' && (l.fields.delayMs ?? 0) >= 90_000)).toBe(true);
    expect(logger.events()).not.toContain('job.failed');
    expect(logger.events()).not.toContain('job.retry');

    // A wait that would end after the job's use is over gives it up, saying why.
    const u = clock.now();
    queue.register(
      'useful',
      async () => {
        throw Object.assign(new Error('x'), { code: 'rate_limit_pending', retryAfterMs: 10 * MIN });
      },
      { usefulUntil: () => u + 15 * MIN },
    );
    await queue.enqueue('useful', u, {}, 'u');
    await clock.advance(HOUR);
    expect(logger.lines.filter((l) => l.event === 'job.expired').map((l) => l.fields)).toEqual([
      expect.objectContaining({ code: 'rate_limit_pending', reason: 'rate_limited', usefulUntil: u + 15 * MIN }),
    ]);
  });

  it("pauses a job refused for the bot's own credentials without counting or failing it", async () => {
    const { clock, queue, logger } = setup();
    let refusals = 30;
    const rec = recorder(clock, () => {
      if (refusals-- > 0) throw Object.assign(new Error('x'), { code: 'invalid_auth', credentials: true });
    });
    queue.register('post', rec.handler, { maxAttempts: 3 });
    await queue.start();
    const t = clock.now();
    await queue.enqueue('post', t, {}, 'p');
    await clock.advance(HOUR);
    // One try a minute through 30 minutes of refusals, then delivered: nothing failed.
    expect(rec.runs).toHaveLength(31);
    expect(rec.runs.slice(1).every((r, i) => r.at - (rec.runs[i] as Run).at === 60_000)).toBe(true);
    expect(rec.runs.every((r) => r.attempt === 1)).toBe(true);
    expect(logger.events()).not.toContain('job.failed');
    expect(logger.events()).toContain('job.paused');
    expect(logger.events()).toContain('job.done');
  });

  it('expires a job paused for credentials once it is no longer useful, without marking it refused', async () => {
    const { clock, queue, logger } = setup();
    const rec = recorder(clock, () => {
      throw Object.assign(new Error('x'), { code: 'token_revoked', credentials: true });
    });
    const t = clock.now();
    queue.register('k', rec.handler, { usefulUntil: () => t + 10 * MIN });
    await queue.start();
    await queue.enqueue('k', t, {}, 'k');
    await clock.advance(HOUR);
    expect(rec.runs).toHaveLength(10);
    expect(logger.lines.filter((l) => l.event === 'job.expired').map((l) => l.fields)).toEqual([
      expect.objectContaining({ code: 'token_revoked', reason: 'credentials' }),
    ]);
  });

  it('re-arms pending jobs after a restart and runs each exactly once', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const first = setup({ clock, store });
    const oldRuns = recorder(clock);
    first.queue.register('k', oldRuns.handler);
    await first.queue.start();
    const t = clock.now();
    for (const [key, offset] of [
      ['x', 10],
      ['y', 20],
      ['z', 30],
    ] as const) {
      await first.queue.enqueue('k', t + offset * MIN, { n: offset }, key);
    }
    await first.queue.stop();
    expect(clock.waiting).toBe(0);

    const second = setup({ clock, store });
    const newRuns = recorder(clock);
    second.queue.register('k', newRuns.handler);
    expect(await second.queue.start()).toBe(3);
    expect(second.logger.lines.find((l) => l.event === 'jobs.loaded')?.fields.count).toBe(3);
    expect(clock.waiting).toBe(1);

    await clock.advance(HOUR);
    await first.queue.sweep(); // a stopped queue starts nothing
    await clock.advance(HOUR);
    expect(oldRuns.runs).toEqual([]);
    expect(newRuns.runs.map((r) => [r.key, r.at - t])).toEqual([
      ['x', 10 * MIN],
      ['y', 20 * MIN],
      ['z', 30 * MIN],
    ]);
  });

  it('stop waits for a handler in flight; the next process does not repeat it', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const first = setup({ clock, store });
    const g = gate();
    const oldRuns = recorder(clock, () => g.opened);
    first.queue.register('k', oldRuns.handler);
    await first.queue.start();
    await first.queue.enqueue('k', clock.now(), {}, 'busy');
    await clock.advance(0);
    expect(oldRuns.runs).toHaveLength(1);

    let stopped = false;
    const stopping = first.queue.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    g.open();
    await stopping;

    const second = setup({ clock, store });
    const newRuns = recorder(clock);
    second.queue.register('k', newRuns.handler);
    expect(await second.queue.start()).toBe(0);
    await clock.advance(HOUR);
    expect(newRuns.runs).toEqual([]);
  });

  it('runs a job that came due while down once at start-up, reporting its lateness', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const first = setup({ clock, store });
    await first.queue.enqueue('k', clock.now() + MIN, {}, 'late'); // before start: stored only
    await first.queue.stop();
    await clock.advance(10 * MIN);

    const second = setup({ clock, store });
    const rec = recorder(clock);
    second.queue.register('k', rec.handler, { staleAfterMs: HOUR });
    await second.queue.start();
    await clock.advance(0);
    await second.queue.sweep();
    await clock.advance(HOUR);
    expect(rec.runs).toEqual([{ key: 'late', at: clock.now() - HOUR, attempt: 1, lateMs: 9 * MIN }]);
    expect(second.logger.lines.find((l) => l.event === 'job.done')?.fields.lateMs).toBe(9 * MIN);
  });

  it('drops a stale job at start-up with a log line, by number or by rule', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const first = setup({ clock, store });
    const t = clock.now();
    await first.queue.enqueue('reminder', t + HOUR, { session: 's1' }, 'rem:s1');
    await first.queue.enqueue('ruled', t + HOUR, { startsAt: t + 2 * HOUR }, 'ruled:s1');
    await first.queue.enqueue('deadline', t + HOUR, {}, 'dl:s1');
    await clock.advanceTo(t + 4 * HOUR);

    const second = setup({ clock, store });
    const reminders = recorder(clock);
    const ruled = recorder(clock);
    const deadlines = recorder(clock);
    second.queue.register('reminder', reminders.handler, { staleAfterMs: 30 * MIN });
    const rule: HandlerOptions['staleAfterMs'] = (job) => clock.now() > (job.payload as { startsAt: number }).startsAt;
    second.queue.register('ruled', ruled.handler, { staleAfterMs: rule });
    second.queue.register('deadline', deadlines.handler);
    await second.queue.start();
    await clock.advance(MIN);

    expect(reminders.runs).toEqual([]);
    expect(ruled.runs).toEqual([]);
    expect(deadlines.keys()).toEqual(['dl:s1']);
    const stale = second.logger.lines.filter((l) => l.event === 'job.stale');
    expect(stale.map((l) => l.fields.jobKind).sort()).toEqual(['reminder', 'ruled']);
    expect(stale[0]?.fields.lateMs).toBe(3 * HOUR);
    expect(await second.queue.pending()).toEqual([]);
    expect(await second.queue.enqueue('reminder', clock.now(), {}, 'rem:s1')).toMatchObject({ status: 'dropped' });
  });

  it('cancels and reschedules pending jobs', async () => {
    const { clock, queue } = setup();
    const rec = recorder(clock);
    queue.register('k', rec.handler);
    await queue.start();
    const t = clock.now();
    await queue.enqueue('k', t + 10 * MIN, {}, 'cancelled');
    await queue.enqueue('k', t + 20 * MIN, {}, 'later');
    await queue.enqueue('k', t + 30 * MIN, {}, 'sooner');
    expect(await queue.cancel('cancelled')).toBe(true);
    expect(await queue.cancel('never-existed')).toBe(false);
    expect(await queue.reschedule('later', t + 40 * MIN)).toBe(true);
    expect(await queue.reschedule('sooner', t + 5 * MIN)).toBe(true);
    expect(await queue.reschedule('never-existed', t)).toBe(false);
    expect((await queue.pending()).map((j) => [j.idempotencyKey, j.dueAt - t])).toEqual([
      ['sooner', 5 * MIN],
      ['later', 40 * MIN],
    ]);
    expect(clock.waiting).toBe(1);

    await clock.advance(HOUR);
    expect(rec.runs.map((r) => [r.key, r.at - t])).toEqual([
      ['sooner', 5 * MIN],
      ['later', 40 * MIN],
    ]);
    // A cancelled key was never done, so it may be enqueued afresh.
    expect(await queue.enqueue('k', clock.now(), {}, 'cancelled')).toMatchObject({ created: true });
  });

  it('sweep runs a job whose timer was lost', async () => {
    const clock = new FakeClock();
    const { queue } = setup({ clock, clockPort: new LostTimerClock(clock) });
    const rec = recorder(clock);
    queue.register('k', rec.handler);
    await queue.start();
    const due = clock.now() + MIN;
    await queue.enqueue('k', due, {}, 'missed');
    await clock.advance(2 * MIN);
    expect(rec.runs).toEqual([]);
    expect(queue.sweep()).toBe(1);
    await settle();
    expect(rec.runs).toEqual([{ key: 'missed', at: due + MIN, attempt: 1, lateMs: MIN }]);
    expect(queue.sweep()).toBe(0);
  });

  it('never runs a job twice when sweep and the timer overlap', async () => {
    const { clock, queue } = setup();
    const g = gate();
    const rec = recorder(clock, () => g.opened);
    queue.register('k', rec.handler);
    await queue.start();
    await queue.enqueue('k', clock.now() + MIN, {}, 'once');
    await clock.advance(MIN); // the timer starts it; the handler is still running
    expect(rec.runs).toHaveLength(1);
    expect(queue.sweep()).toBe(0);
    expect(await queue.enqueue('k', clock.now(), {}, 'once')).toMatchObject({ created: false, status: 'pending' });
    expect(await queue.reschedule('once', clock.now())).toBe(false);
    await clock.advance(MIN);
    g.open();
    await queue.idle();
    expect(queue.sweep()).toBe(0);
    await clock.advance(HOUR);
    expect(rec.runs).toHaveLength(1);
    expect(await queue.pending()).toEqual([]);
  });

  it('holds a re-enqueued key until its running attempt has finished', async () => {
    const { clock, queue } = setup();
    const g = gate();
    let inFlight = 0;
    let peak = 0;
    const rec = recorder(clock, async () => {
      const firstRun = rec.runs.length === 1;
      peak = Math.max(peak, ++inFlight);
      if (firstRun) await g.opened;
      inFlight--;
      if (firstRun) throw Object.assign(new Error('x'), { code: 'flaky' }); // cancelled, so not retried
    });
    queue.register('k', rec.handler);
    await queue.start();
    await queue.enqueue('k', clock.now(), {}, 'key');
    await clock.advance(0);
    expect(await queue.cancel('key')).toBe(true);
    expect(await queue.enqueue('k', clock.now(), {}, 'key')).toMatchObject({ created: true });
    await clock.advance(MIN);
    expect(rec.runs).toHaveLength(1); // the new job waits for the old attempt
    g.open();
    await clock.advance(MIN);
    expect(rec.runs).toHaveLength(2);
    expect(peak).toBe(1);
    expect(await queue.pending()).toEqual([]);
  });

  it('runs a job enqueued afresh after its key was cancelled mid-run, even when the old run succeeds', async () => {
    const { clock, queue } = setup();
    const g = gate();
    const rec = recorder(clock, async () => {
      if (rec.runs.length === 1) await g.opened;
    });
    queue.register('k', rec.handler, { staleAfterMs: () => false });
    await queue.start();
    await queue.enqueue('k', clock.now(), {}, 'key');
    await clock.advance(0);
    expect(await queue.cancel('key')).toBe(true);
    expect(await queue.enqueue('k', clock.now(), {}, 'key')).toMatchObject({ created: true });
    g.open();
    await clock.advance(MIN);
    // The old run's "done" belongs to the old job: the new one still runs, once.
    expect(rec.runs).toHaveLength(2);
    expect(await queue.pending()).toEqual([]);
    expect(await queue.enqueue('k', clock.now(), {}, 'key')).toMatchObject({ created: false, status: 'done' });
  });

  it('keeps what changed while start() or resync() read the store', async () => {
    // A store whose scan is a snapshot taken first, handed out only once `scanned` opens: every
    // change made meanwhile is one the scan cannot show.
    class SnapshotScanStore extends KeyvStore {
      gate = gate();
      override async *entries<T>(namespace: string): AsyncIterable<[string, T]> {
        const rows: Array<[string, T]> = [];
        for await (const row of super.entries<T>(namespace)) rows.push(row);
        if (namespace === 'jobs') await this.gate.opened;
        yield* rows;
      }
    }
    const store = new SnapshotScanStore();
    const { clock, queue } = setup({ store });
    const rec = recorder(clock);
    queue.register('k', rec.handler);
    await queue.enqueue('k', clock.now() + MIN, {}, 'moved');
    const starting = queue.start();
    await settle();
    await queue.enqueue('k', clock.now() + MIN, {}, 'new-during-start');
    await queue.reschedule('moved', clock.now() + 50 * MIN);
    store.gate.open();
    await starting;
    await clock.advance(2 * MIN);
    expect(rec.keys()).toEqual(['new-during-start']);
    await clock.advance(50 * MIN);
    expect(rec.keys()).toEqual(['new-during-start', 'moved']);

    store.gate = gate();
    await queue.enqueue('k', clock.now() + 10 * MIN, {}, 'before-resync');
    const resyncing = queue.resync();
    await settle();
    await queue.enqueue('k', clock.now() + MIN, {}, 'new-during-resync');
    await queue.reschedule('before-resync', clock.now() + 30 * MIN);
    store.gate.open();
    await resyncing;
    await clock.advance(2 * MIN);
    expect(rec.keys().slice(2)).toEqual(['new-during-resync']);
    await clock.advance(30 * MIN);
    expect(rec.keys().slice(2)).toEqual(['new-during-resync', 'before-resync']);
  });

  it('bounds concurrency per kind so a fan-out cannot starve a deadline', async () => {
    const { clock, queue } = setup({ maxConcurrent: 8 });
    const g = gate();
    let inFlight = 0;
    let peak = 0;
    const invites = recorder(clock, async () => {
      peak = Math.max(peak, ++inFlight);
      await g.opened;
      inFlight--;
    });
    const deadlines = recorder(clock);
    queue.register('invite', invites.handler);
    queue.register('deadline', deadlines.handler);
    await queue.start();
    const t = clock.now();
    for (let i = 0; i < 50; i++) await queue.enqueue('invite', t, { i }, `invite:${i}`);
    await queue.enqueue('deadline', t + 1000, {}, 'deadline:s1');

    await clock.advance(1000);
    expect(deadlines.runs.map((r) => r.at - t)).toEqual([1000]);
    expect(invites.runs).toHaveLength(4);
    g.open();
    await clock.advance(MIN);
    expect(new Set(invites.keys()).size).toBe(50);
    expect(peak).toBe(4);
  });

  it('lets a handler enqueue further jobs', async () => {
    const { clock, queue } = setup();
    const t = clock.now();
    const followUps = recorder(clock);
    const first = recorder(clock, async (job) => {
      await queue.enqueue('follow-up', clock.now() + 5 * MIN, { from: job.id }, `follow:${job.idempotencyKey}`);
      await queue.enqueue('first', clock.now(), {}, job.idempotencyKey); // its own key: still pending, a no-op
    });
    queue.register('first', first.handler);
    queue.register('follow-up', followUps.handler);
    await queue.start();
    await queue.enqueue('first', t + MIN, {}, 'start');
    await clock.advance(HOUR);
    expect(first.runs).toHaveLength(1);
    expect(followUps.runs.map((r) => [r.key, r.at - t])).toEqual([['follow:start', 6 * MIN]]);
  });

  it('leaves jobs of an unregistered kind in the store for the next start', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const first = setup({ clock, store });
    await first.queue.start();
    await first.queue.enqueue('unknown', clock.now(), {}, 'u1');
    await clock.advance(MIN);
    expect(first.logger.events('warn')).toContain('job.no-handler');
    await first.queue.stop();

    const second = setup({ clock, store });
    const rec = recorder(clock);
    second.queue.register('unknown', rec.handler);
    await second.queue.start();
    await clock.advance(0);
    expect(rec.keys()).toEqual(['u1']);
  });

  it('does not repeat a job whose process crashed after marking it done but before removing it', async () => {
    const clock = new FakeClock();
    const store = new KeyvStore();
    const job: Job = {
      id: 'j1',
      kind: 'k',
      dueAt: clock.now() - MIN,
      payload: {},
      idempotencyKey: 'sent',
      attempts: 1,
    };
    await store.set('jobs', 'sent', job);
    await store.set('jobs-done', 'sent', { id: 'j1', kind: 'k', outcome: 'done', at: clock.now() - MIN, attempts: 1 });
    const { queue } = setup({ clock, store });
    const rec = recorder(clock);
    queue.register('k', rec.handler);
    expect(await queue.start()).toBe(1);
    await clock.advance(MIN);
    expect(rec.runs).toEqual([]);
    expect(await queue.pending()).toEqual([]);
  });

  it('rejects payloads that are not small', async () => {
    const { clock, queue } = setup();
    await expect(queue.enqueue('k', clock.now(), { blob: 'x'.repeat(5000) }, 'big')).rejects.toThrow(RangeError);
    expect(await queue.pending()).toEqual([]);
  });
});

describe('finished keys', () => {
  it('are not kept for a kind that says so, and are pruned after the retention', async () => {
    const store = new KeyvStore();
    const clock = new FakeClock(0);
    const queue = new JobQueue({ store, clock, logger: silentLogger, finishedRetentionMs: 10 * 24 * 3600_000 });
    const ran: string[] = [];
    queue.register('tick', async (job) => void ran.push(job.idempotencyKey), { rememberFinished: false });
    queue.register('notice', async (job) => void ran.push(job.idempotencyKey));
    await queue.start();
    await queue.enqueue('tick', 1_000, {}, 'tick:1');
    await queue.enqueue('notice', 1_000, {}, 'notice:1');
    await clock.advance(2_000);
    expect(ran.sort()).toEqual(['notice:1', 'tick:1']);
    expect(await store.get('jobs-done', 'tick:1')).toBeUndefined();
    expect(await store.get('jobs-done', 'notice:1')).toMatchObject({ outcome: 'done' });
    // A remembered key stops a repeat; after the retention it is forgotten.
    expect((await queue.enqueue('notice', 3_000, {}, 'notice:1')).created).toBe(false);
    await clock.advance(11 * 24 * 3600_000);
    expect(await queue.pruneFinished()).toBe(1);
    expect(await store.get('jobs-done', 'notice:1')).toBeUndefined();
    await queue.stop();
  });
});
