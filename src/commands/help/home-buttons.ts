// The quick actions on the Home: each runs the command it stands for, with the same rights
// and answers as typing it (Schedule and Add people open their forms, Calendar link shows the
// private feed). Import help explains the typed form: imports run from the command line. The
// group picker (coordinators, many groups) shows the group picked: the platform keeps the pick
// and shows it on the Home, this answers with the same card where no Home can show it.
import { card, context, ephemeral, heading, inPlaceOfPressed, text } from '../../core/cards.js';
import { notFound, refused } from '../../core/plumbing/errors.js';
import { mayRun, refusal } from '../plumbing/audience.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';
import { ONLY_PLANNERS, plannableGroups } from '../schedule/schedule-access.js';

export const HOME_ACTIONS = {
  schedule: 'home:schedule',
  calendar: 'home:calendar',
  addPeople: 'home:add-people',
  importHelp: 'home:import-help',
  group: 'home:group',
} as const;

const PREFIX = '/balint ';
const COORDINATORS_ONLY = 'Only coordinators manage the roster and imports.';

export const homeButtons: ButtonSpec = {
  actionIds: Object.values(HOME_ACTIONS),
  async handle(services, press) {
    // Loaded when pressed: dispatch reads the registry, which lists these buttons.
    const run = async (line: string) =>
      (await import('../dispatch.js')).dispatch(services, {
        actor: press.actor,
        place: press.place,
        text: line,
        prefix: PREFIX,
        mention: () => undefined,
        ...(press.actorTimeZone ? { actorTimeZone: press.actorTimeZone } : {}),
      });
    // Refused here, not only by the command, so that the press itself is logged as refused.
    const access = await services.roster.access(press.actor);
    if (press.actionId === HOME_ACTIONS.schedule) {
      if ((await plannableGroups(services.roster, access)).length === 0) throw refused(ONLY_PLANNERS);
      return run('schedule');
    }
    if (press.actionId === HOME_ACTIONS.calendar) {
      if (!mayRun('member', access)) throw refused(refusal.member);
      return run('calendar');
    }
    if (!access.coordinator) throw refused(COORDINATORS_ONLY);
    if (press.actionId === HOME_ACTIONS.group) {
      // Loaded when picked: home.ts lists these buttons' ids.
      const { ALL_GROUPS, pickedGroup } = await import('./home.js');
      if (press.value === ALL_GROUPS) return [inPlaceOfPressed(card(text('Your Home shows every group again.')))];
      const group = await services.roster.getGroup(press.value);
      if (!group) throw notFound('That group no longer exists.');
      const detail = await pickedGroup(services, access, [group], { focus: group.id });
      return detail ? [inPlaceOfPressed(detail)] : [];
    }
    if (press.actionId === HOME_ACTIONS.addPeople) return run('group add');
    return [
      ephemeral(
        card(
          heading('Importing a roster or rotations'),
          text(
            "Imports run on the bot's server, from a CSV file: `npm run balint -- import roster cohort-a.csv` and `npm run balint -- import rotations pa-2027.csv`.",
          ),
          context('Running the same file again changes nothing; docs/coordinators.md describes the columns.'),
        ),
      ),
    ];
  },
};
