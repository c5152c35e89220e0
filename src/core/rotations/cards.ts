// What students and coordinators read: the invite after a rotation, and the coordinators'
// digest for a group and day. Rotation names are fields the calendar asked for; nothing else
// from a file is ever shown.
import { actions, card, context, facts, heading, text, type Button, type Card, type Fact } from '../cards.js';
import type { UserId } from '../plumbing/ids.js';
import { readableDate } from './rotation.js';
import type { UpcomingSession } from './sessions-port.js';

export const DIGEST_SCHEDULE_ACTION = 'digest:schedule';

const listNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? 'a rotation') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) as string}`;

export function inviteCard(input: {
  groupName: string;
  rotationNames: readonly string[];
  session: UpcomingSession;
  buttons: Button[];
  calendarLink: string | undefined;
}): Card {
  return card(
    heading(`Welcome back: ${input.groupName}`),
    text(
      `You have finished ${listNames(input.rotationNames)}. Your Balint group meets next here: come and be with your group again. ` +
        'Nobody brings a case prepared; whatever comes up in the room is enough.',
    ),
    facts(...input.session.facts),
    ...(input.buttons.length ? [actions(...input.buttons)] : []),
    context(
      input.calendarLink
        ? `Your calendar feed (add it once to Outlook, Google or Apple Calendar): ${input.calendarLink}`
        : 'Only the leaders and coordinators see your answer.',
    ),
  );
}

export interface DigestInput {
  groupId: string;
  groupName: string;
  date: string;
  names: readonly string[];
  finishing: number;
  /** Students with no session in the window (still waiting). */
  waiting: readonly UserId[];
  invited: number;
  /** Still being sent when the digest was written. */
  sending: number;
  failed: ReadonlyArray<{ user: UserId; code: string }>;
  windowDays: number;
  thisYear: number;
}

/** A delivery failure as a coordinator reads it; codes come from the chat adapters. */
export function failureReason(code: string): string {
  if (/user_not_found|users_not_found|teams_unknown_person|user_disabled|account_inactive/.test(code))
    return 'not found on the platform';
  if (/teams_forbidden|MessageWritesBlocked|app_not_installed/.test(code))
    return 'the app is not installed for them, or they blocked it';
  if (/cannot_dm_bot|messages_tab_disabled|ConversationBlockedByUser/.test(code))
    return 'direct messages from the bot are turned off';
  return `could not be delivered (${code})`;
}

export function digestCard(d: DigestInput): Card {
  const students = d.finishing === 1 ? '1 student' : `${d.finishing} students`;
  // Past three names the sentence stops being readable; the rotations are on file anyway.
  const what = d.names.length <= 3 ? listNames(d.names) : 'their rotations';
  const lead = `${students} of ${d.groupName} ${d.finishing === 1 ? 'finishes' : 'finish'} ${what} on ${readableDate(d.date, d.thisYear)}`;
  const lines: Fact[] = [];
  if (d.invited > 0) lines.push({ label: 'Invited', value: String(d.invited) });
  if (d.sending > 0) lines.push({ label: 'Still being sent', value: String(d.sending) });
  if (d.waiting.length > 0) lines.push({ label: 'Waiting for a session', value: { users: [...d.waiting] } });
  for (const f of d.failed) lines.push({ label: `Not reached: ${failureReason(f.code)}`, value: { users: [f.user] } });
  const blocks = [
    heading(`Rotation ends: ${d.groupName}`),
    text(d.waiting.length > 0 ? `${lead}; no session is scheduled within ${d.windowDays} days.` : `${lead}.`),
    ...(lines.length ? [facts(...lines)] : []),
  ];
  if (d.waiting.length > 0) {
    blocks.push(
      actions({ actionId: DIGEST_SCHEDULE_ACTION, label: 'Schedule a session', value: d.groupId, style: 'primary' }),
    );
    blocks.push(context('When a session is scheduled, the waiting students are invited to it.'));
  }
  if (d.failed.length > 0)
    blocks.push(
      context('Failed deliveries are not retried. Check the app is installed for them, then invite them yourself.'),
    );
  return card(...blocks);
}
