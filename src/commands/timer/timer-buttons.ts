// The timer card's buttons: Next phase, Pause/Resume, +2 min, End.
import { notFound } from '../../core/plumbing/errors.js';
import { parseExtendValue, TIMER_ACTIONS } from '../../core/timer/cards.js';
import type { Steer } from '../../core/timer/service.js';
import type { ButtonPress, ButtonSpec } from '../plumbing/button-spec.js';
import { assertMaySteer } from './timer-access.js';

const TIMER_ID = /^tmr_[0-9a-f]{16}$/;

function readPress(press: ButtonPress): { timerId: string; command: Steer } | undefined {
  if (press.actionId === TIMER_ACTIONS.extend) {
    const parsed = parseExtendValue(press.value);
    return parsed ? { timerId: parsed.timerId, command: { kind: 'extend', minutes: parsed.minutes } } : undefined;
  }
  const simple: Record<string, Steer> = {
    [TIMER_ACTIONS.next]: { kind: 'next' },
    [TIMER_ACTIONS.pause]: { kind: 'pause' },
    [TIMER_ACTIONS.resume]: { kind: 'resume' },
    [TIMER_ACTIONS.end]: { kind: 'end' },
  };
  const command = simple[press.actionId];
  return command ? { timerId: press.value, command } : undefined;
}

export const timerButtons: ButtonSpec = {
  actionIds: Object.values(TIMER_ACTIONS),
  async handle(services, press) {
    const read = readPress(press);
    if (!read || !TIMER_ID.test(read.timerId)) throw notFound('That button no longer does anything.');
    const timer = await services.timers.get(read.timerId);
    if (!timer || timer.place !== press.place) throw notFound('That session is over.');
    assertMaySteer(await services.roster.access(press.actor), timer.groupId);
    await services.timers.steerTimer(timer.id, read.command);
    return [];
  },
};
