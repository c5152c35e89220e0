// A clock tests move by hand. `advance` runs every due callback in time order, including
// ones scheduled by callbacks along the way, and lets their promises settle between steps.
import type { Cancel, Clock } from '../../src/core/ports.js';

interface Pending {
  time: number;
  seq: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private pending: Pending[] = [];
  private seq = 0;

  constructor(private current = Date.UTC(2027, 0, 15, 15, 0, 0)) {}

  now(): number {
    return this.current;
  }

  at(time: number, fn: () => void): Cancel {
    const entry = { time, seq: this.seq++, fn };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Number of callbacks waiting. */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Time moves on while the code under test is busy (a slow disk, a cold start): nothing fires
   * until the next `advance`, as a real timer cannot fire in the middle of running code.
   */
  pass(ms: number): void {
    this.current += ms;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle();
      const due = this.pending.filter((p) => p.time <= target).sort((a, b) => a.time - b.time || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.time);
      due.fn();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }
}

/** Let queued promise callbacks (and a few rounds of I/O-free async work) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
