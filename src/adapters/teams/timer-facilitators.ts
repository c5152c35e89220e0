// Who gets a timer card's own view (with the steering buttons) on Teams: the leader and
// co-leader of the timer's group, and, asking for it themselves, a coordinator. The same people
// the timer buttons accept (commands/timer/timer-access.ts); anyone else gets the shared view.
import type { Services } from '../../commands/plumbing/spec.js';
import { isFacilitatorRole } from '../../core/model.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { isFacilitatorOf } from '../../core/roster.js';
import type { Timer } from '../../core/timer/service.js';

/** The leader and co-leader of the timer's group, for the card's `refresh.userIds`. */
export async function facilitatorsOfTimer(services: Services | undefined, timerId: string): Promise<UserId[]> {
  const timer = await services?.timers.get(timerId);
  const group = timer ? await services?.roster.getGroup(timer.groupId) : undefined;
  return (group?.members ?? []).filter((m) => isFacilitatorRole(m.role)).map((m) => m.user);
}

/** The timer whose own view `actor` may see, or undefined (no such timer, or not theirs to steer). */
export async function timerForOwnView(services: Services, actor: UserId, timerId: string): Promise<Timer | undefined> {
  const timer = await services.timers.get(timerId);
  if (!timer) return undefined;
  const access = await services.roster.access(actor);
  return access.coordinator || isFacilitatorOf(access, timer.groupId) ? timer : undefined;
}
