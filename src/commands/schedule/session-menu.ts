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
  /** The answer to that question (value: `one:<id>`, `all:<id>` or `keep:<id>`). */
  cancelConfirm: 'session:cancel-confirm',
} as const;

export type CancelAnswer = 'one' | 'all' | 'keep';

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

const answer = (kind: CancelAnswer, session: Session): string => `${kind}:${session.id}`;

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
      actionId: SESSION_ACTIONS.cancelConfirm,
      label: 'Cancel this session',
      value: answer('one', session),
      style: 'danger',
    });
  if (rest > 1 || offer === 'all')
    buttons.push({
      actionId: SESSION_ACTIONS.cancelConfirm,
      label: rest > 1 ? `Cancel all ${rest} from here` : 'Cancel it',
      value: answer('all', session),
      style: 'danger',
    });
  buttons.push({ actionId: SESSION_ACTIONS.cancelConfirm, label: 'Keep it', value: answer('keep', session) });
  return card(
    heading(rest > 1 && offer === 'all' ? `Cancel ${rest} sessions?` : 'Cancel this session?'),
    facts({ label: group.name, value: { time: session.start, zone } }),
    ...(rest > 1 ? [context(`It is one of a series: ${rest} sessions from this one on are still planned.`)] : []),
    context('Each member is told once. A cancelled session cannot be brought back.'),
    actions(...buttons),
  );
}
