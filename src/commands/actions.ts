// Button presses. A press names an action id from our own cards and an opaque value (a timer
// or session id); both are checked here before anything changes. Presses by people who may
// not make them get a private answer and change nothing.
import { card, ephemeral, text, type Reply } from '../core/cards.js';
import { UserError } from '../core/errors.js';
import type { Place, UserId } from '../core/ids.js';
import { errorCode } from '../core/logger.js';
import type { LogFields } from '../core/ports.js';
import { parseExtendValue, TIMER_ACTIONS } from '../core/timer/cards.js';
import type { Steer } from '../core/timer/service.js';
import type { Services } from './spec.js';
import { assertMaySteer } from './timer-access.js';

export interface ButtonPress {
  actionId: string;
  value: string;
  actor: UserId;
  place: Place;
}

const say = (message: string): Reply[] => [ephemeral(card(text(message)))];
const TIMER_ID = /^tmr_[0-9a-f]{16}$/;

function timerCommand(press: ButtonPress): { timerId: string; command: Steer } | undefined {
  const simple: Record<string, Steer> = {
    [TIMER_ACTIONS.next]: { kind: 'next' },
    [TIMER_ACTIONS.pause]: { kind: 'pause' },
    [TIMER_ACTIONS.resume]: { kind: 'resume' },
    [TIMER_ACTIONS.end]: { kind: 'end' },
  };
  if (press.actionId === TIMER_ACTIONS.extend) {
    const parsed = parseExtendValue(press.value);
    return parsed ? { timerId: parsed.timerId, command: { kind: 'extend', minutes: parsed.minutes } } : undefined;
  }
  const command = simple[press.actionId];
  return command ? { timerId: press.value, command } : undefined;
}

export async function handleButton(services: Services, press: ButtonPress): Promise<Reply[]> {
  const started = Date.now();
  const known = Object.values(TIMER_ACTIONS).find((id) => id === press.actionId);
  const fields: LogFields = { actor: press.actor, place: press.place, action: known ?? 'unknown' };
  const finish = (outcome: NonNullable<LogFields['outcome']>, replies: Reply[], extra: LogFields = {}): Reply[] => {
    services.logger[outcome === 'failed' ? 'error' : 'info']('action.done', { ...fields, ...extra, outcome, durationMs: Date.now() - started });
    return replies;
  };
  try {
    const timerPress = timerCommand(press);
    if (!timerPress || !TIMER_ID.test(timerPress.timerId)) return finish('invalid', say('That button no longer does anything.'));
    const timer = await services.timers.get(timerPress.timerId);
    if (!timer || timer.place !== press.place) return finish('not-found', say('That session is over.'));
    assertMaySteer(await services.roster.access(press.actor), timer.groupId);
    await services.timers.steerTimer(timer.id, timerPress.command);
    return finish('ok', []);
  } catch (error) {
    if (error instanceof UserError) return finish(error.code, say(error.message));
    return finish('failed', say('Something went wrong on my side. Please try again in a moment.'), { code: errorCode(error) });
  }
}
