// A clock that runs N times faster than the wall clock, for watching a whole session in the
// terminal chat (BALINT_CLOCK_SPEED). It starts at the real time and only runs ahead.
import type { Clock } from '../../core/ports.js';
import { scheduleAt } from './system-clock.js';

export function scaledClock(speed: number, realNow: () => number = Date.now): Clock {
  const origin = realNow();
  const now = () => origin + (realNow() - origin) * speed;
  return { now, at: (time, fn) => scheduleAt(now, time, fn, speed) };
}
