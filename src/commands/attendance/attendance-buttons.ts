// The attendance card's buttons: one toggle per member (`<sheet>/<member>`) and Submit
// (`<sheet>`). The service checks that the presser facilitates the group and that the sheet is
// still open; the card is then updated in place for every facilitator who has it.
import { card, ephemeral, text } from '../../core/cards.js';
import { ATTENDANCE_ACTIONS } from '../../core/attendance/cards.js';
import { notFound } from '../../core/plumbing/errors.js';
import { isUserId } from '../../core/plumbing/ids.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';

export const attendanceButtons: ButtonSpec = {
  actionIds: Object.values(ATTENDANCE_ACTIONS),
  async handle(services, press) {
    if (press.actionId === ATTENDANCE_ACTIONS.toggle) {
      const slash = press.value.indexOf('/');
      const member = press.value.slice(slash + 1);
      if (slash < 0 || !isUserId(member)) throw notFound('That button no longer does anything.');
      await services.attendance.toggle(press.value.slice(0, slash), member, press.actor);
      return [];
    }
    const { first } = await services.attendance.submit(press.value, press.actor);
    return [
      ephemeral(
        card(
          text(
            first
              ? 'Attendance submitted. You can change a mark for 7 days; each change is saved at once.'
              : 'This attendance was already submitted; changes are saved as they are made.',
          ),
        ),
      ),
    ];
  },
};
