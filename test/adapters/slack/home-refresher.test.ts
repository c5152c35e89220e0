// The Home refresher's arithmetic, on fake timers: a burst of changes for one person is one
// views.publish, people with no Home open get none, and a workspace's publishes keep within
// the per-minute budget (views.publish is Tier 4, about 100 a minute) without dropping any.
import { describe, expect, it } from 'vitest';
import {
  HOME_DEBOUNCE_MS,
  HOME_PUBLISHES_PER_MINUTE,
  HomeRefresher,
  type RefresherTimers,
} from '../../../src/adapters/slack/home-refresher.js';

class FakeTimers implements RefresherTimers {
  private time = 0;
  private queue: Array<{ at: number; fn: () => void; live: boolean }> = [];
  now = () => this.time;
  after(ms: number, fn: () => void) {
    const entry = { at: this.time + ms, fn, live: true };
    this.queue.push(entry);
    return () => void (entry.live = false);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      if (next.live) next.fn();
    }
    this.time = end;
  }
}

function setUp() {
  const timers = new FakeTimers();
  const published: Array<{ user: string; at: number }> = [];
  const homes = new HomeRefresher(
    async (_team, user) => void published.push({ user, at: timers.now() }),
    HOME_DEBOUNCE_MS,
    timers,
  );
  return { timers, published, homes };
}

describe('HomeRefresher', () => {
  it('publishes once for a burst of changes, and only for people with a Home open', () => {
    const { timers, published, homes } = setUp();
    homes.opened('slack:T0001:U0001');
    for (let i = 0; i < 5; i++) homes.touch('slack:T0001:U0001');
    homes.touch('slack:T0001:U0002');
    timers.advance(HOME_DEBOUNCE_MS);
    expect(published).toEqual([{ user: 'U0001', at: HOME_DEBOUNCE_MS }]);
    homes.touch('slack:T0001:U0001');
    timers.advance(HOME_DEBOUNCE_MS);
    expect(published).toHaveLength(2);
  });

  it('spreads 300 Homes of one workspace over minutes within the budget, dropping none', () => {
    const { timers, published, homes } = setUp();
    const people = Array.from({ length: 300 }, (_, i) => `slack:T0001:U${String(i).padStart(4, '0')}`);
    for (const person of people) homes.opened(person);
    for (const person of people) homes.touch(person);
    // Touched again while waiting: still one publish each.
    for (const person of people.slice(0, 50)) homes.touch(person);
    timers.advance(10 * 60_000);
    expect(published).toHaveLength(300);
    expect(new Set(published.map((p) => p.user)).size).toBe(300);
    // In any minute-long window, at most the budget (plus the burst the bucket starts with).
    const burst = Math.floor(HOME_PUBLISHES_PER_MINUTE / 10);
    const times = published.map((p) => p.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 60_000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(HOME_PUBLISHES_PER_MINUTE + burst);
    expect(HOME_PUBLISHES_PER_MINUTE + burst).toBeLessThan(100);
    // And not slower than the budget allows: 300 at 80 a minute take under four minutes.
    expect((times.at(-1) as number) - (times[0] as number)).toBeLessThan(4 * 60_000);
  });

  it('keeps each workspace its own budget', () => {
    const { timers, published, homes } = setUp();
    const a = Array.from({ length: 100 }, (_, i) => `slack:TA:U${i}`);
    const b = Array.from({ length: 5 }, (_, i) => `slack:TB:U${i}`);
    for (const person of [...a, ...b]) homes.opened(person);
    for (const person of [...a, ...b]) homes.touch(person);
    timers.advance(HOME_DEBOUNCE_MS);
    // Workspace B's five are not held behind A's hundred.
    expect(published.filter((p) => p.at === HOME_DEBOUNCE_MS && /^U[0-4]$/.test(p.user)).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('forgets the pending publishes on a clean stop', () => {
    const { timers, published, homes } = setUp();
    homes.opened('slack:T0001:U0001');
    homes.touch('slack:T0001:U0001');
    homes.stop();
    timers.advance(60_000);
    expect(published).toEqual([]);
  });
});
