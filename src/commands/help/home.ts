// The person's home page in a chat app (Slack's App Home): what they are part of, built from
// the same services as the commands, platform-neutral. Each part is one HomeSection; a feature
// adds its own (upcoming sessions with my RSVP, unresolved students, rotation alerts) to
// `homeSections` and every platform's home shows it.
import { actions, card, context, facts, heading, text, type Card } from '../../core/cards.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { PROGRAM_NAMES, type Group, type GroupRole } from '../../core/model.js';
import type { Access } from '../../core/roster.js';
import { ANSWER_LABEL, rsvpButtons } from '../../core/schedule/cards.js';
import type { Services } from '../plumbing/spec.js';

/** One part of the home, or undefined when it has nothing to show this person. */
export type HomeSection = (services: Services, access: Access, groups: readonly Group[]) => Promise<Card | undefined>;

const ROLE_LABELS: Record<GroupRole, string> = { leader: 'Leader', 'co-leader': 'Co-leader', member: 'Member' };

const programOf = (group: Group): string => (group.program ? PROGRAM_NAMES[group.program] : 'No program set');

/** The groups I am in, with my role in each. */
export const myGroups: HomeSection = async (_services, access, groups) => {
  const mine = groups.filter((g) => access.roles.has(g.id));
  if (mine.length === 0) {
    return card(
      heading('Your Balint groups'),
      text(
        access.coordinator
          ? 'You are not in a group yourself.'
          : 'You are not in a Balint group yet. Your coordinator adds you.',
      ),
    );
  }
  return card(
    heading('Your Balint groups'),
    facts(
      ...mine.map((g) => ({
        label: g.name,
        value: `${ROLE_LABELS[access.roles.get(g.id) as GroupRole]} · ${programOf(g)}`,
      })),
    ),
  );
};

/** Coordinators: every group, with how many people are in it (the roster is one command away). */
export const coordinatorGroups: HomeSection = async (_services, access, groups) => {
  if (!access.coordinator) return undefined;
  return card(
    heading('All groups (you coordinate)'),
    groups.length === 0
      ? text('No groups yet.')
      : facts(
          ...groups.map((g) => ({
            label: g.name,
            value: `${programOf(g)} · ${g.members.length} ${g.members.length === 1 ? 'person' : 'people'}`,
          })),
        ),
  );
};

const SESSIONS_SHOWN = 5;

/** My next sessions, with my answer and the buttons to give or change it. */
export const mySessions: HomeSection = async (services, access, groups) => {
  const mine = groups.filter((g) => access.roles.has(g.id));
  if (mine.length === 0) return undefined;
  const upcoming = (
    await Promise.all(
      mine.map(async (g) => (await services.schedule.upcoming(g.id)).map((s) => ({ session: s, group: g }))),
    )
  )
    .flat()
    .filter(({ session }) => session.start > services.clock.now())
    .sort((a, b) => a.session.start - b.session.start)
    .slice(0, SESSIONS_SHOWN);
  if (upcoming.length === 0) return card(heading('Your next sessions'), text('Nothing is scheduled yet.'));
  const blocks = upcoming.flatMap(({ session, group }) => {
    const answer = session.rsvps[access.user];
    return [
      facts(
        { label: group.name, value: { time: session.start, zone: group.timeZone } },
        { label: 'Your answer', value: answer ? ANSWER_LABEL[answer] : 'No answer yet' },
      ),
      actions(...rsvpButtons(session.id, answer === 'yes')),
    ];
  });
  return card(heading('Your next sessions'), ...blocks);
};

/** Coordinators: students whose email no platform user matches yet, and groups waiting for a session. */
export const rotationAlerts: HomeSection = async (services, access, groups) => {
  if (!access.coordinator) return undefined;
  const unresolved = (await services.rotations.unresolvedEmails()).length;
  const waiting: string[] = [];
  for await (const groupId of services.rotations.records.waitingGroups()) {
    const group = groups.find((g) => g.id === groupId);
    if (group) waiting.push(group.name);
  }
  if (unresolved === 0 && waiting.length === 0) return undefined;
  return card(
    heading('Rotations needing you'),
    facts(
      ...(unresolved > 0
        ? [
            {
              label: 'Students not matched to a chat account',
              value: `${unresolved} (\`/balint rotations\` lists them)`,
            },
          ]
        : []),
      ...waiting.map((name) => ({ label: name, value: 'students are waiting for a session to be scheduled' })),
    ),
  );
};

export const homeSections: readonly HomeSection[] = [myGroups, mySessions, coordinatorGroups, rotationAlerts];

export async function homeCards(
  services: Services,
  user: UserId,
  sections: readonly HomeSection[] = homeSections,
): Promise<Card[]> {
  const [access, groups] = await Promise.all([services.roster.access(user), services.roster.groups()]);
  const cards: Card[] = [];
  for (const section of sections) {
    const part = await section(services, access, groups);
    if (part) cards.push(part);
  }
  cards.push(
    card(
      context('The bot never reads, stores or logs what is said about a case. `/balint help` lists what you can do.'),
    ),
  );
  return cards;
}
