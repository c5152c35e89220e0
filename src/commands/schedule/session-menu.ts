// The menu on each planned session (Move, Cancel) for those who may change it, and the question
// a cancel asks before anything happens. Slack shows the menu as an overflow, Teams as a button
// that unfolds the choices, the terminal as the typed commands. Exported for the Home.
import { actions, card, context, facts, heading, menu, type Block, type Button, type Card } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import type { Session } from '../../core/schedule/session.js';
import type { Services } from '../plumbing/spec.js';

export const SESSION_ACTIONS = {
  /** Opens the move form for the session (value: its id). */
  move: 'session:move',
  /** Asks whether to cancel it, or it and the rest of its series (value: its id). */
  cancel: 'session:cancel',
  /** The answers to that question (value: the session id); distinct ids, as Block Kit wants. */
  cancelOne: 'session:cancel-one',
  cancelAll: 'session:cancel-all',
  keep: 'session:keep',
} as const;

/** The menu of one session. `prefix` is how commands are typed where it is shown. */
export function sessionMenu(session: Session, prefix: string): Block {
  return menu(
    'Change this session',
    {
      actionId: SESSION_ACTIONS.move,
      label: 'Move…',
      value: session.id,
      typed: `${prefix}move ${session.id} <YYYY-MM-DD> <HH:MM>`,
    },
    {
      actionId: SESSION_ACTIONS.cancel,
      label: 'Cancel…',
      value: session.id,
      typed: `${prefix}cancel ${session.id}${session.seriesId ? ` [all]` : ''}`,
    },
  );
}

/**
 * "Cancel this session?" with the buttons that do it. `offer`: both choices (this one, or the
 * rest of its series too), or only the whole rest (typed `cancel … all`).
 */
export async function cancelQuestion(
  services: Services,
  session: Session,
  group: Group,
  zone: string,
  offer: 'choose' | 'all',
): Promise<Card> {
  const rest = session.seriesId
    ? (await services.schedule.upcoming(group.id)).filter(
        (s) => s.seriesId === session.seriesId && s.start >= session.start,
      ).length
    : 1;
  const buttons: Button[] = [];
  if (offer === 'choose')
    buttons.push({
      actionId: SESSION_ACTIONS.cancelOne,
      label: 'Cancel this session',
      value: session.id,
      style: 'danger',
    });
  if (rest > 1 || offer === 'all')
    buttons.push({
      actionId: SESSION_ACTIONS.cancelAll,
      label: rest > 1 ? `Cancel all ${rest} from here` : 'Cancel it',
      value: session.id,
      style: 'danger',
    });
  buttons.push({ actionId: SESSION_ACTIONS.keep, label: 'Keep it', value: session.id });
  return card(
    heading(rest > 1 && offer === 'all' ? `Cancel ${rest} sessions?` : 'Cancel this session?'),
    facts({ label: group.name, value: { time: session.start, zone } }),
    ...(rest > 1 ? [context(`It is one of a series: ${rest} sessions from this one on are still planned.`)] : []),
    context('Each member is told once. A cancelled session cannot be brought back.'),
    actions(...buttons),
  );
}
