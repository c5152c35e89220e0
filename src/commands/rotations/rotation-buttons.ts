// The coordinators' digest has one button, "Schedule a session": it opens the schedule form
// for that group (a Slack modal, a Teams card; the terminal shows the typed usage instead).
import { card, context, openForm, text } from '../../core/cards.js';
import { notFound } from '../../core/plumbing/errors.js';
import { DIGEST_SCHEDULE_ACTION } from '../../core/rotations/cards.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';
import { assertMayPlan } from '../schedule/schedule-access.js';
import { scheduleCommand } from '../schedule/schedule-command.js';
import { scheduleFormFor } from '../schedule/schedule-form.js';
import { usage } from '../plumbing/spec.js';

const GROUP_ID = /^grp_[0-9a-f]{16}$/;

export const rotationButtons: ButtonSpec = {
  actionIds: [DIGEST_SCHEDULE_ACTION],
  async handle(services, press) {
    const group = GROUP_ID.test(press.value) ? await services.roster.getGroup(press.value) : undefined;
    if (!group) throw notFound('That group no longer exists.');
    const access = await services.roster.access(press.actor);
    assertMayPlan(access, group.id);
    const typed = usage(scheduleCommand, '/balint ');
    return [
      openForm(
        await scheduleFormFor(services, [group]),
        card(
          text(`Schedule a session for ${group.name}: ${typed}`),
          context("Times are in the group's time zone. The students waiting for a session are invited to it."),
        ),
      ),
    ];
  },
};
