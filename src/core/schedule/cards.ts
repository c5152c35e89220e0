// What members see about sessions: the reminder with its RSVP buttons, and the notices of a
// move or a cancellation. Times are TimeValues, so platforms that can (Slack) show each reader
// the time in their own zone; `zone` is the fallback for the rest.
import { actions, card, context, facts, heading, text, type Button, type Card, type Fact } from '../cards.js';
import type { Rsvp, Session } from './session.js';

export const RSVP_ACTIONS = { yes: 'rsvp:yes', no: 'rsvp:no' } as const;

export const rsvpValue = (answer: Rsvp, sessionId: string): string => `${answer}:${sessionId}`;

const MODE_LABEL: Record<Session['mode'], string> = { 'in-person': 'In person', online: 'Online', hybrid: 'Hybrid' };

export const ANSWER_LABEL: Record<Rsvp, string> = { yes: 'Going', no: "Can't make it" };

/** Going / Can't make it for one session; "Going" is the highlighted one unless told otherwise. */
export const rsvpButtons = (sessionId: string, highlightGoing = true): Button[] => [
  {
    actionId: RSVP_ACTIONS.yes,
    label: ANSWER_LABEL.yes,
    value: rsvpValue('yes', sessionId),
    ...(highlightGoing ? { style: 'primary' as const } : {}),
  },
  { actionId: RSVP_ACTIONS.no, label: ANSWER_LABEL.no, value: rsvpValue('no', sessionId) },
];

/** The facts of one session: when, how long, how, where. */
export function sessionFacts(session: Session, zone: string): Fact[] {
  return [
    { label: 'When', value: { time: session.start, zone } },
    { label: 'Length', value: `${session.minutes} minutes` },
    { label: 'Mode', value: MODE_LABEL[session.mode] },
    ...(session.place ? [{ label: 'Where', value: session.place }] : []),
    ...(session.link ? [{ label: 'Link', value: session.link }] : []),
  ];
}

/** An online or hybrid session with a meeting link gets a Join button for it. */
const joinable = (session: Session): boolean => session.mode !== 'in-person' && Boolean(session.link);

export function reminderCard(session: Session, groupName: string, zone: string, answer: Rsvp | undefined): Card {
  return card(
    heading(`Balint session: ${groupName}`),
    facts(...sessionFacts(session, zone)),
    text('Will you be there? You can change your answer until the session starts.'),
    joinable(session)
      ? { type: 'actions', buttons: rsvpButtons(session.id), links: [{ label: 'Join', url: session.link! }] }
      : actions(...rsvpButtons(session.id)),
    context(answer ? `Your answer so far: ${ANSWER_LABEL[answer]}.` : 'Only the leaders and coordinators see answers.'),
  );
}

export function movedCard(session: Session, groupName: string, zone: string, was: number): Card {
  return card(
    heading(`Session moved: ${groupName}`),
    facts({ label: 'New time', value: { time: session.start, zone } }, { label: 'Was', value: { time: was, zone } }),
    context('Your answer stays as it was; your calendar feed shows the new time.'),
  );
}

/** One cancelled session, or the first of `count` cancelled from a series onwards. */
export function cancelledCard(first: Session, count: number, groupName: string, zone: string): Card {
  return card(
    heading(`${count === 1 ? 'Session' : 'Sessions'} cancelled: ${groupName}`),
    facts(
      { label: count === 1 ? 'When' : 'From', value: { time: first.start, zone } },
      ...(count > 1 ? [{ label: 'Sessions', value: String(count) }] : []),
    ),
    context('Your calendar feed shows the change.'),
  );
}
