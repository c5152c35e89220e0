// The person's home page in a chat app (Slack's App Home): what they are part of, built from
// the same services as the commands, platform-neutral. Each part is one HomeSection; a feature
// adds its own (upcoming sessions with my RSVP, unresolved students, rotation alerts) to
// `homeSections` and every platform's home shows it.
import { actions, card, context, facts, heading, text, type Card } from '../../core/cards.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { PROGRAM_NAMES, type Group, type GroupRole } from '../../core/model.js';
import type { Access } from '../../core/roster.js';
import { ANSWER_LABEL, rsvpButtons } from '../../core/schedule/cards.js';
import { phaseName } from '../../core/texts.js';
import { mayPlan } from '../schedule/schedule-access.js';
import { sessionMenu } from '../schedule/session-menu.js';
import type { Services } from '../plumbing/spec.js';
import { HOME_ACTIONS } from './home-buttons.js';

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

/** What this person can do from here, by role: buttons rather than commands to remember. */
export const quickActions: HomeSection = async (_services, access, groups) => {
  const plans = access.coordinator || groups.some((g) => mayPlan(access, g.id));
  const inAGroup = access.roles.size > 0 || access.coordinator;
  if (!inAGroup) return undefined;
  return card(
    actions(
      ...(plans
        ? [{ actionId: HOME_ACTIONS.schedule, label: 'Schedule', value: 'home', style: 'primary' as const }]
        : []),
      ...(access.coordinator
        ? [
            { actionId: HOME_ACTIONS.addPeople, label: 'Add people', value: 'home' },
            { actionId: HOME_ACTIONS.importHelp, label: 'Import help', value: 'home' },
          ]
        : []),
      { actionId: HOME_ACTIONS.calendar, label: 'Calendar link', value: 'home' },
    ),
  );
};

/** How many groups the overview lists; the rest are a command away (`groups`). */
export const OVERVIEW_GROUPS = 10;

/**
 * Coordinators: the term at a glance, the groups meeting soonest first with their next
 * session, then those with none planned. Beyond OVERVIEW_GROUPS the rest are counted, not
 * listed: a Home of 100+ groups is a list nobody reads (and would not fit views.publish).
 */
export const coordinatorGroups: HomeSection = async (services, access, groups) => {
  if (!access.coordinator) return undefined;
  if (groups.length === 0) return card(heading('All groups (you coordinate)'), text('No groups yet.'));
  const now = services.clock.now();
  const withNext = await Promise.all(
    groups.map(async (g) => ({
      group: g,
      next: (await services.schedule.upcoming(g.id)).find((s) => s.start > now),
    })),
  );
  withNext.sort(
    (a, b) =>
      (a.next?.start ?? Number.POSITIVE_INFINITY) - (b.next?.start ?? Number.POSITIVE_INFINITY) ||
      a.group.name.localeCompare(b.group.name),
  );
  const unplanned = withNext.filter((w) => !w.next).length;
  const shown = withNext.slice(0, OVERVIEW_GROUPS);
  return card(
    heading('All groups (you coordinate)'),
    context(`${groups.length} ${groups.length === 1 ? 'group' : 'groups'}, ${unplanned} with no session planned.`),
    facts(
      ...shown.map(({ group, next }) => ({
        label: `${group.name} · ${programOf(group)} · ${group.members.length} ${group.members.length === 1 ? 'person' : 'people'}`,
        value: next ? { time: next.start, zone: group.timeZone } : 'No session planned',
      })),
    ),
    ...(groups.length > shown.length
      ? [context(`${groups.length - shown.length} more: \`/balint groups\` lists every group.`)]
      : []),
  );
};

/** Leaders and coordinators: timers running now in their groups, with the phase they are in. */
export const runningTimers: HomeSection = async (services, access, groups) => {
  const led = new Set(
    groups
      .filter((g) => access.coordinator || ['leader', 'co-leader'].includes(access.roles.get(g.id) ?? ''))
      .map((g) => g.id),
  );
  const active = await services.timers.activeFor(led);
  if (active.length === 0) return undefined;
  return card(
    heading('Running now'),
    facts(
      ...active.map(({ timer, state }) => ({
        label: groups.find((g) => g.id === timer.groupId)?.name ?? 'A group',
        value: `${phaseName(state.phase)}${state.status === 'paused' ? ' (paused)' : ''}`,
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
      ...(mayPlan(access, group.id) ? [sessionMenu(session, '/balint ')] : []),
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

export const homeSections: readonly HomeSection[] = [
  quickActions,
  runningTimers,
  mySessions,
  myGroups,
  coordinatorGroups,
  rotationAlerts,
];

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
