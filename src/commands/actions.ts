// Button presses. A press names an action id from our own cards and an opaque value (a timer
// or session id); the handler that owns the id checks both before anything changes. Presses by
// people who may not make them get a private answer and change nothing.
import { type Reply } from '../core/cards.js';
import type { ButtonPress, ButtonSpec } from './plumbing/button-spec.js';
import { buttons as allButtons } from './registry.js';
import { runLogged } from './plumbing/run-logged.js';
import type { Services } from './plumbing/spec.js';

export type { ButtonPress } from './plumbing/button-spec.js';

export async function handleButton(
  services: Services,
  press: ButtonPress,
  specs: readonly ButtonSpec[] = allButtons,
): Promise<Reply[]> {
  const spec = specs.find((s) => s.actionIds.includes(press.actionId));
  // The logged action id is ours (from the spec), never the one the platform sent.
  const action = spec?.actionIds.find((id) => id === press.actionId) ?? 'unknown';
  return runLogged(services.logger, 'action.done', { actor: press.actor, place: press.place, action }, async () => {
    if (!spec) return { outcome: 'invalid', message: 'That button no longer does anything.' };
    return spec.handle(services, press);
  });
}
