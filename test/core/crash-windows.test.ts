// The crash windows the crash-restart test (test/e2e/crash-restart.test.ts) found, replayed
// exactly on the fake clock: the process "dies" at one chosen write (every write after it
// fails until the restart), then a new bot starts over the same store.
// - a running timer's next tick must be stored before the previous one is cancelled, and a new
//   timer's first tick before the timer itself;
// - a student queued for an invite whose job was never stored must still be invited, once;
// - a job dropped as stale must have its log line even if the process dies right after;
// - a reminder the queue found still useful is sent, even when its session starts while the
//   attempt is under way (a restart that dies mid fan-out, then a slow claim);
// - a schedule, move or cancel that dies after its change is stored is finished by its
//   follow-up job after the restart: reminders armed, notices sent once, a series cancelled whole.
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/adapters/store/keyv-store.js';
import type { Change, Store } from '../../src/core/ports.js';
import type { Group } from '../../src/core/model.js';
import { createHarness, dumpStore, type Harness } from '../support/harness.js';
import { cohortGroup, fivePm, invites, rotationCsv, sessionOn } from './rotations/cohort.js';

type Op = 'set' | 'delete' | 'update';
type Match = (op: Op, namespace: string, key: string) => boolean;

/** A store that dies at the write `match` picks: before it, or just after it went through. */
class CrashingStore implements Store {
  private trap: { match: Match; when: 'before' | 'after' } | undefined;
  private slow: { match: Match; pass: () => void } | undefined;
  dead = false;
  tripped = 0;

  constructor(private readonly inner: Store = new KeyvStore()) {}

  crashAt(match: Match, when: 'before' | 'after'): void {
    this.trap = { match, when };
  }

  /** Every write `match` picks runs `pass` first: time moves on while the write is slow. */
  slowAt(match: Match, pass: () => void): void {
    this.slow = { match, pass };
  }

  revive(): void {
    this.dead = false;
  }

  get<T>(namespace: string, key: string): Promise<T | undefined> {
    return this.inner.get<T>(namespace, key);
  }

  async set<T>(namespace: string, key: string, value: T): Promise<void> {
    await this.write('set', namespace, key, () => this.inner.set(namespace, key, value));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.write('delete', namespace, key, () => this.inner.delete(namespace, key));
  }

  async update<T>(namespace: string, key: string, change: Change<T>): Promise<T | undefined> {
    return this.write('update', namespace, key, () => this.inner.update(namespace, key, change));
  }

  entries<T>(namespace: string): AsyncIterable<[string, T]> {
    return this.inner.entries<T>(namespace);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async write<T>(op: Op, namespace: string, key: string, run: () => Promise<T>): Promise<T> {
    if (this.dead) throw Object.assign(new Error('process is dead'), { code: 'dead' });
    if (this.slow?.match(op, namespace, key)) this.slow.pass();
    const hit = this.trap?.match(op, namespace, key) ? this.trap : undefined;
    if (hit) {
      this.trap = undefined;
      this.tripped++;
      if (hit.when === 'before') {
        this.dead = true;
        throw Object.assign(new Error('crashed'), { code: 'crashed' });
      }
    }
    const result = await run();
    if (hit) {
      this.dead = true;
      throw Object.assign(new Error('crashed'), { code: 'crashed' });
    }
    return result;
  }
}

const MINUTE = 60_000;

/** The process died with the store: a new bot starts over the same store once it answers again. */
async function restartAfterDeath(h: Harness, store: CrashingStore): Promise<void> {
  await h.crash();
  store.revive();
  await h.restart();
}

/** A group with a leader, ready to start its timer. */
async function timerGroup(store: CrashingStore): Promise<Harness> {
  const h = createHarness(['console:coord'], undefined, { store });
  await h.start();
  await h.say('coord', 'group create Timer Group preset 45');
  await h.say('coord', 'group add Timer Group @lee as leader');
  // Strict pacing: after the case call, the phases end on the clock, driven by the ticks.
  await h.say('coord', 'group set Timer Group pacing strict');
  return h;
}

const isLiveCard = (s: { card: { blocks: Array<{ type: string }> } }) =>
  s.card.blocks.some((b) => b.type === 'actions');
/** The opening and the announcements (not the live card re-posted under them). */
const headings = (h: Harness) =>
  h.chat.sent.filter((s) => s.kind === 'post' && !isLiveCard(s)).map((s) => s.text.split('\n')[0]);
const cardHeadings = (h: Harness) =>
  h.chat.sent.filter((s) => s.kind === 'post' && isLiveCard(s)).map((s) => s.text.split('\n')[0]);

describe('crash windows, replayed', () => {
  it('a crash while a tick arms the next one never leaves a running timer without a tick', async () => {
    const store = new CrashingStore();
    const h = await timerGroup(store);
    await h.say('lee', 'start Timer Group');
    await h.say('lee', 'next'); // we have a case
    // The first refresh tick dies as it stores the tick after it.
    store.crashAt((op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('timer:'), 'before');
    await h.clock.advance(MINUTE + 1_000);
    expect(store.tripped).toBe(1);
    await restartAfterDeath(h, store);
    await h.clock.advance(7 * MINUTE);
    const posts = headings(h);
    expect(posts.filter((t) => t?.includes('Presentation') && !t.includes('·'))).toHaveLength(1);
    expect(posts.filter((t) => t?.includes('Clarifying questions'))).toHaveLength(1);
  });

  it('a crash just after a timer is stored, before its opening post, still leaves it a tick', async () => {
    const store = new CrashingStore();
    const h = await timerGroup(store);
    store.crashAt((op, ns) => op === 'set' && ns === 'timers', 'after');
    await h.run('lee', 'start Timer Group').catch(() => undefined);
    expect(store.tripped).toBe(1);
    await restartAfterDeath(h, store);
    await h.clock.advance(7 * MINUTE);
    // Nobody saw the opening, but the session runs: its card, waiting in the case call.
    expect(cardHeadings(h)).toEqual(['Case call']);
    expect(h.chat.sent.filter((s) => s.kind === 'update').at(-1)?.text).toContain('min of silence');
  });

  it('a crash between queuing an invite and storing its job still invites the student, once', async () => {
    const store = new CrashingStore();
    const h = createHarness(['console:coord'], undefined, { store });
    await h.start();
    await cohortGroup(h);
    await sessionOn(h, '2027-03-10');
    await h.services.rotations.importRotations(
      rotationCsv([{ student: 'console:s01', name: 'Surgery', start: '2027-02-01', end: '2027-03-05' }]),
    );
    store.crashAt((op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('rotinvite:'), 'before');
    await h.clock.advanceTo(fivePm('2027-03-05') + MINUTE);
    expect(store.tripped).toBe(1);
    expect(invites(h)).toHaveLength(0);
    await restartAfterDeath(h, store);
    await h.clock.advance(60 * MINUTE);
    await h.restart();
    await h.clock.advance(60 * MINUTE);
    expect(invites(h).map((s) => s.user)).toEqual(['console:s01']);
  });

  it('a reminder dropped as stale is logged even when the process dies right after recording it', async () => {
    const store = new CrashingStore();
    const h = createHarness(['console:coord'], undefined, { store });
    await h.start();
    await h.say('coord', 'group create Reminder Group');
    await h.say('coord', 'group add Reminder Group @ann');
    const group = (await h.services.roster.findGroup('Reminder Group'))!;
    const [session] = await h.services.schedule.schedule(group, {
      date: '2027-01-18',
      time: '16:00',
      minutes: 60,
      mode: 'in-person',
    });
    // Down from before the 24-hour reminder until after the 1-hour one came due: it is stale.
    await h.crash();
    await h.clock.advanceTo(session!.start - 30 * MINUTE);
    store.crashAt((op, ns, key) => ns === 'jobs-done' && key.includes(':1440'), 'after');
    await h.restart();
    await h.clock.advance(1_000);
    expect(store.tripped).toBe(1);
    const stale = h.logs.lines
      .map((l) => JSON.parse(l) as { event: string; jobKind?: string })
      .filter((l) => l.event === 'job.stale');
    expect(stale.map((l) => l.jobKind)).toEqual(['schedule.remind']);
  });

  it('a reminder found useful at its attempt is sent even if the session starts during the attempt', async () => {
    const store = new CrashingStore();
    const h = createHarness(['console:coord'], undefined, { store });
    await h.start();
    await h.say('coord', 'group create Reminder Group');
    await h.say('coord', 'group add Reminder Group @ann @bob');
    const group = (await h.services.roster.findGroup('Reminder Group'))!;
    const [session] = await h.services.schedule.schedule(group, {
      date: '2027-01-18',
      time: '16:00',
      minutes: 60,
      mode: 'in-person',
    });
    const start = session!.start;
    // The 1-hour fan-out dies after storing the first member's reminder, not the second's.
    store.crashAt(
      (op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('reminder:') && key.endsWith(':60:console:ann'),
      'after',
    );
    await h.clock.advanceTo(start - 60 * MINUTE);
    expect(store.tripped).toBe(1);
    await h.crash();
    // Back one second before the start: both reminders are still useful (the policy's bound is
    // the start). Each claim is slow enough that the session begins while it is written.
    await h.clock.advanceTo(start - 1_000);
    store.revive();
    store.slowAt(
      (op, ns) => op === 'update' && ns === 'jobs',
      () => h.clock.pass(2_000),
    );
    await h.restart();
    await h.clock.advance(1_000);
    // Ann's reminder was stored before the crash and found useful when its attempt began: sent.
    const lastHour = h.chat.sent.filter((s) => s.kind === 'direct' && (s.at ?? 0) >= start - 60 * MINUTE);
    expect(lastHour.map((s) => s.user)).toEqual(['console:ann']);
    expect(lastHour[0]?.text.startsWith('Balint session: Reminder Group')).toBe(true);
    // Bob's was stored by the fan-out's second run and came to run after the start: dropped as
    // stale, with its log line. Nothing is marked done without having been sent.
    const key = (user: string) => `reminder:${session!.id}:${session!.sequence}:60:console:${user}`;
    const finished = async (user: string) => store.get<{ id: string; outcome: string }>('jobs-done', key(user));
    expect((await finished('ann'))?.outcome).toBe('done');
    const bob = await finished('bob');
    expect(bob?.outcome).toBe('dropped');
    const stale = h.logs.lines
      .map((l) => JSON.parse(l) as { event: string; job?: string })
      .filter((l) => l.event === 'job.stale');
    expect(stale.map((l) => l.job)).toContain(bob?.id);
    expect(await h.jobs.pending()).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ kind: 'schedule.reminder' })]),
    );
  });

  describe('a schedule change that dies after it is stored is finished after the restart', () => {
    const planned = async (store: CrashingStore) => {
      const h = createHarness(['console:coord'], undefined, { store });
      await h.start();
      await h.say('coord', 'group create Change Group');
      await h.say('coord', 'group add Change Group @ann');
      const group = (await h.services.roster.findGroup('Change Group')) as Group;
      return { h, group };
    };
    const dms = (h: Harness, heading: string) =>
      h.chat.sent.filter((s) => s.kind === 'direct' && s.user === 'console:ann' && s.text.startsWith(heading));
    const plan = { date: '2027-01-18', time: '16:00', minutes: 60, mode: 'in-person' as const };

    it('scheduled: the reminders are armed', async () => {
      const store = new CrashingStore();
      const { h, group } = await planned(store);
      store.crashAt((op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('remind:'), 'before');
      await expect(h.services.schedule.schedule(group, plan)).rejects.toThrow();
      await restartAfterDeath(h, store);
      const [session] = await h.services.schedule.upcoming(group.id);
      expect(session).toBeDefined();
      await h.clock.advanceTo(session!.start);
      expect(dms(h, 'Balint session: Change Group').map((s) => session!.start - (s.at ?? 0))).toEqual([
        24 * 60 * MINUTE,
        60 * MINUTE,
      ]);
    });

    it('dying before anything is stored leaves the store as it was', async () => {
      const inner = new KeyvStore();
      const store = new CrashingStore(inner);
      const { h, group } = await planned(store);
      const before = await dumpStore(inner);
      store.crashAt((op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('follow-up:'), 'before');
      await expect(
        h.services.schedule.schedule(group, { ...plan, rule: { every: 'week', count: 3 } }),
      ).rejects.toThrow();
      expect(await dumpStore(inner)).toBe(before);
    });

    it('moved: the notice goes out once and the reminders follow the new time', async () => {
      const store = new CrashingStore();
      const { h, group } = await planned(store);
      const [session] = await h.services.schedule.schedule(group, plan);
      store.crashAt((op, ns, key) => op === 'set' && ns === 'jobs' && key.startsWith('notice:'), 'before');
      await expect(h.services.schedule.move(session!, group, '2027-01-19', '16:00')).rejects.toThrow();
      await restartAfterDeath(h, store);
      const moved = (await h.services.schedule.get(session!.id))!;
      await h.clock.advanceTo(moved.start);
      expect(dms(h, 'Session moved: Change Group')).toHaveLength(1);
      expect(dms(h, 'Balint session: Change Group').map((s) => moved.start - (s.at ?? 0))).toEqual([
        24 * 60 * MINUTE,
        60 * MINUTE,
      ]);
    });

    it('cancelled with the rest of its series: every later session goes, and one notice says how many', async () => {
      const store = new CrashingStore();
      const { h, group } = await planned(store);
      const series = await h.services.schedule.schedule(group, { ...plan, rule: { every: 'week', count: 3 } });
      // Dies as it cancels the second of three.
      store.crashAt((op, ns, key) => op === 'update' && ns === 'sessions' && key === series[1]!.id, 'before');
      await expect(h.services.schedule.cancel(series[0]!, group, true)).rejects.toThrow();
      await restartAfterDeath(h, store);
      await h.clock.advance(2 * MINUTE);
      expect(await h.services.schedule.upcoming(group.id)).toEqual([]);
      expect(dms(h, 'Sessions cancelled: Change Group')).toHaveLength(1);
      expect(dms(h, 'Sessions cancelled: Change Group')[0]?.text).toContain('3');
      await h.clock.advanceTo(series[2]!.start);
      expect(dms(h, 'Balint session: Change Group')).toEqual([]);
    });
  });
});
