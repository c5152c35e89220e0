// A session's menu (Move, Cancel) and the cancel question's buttons. Each press names a session
// id; the session must be one the presser may plan for (a coordinator, the group's leader),
// else the press is refused or answered as if the session did not exist, changing nothing.
import { card, context, ephemeral, inPlaceOfPressed, openForm, text } from '../../core/cards.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';
import { usage } from '../plumbing/spec.js';
import { moveForm } from './move-form.js';
import { plannedSession } from './session-lookup.js';
import { cancelledCard, moveCommand } from './session-changes.js';
import { cancelQuestion, SESSION_ACTIONS } from './session-menu.js';

const PREFIX = '/balint ';

export const sessionButtons: ButtonSpec = {
  actionIds: Object.values(SESSION_ACTIONS),
  async handle(services, press) {
    const { session, group } = await plannedSession(services, press.actor, press.value);
    const zone = press.actorTimeZone ?? group.timeZone;
    if (press.actionId === SESSION_ACTIONS.keep) return [inPlaceOfPressed(card(text('Nothing was cancelled.')))];
    if (press.actionId === SESSION_ACTIONS.cancelOne || press.actionId === SESSION_ACTIONS.cancelAll) {
      const cancelled = await services.schedule.cancel(session, group, press.actionId === SESSION_ACTIONS.cancelAll);
      return [inPlaceOfPressed(cancelledCard(group, session, cancelled, zone))];
    }
    if (press.actionId === SESSION_ACTIONS.cancel)
      return [ephemeral(await cancelQuestion(services, session, group, zone, 'choose'))];
    return [
      openForm(
        moveForm(session, group),
        card(
          text(`Usage: ${usage(moveCommand, PREFIX).replace('<session>', session.id)}`),
          context(`Times are in the group's time zone (${session.zone}).`),
        ),
      ),
    ];
  },
};
