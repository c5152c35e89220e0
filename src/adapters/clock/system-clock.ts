// The real clock. setTimeout cannot wait longer than about 24.8 days, so long waits are
// chained; a callback never runs early.
import type { Cancel, Clock } from '../../core/ports.js';

const MAX_TIMEOUT = 2_147_483_647;

export function scheduleAt(now: () => number, time: number, fn: () => void, scale = 1): Cancel {
  let handle: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = (time - now()) / scale;
    if (wait <= 0) return fn();
    handle = setTimeout(arm, Math.min(Math.ceil(wait), MAX_TIMEOUT));
  };
  arm();
  return () => clearTimeout(handle);
}

export const systemClock: Clock = {
  now: () => Date.now(),
  at: (time, fn) => scheduleAt(() => Date.now(), time, fn),
};
