// A clock that runs N times faster than the wall clock: simulated time is
// origin + (real now − origin) × speed. The terminal chat (BALINT_CLOCK_SPEED) takes the real
// time at start-up as its origin. A test server (BALINT_TEST_CLOCK_SPEED) is handed a fixed
// origin instead, so a process restarted mid-trial continues the same time line rather than
// jumping back to "real now" (persisted deadlines would then seem far off, or events in the future).
import type { Clock } from '../../core/ports.js';
import { scheduleAt } from './system-clock.js';

export function scaledClock(speed: number, realNow: () => number = Date.now, origin: number = realNow()): Clock {
  const now = () => origin + (realNow() - origin) * speed;
  return { now, at: (time, fn) => scheduleAt(now, time, fn, speed) };
}
