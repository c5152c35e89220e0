// The card Balint sends once where it is installed: in a person's personal chat, or in the team
// channel it was added to. What the bot does, the privacy promise, and the first steps for each
// role, with the commands written the way they are typed there.
import { card, context, facts, heading, text, type Card } from '../../core/cards.js';
import type { Place } from '../../core/plumbing/ids.js';
import { unchanged, type Store } from '../../core/ports.js';

const WELCOMED = 'teams-welcomed';

export function welcomeCard(where: 'personal' | 'team'): Card {
  const p = where === 'team' ? '@Balint ' : '';
  return card(
    heading('Welcome to Balint'),
    text(
      'Balint helps run Balint groups: it schedules sessions and reminds the group, invites students after a ' +
        'clinical rotation, and keeps time during a session with a shared phase timer.',
    ),
    text(
      'Privacy: Balint never reads, stores or logs what is said about a case, and never names the presenter. ' +
        'It keeps who is in which group, when sessions are, and the timer. Group members are shown only to the ' +
        'group, its facilitators and the coordinators. Anyone can erase what Balint keeps about them with ' +
        `${p}forget.`,
    ),
    facts(
      {
        label: 'Coordinators',
        value: `${p}group create <name> tz <time zone>, then ${p}group add <name> @person as leader (or member).`,
      },
      {
        label: 'Facilitators',
        value: `${p}schedule opens a form for the sessions; in the group's channel ${p}start begins the timer.`,
      },
      {
        label: 'Students',
        value: `${p}sessions shows what is coming. Keep this chat with Balint so invites and reminders reach you.`,
      },
    ),
    context(
      where === 'team'
        ? 'In a channel Balint hears only messages that @mention it. Private answers go to your personal chat with Balint.'
        : `Type ${p}help for everything you can do.`,
    ),
  );
}

/** True the first time for a place: Teams announces one install with two events. */
export async function firstWelcome(store: Store, place: Place, now: number): Promise<boolean> {
  let first = false;
  await store.update<{ at: number }>(WELCOMED, place, (current) => {
    if (current) return unchanged;
    first = true;
    return { at: now };
  });
  return first;
}

/** An uninstall forgets the mark, so a reinstall is welcomed again. */
export async function forgetWelcome(store: Store, place: Place): Promise<void> {
  await store.update(WELCOMED, place, () => undefined);
}
