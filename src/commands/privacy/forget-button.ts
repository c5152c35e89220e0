// The confirmation of `forget`: the press erases the person named by the button's value. The
// value came back from the platform, so it is checked again, and so is the presser: only a
// coordinator at the moment of the press may erase anyone.
import { isUserId } from '../../core/plumbing/ids.js';
import { notFound, refused } from '../../core/plumbing/errors.js';
import type { ButtonSpec } from '../plumbing/button-spec.js';
import { FORGET_CONFIRM_ACTION, forgetNow } from './forget-command.js';

export const forgetButtons: ButtonSpec = {
  actionIds: [FORGET_CONFIRM_ACTION],
  async handle(services, press) {
    if (!(await services.roster.isCoordinator(press.actor))) throw refused('Only coordinators can do that.');
    if (!isUserId(press.value)) throw notFound('That is not someone I can find.');
    return forgetNow(services, press.value);
  },
};
