// The reminder's Going / Can't make it buttons. The value names the answer and the session
// (`yes:ses_…`); the press is accepted only from a member of the session's group, before the
// session starts. The answer is confirmed privately and never posted to the group.
import { card, ephemeral, text } from '../../core/cards.js';
import { notFound } from '../../core/plumbing/errors.js';
import { RSVP_ACTIONS } from '../../core/schedule/cards.js';
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
    await services.schedule.rsvp(m[2] as string, press.actor, answer);
    const message =
      answer === 'yes'
        ? "Thanks, you're down as going. You can change your answer until the session starts."
        : "Noted: you can't make it. Only the group's leaders and the coordinators see this; you can change it until the session starts.";
    return [ephemeral(card(text(message)))];
  },
};
