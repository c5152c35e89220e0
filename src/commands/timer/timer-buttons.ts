// The timer card's buttons: Next phase (We have a case), Pause/Resume, +2 min, End.
// Each carries the timer and the step its card was drawn at; the service refuses a press whose
// step has passed, so a double click or a redelivered press changes the timer once.
import { notFound } from '../../core/plumbing/errors.js';
import { parsePressValue, TIMER_ACTIONS } from '../../core/timer/cards.js';
import type { Steer } from '../../core/timer/service.js';
import type { ButtonPress, ButtonSpec } from '../plumbing/button-spec.js';
import { assertMayEnd, assertMaySteer } from './timer-access.js';

const TIMER_ID = /^tmr_[0-9a-f]{16}$/;

function readPress(
  press: ButtonPress,
): { timerId: string; command: Steer; step?: { phaseIndex: number; events: number } } | undefined {
  const extend = press.actionId === TIMER_ACTIONS.extend;
  const value = parsePressValue(press.value, extend);
  if (!value) return undefined;
  const step = value.step ? { step: value.step } : {};
  if (extend) {
    return value.minutes === undefined
      ? undefined
      : { timerId: value.timerId, command: { kind: 'extend', minutes: value.minutes }, ...step };
  }
  const simple: Record<string, Steer> = {
    [TIMER_ACTIONS.next]: { kind: 'next' },
    [TIMER_ACTIONS.pause]: { kind: 'pause' },
    [TIMER_ACTIONS.resume]: { kind: 'resume' },
    [TIMER_ACTIONS.end]: { kind: 'end' },
  };
  const command = simple[press.actionId];
  return command ? { timerId: value.timerId, command, ...step } : undefined;
}

export const timerButtons: ButtonSpec = {
  actionIds: Object.values(TIMER_ACTIONS),
  async handle(services, press) {
    const read = readPress(press);
    if (!read || !TIMER_ID.test(read.timerId)) throw notFound('That button no longer does anything.');
    const timer = await services.timers.get(read.timerId);
    if (!timer || timer.place !== press.place) throw notFound('That session is over.');
    const access = await services.roster.access(press.actor);
    if (read.command.kind === 'end') assertMayEnd(access, timer, await services.timers.groupsMeetingIn(timer.place));
    else assertMaySteer(access, timer.groupId);
    await services.timers.steerTimer(timer.id, read.command, read.step);
    return [];
  },
};
