// The reminder's Going / Can't make it buttons. The value names the answer and the session
// (`yes:ses_…`); the press is accepted only from a member of the session's group, before the
// session starts. The answer is confirmed privately and never posted to the group: in place of
// the card pressed where the platform can, with the other answer's button to change it.
import { actions, card, facts, inPlaceOfPressed, text } from '../../core/cards.js';
import { notFound } from '../../core/plumbing/errors.js';
import { RSVP_ACTIONS, rsvpButtons as answerButtons, sessionFacts } from '../../core/schedule/cards.js';
import type { Rsvp } from '../../core/schedule/session.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';

const VALUE = /^(yes|no):(ses_[0-9a-f]{12})$/;

export const rsvpButtons: ButtonSpec = {
  actionIds: Object.values(RSVP_ACTIONS),
  async handle(services, press) {
    const m = VALUE.exec(press.value);
    const answer = m?.[1] as Rsvp | undefined;
    if (!m || !answer || RSVP_ACTIONS[answer] !== press.actionId)
      throw notFound('That button no longer does anything.');
    const session = await services.schedule.rsvp(m[2] as string, press.actor, answer);
    const group = await services.roster.getGroup(session.groupId);
    const message =
      answer === 'yes'
        ? "Thanks, you're down as going. You can change your answer until the session starts."
        : "Noted: you can't make it. Only the group's leaders and the coordinators see this; you can change it until the session starts.";
    const [when] = sessionFacts(session, press.actorTimeZone ?? session.zone);
    const change = answerButtons(session.id, false).filter((b) => b.actionId !== RSVP_ACTIONS[answer]);
    return [
      inPlaceOfPressed(
        card(
          text(message),
          facts(...(group ? [{ label: 'Group', value: group.name }] : []), ...(when ? [when] : [])),
          actions(...change.map((b) => ({ ...b, label: `Change to: ${b.label}` }))),
        ),
      ),
    ];
  },
};
