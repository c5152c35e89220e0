// Who must see a fresh Home after a change, and when. The services say what changed (a group's
// sessions, its roster, an invite, a timer's phase); this turns that into touches of the Homes
// that show it: the group's people and the coordinators (every coordinator's overview lists
// every group). A person whose Home is not open is skipped by the refresher itself.
import type { Services } from '../../commands/plumbing/spec.js';
import type { Place, UserId } from '../../core/plumbing/ids.js';
import { errorCode } from '../../core/plumbing/logger.js';
import type { HomeRefresher } from './home-refresher.js';

export function keepHomesCurrent(services: Services, homes: HomeRefresher): void {
  const { logger } = services;
  const touchGroup = async (groupId: string, also: readonly UserId[] = []): Promise<void> => {
    const [group, coordinators] = await Promise.all([
      services.roster.getGroup(groupId),
      services.roster.coordinators(),
    ]);
    for (const person of [...(group?.members.map((m) => m.user) ?? []), ...also, ...coordinators]) homes.touch(person);
  };
  const safely = (work: Promise<void>) =>
    void work.catch((error: unknown) => logger.warn('slack.home-failed', { code: errorCode(error) }));

  // Sessions scheduled, moved or cancelled: the members' next sessions, the overview's next one.
  services.schedule.onChange((groupId) => safely(touchGroup(groupId)));
  // People added, removed or given another role, a group created or set: their groups, the overview.
  services.roster.onChange((groupId, people) => safely(touchGroup(groupId, people)));
  // An invite sent, waiting or failed: the student's rotations, the coordinators' failed invites.
  services.rotations.records.onInviteChange((record) =>
    safely(
      (async () => {
        homes.touch(record.user);
        for (const person of await services.roster.coordinators()) homes.touch(person);
      })(),
    ),
  );
  // Timers: a start, a phase, a pause and the end show on the facilitators' and coordinators'
  // Homes. The timer changes every few seconds (its countdown); only a new phase or status counts.
  const seen = new Map<Place, { groupId: string; step: string }>();
  services.timers.onChange((place) =>
    safely(
      (async () => {
        const timer = await services.timers.inChannel(place);
        const before = seen.get(place);
        if (!timer) {
          if (!before) return;
          seen.delete(place);
          return touchFacilitators(before.groupId);
        }
        const state = services.timers.stateOf(timer);
        const step = `${timer.id}:${state.phaseIndex}:${state.status}`;
        if (before?.step === step) return;
        seen.set(place, { groupId: timer.groupId, step });
        if (before && before.groupId !== timer.groupId) await touchFacilitators(before.groupId);
        await touchFacilitators(timer.groupId);
      })(),
    ),
  );
  const touchFacilitators = async (groupId: string): Promise<void> => {
    const [group, coordinators] = await Promise.all([
      services.roster.getGroup(groupId),
      services.roster.coordinators(),
    ]);
    for (const m of group?.members ?? []) if (m.role !== 'member') homes.touch(m.user);
    for (const person of coordinators) homes.touch(person);
  };
}
