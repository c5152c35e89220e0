// The person's home page in a chat app (Slack's App Home): what they are part of, built from
// the same services as the commands, platform-neutral. Each part is one HomeSection; a feature
// adds its own (upcoming sessions with my RSVP, unresolved students, rotation alerts) to
// `homeSections` and every platform's home shows it.
import { actions, card, context, facts, heading, text, type Block, type Card, type Fact } from '../../core/cards.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { PROGRAM_NAMES, type Group, type GroupRole } from '../../core/model.js';
import type { Access } from '../../core/roster.js';
import { ANSWER_LABEL, rsvpButtons } from '../../core/schedule/cards.js';
import { stateText } from '../../core/rotations/views.js';
import { phaseName } from '../../core/texts.js';
import { mayPlan } from '../schedule/schedule-access.js';
import { sessionMenu } from '../schedule/session-menu.js';
import type { Services } from '../plumbing/spec.js';
import { HOME_ACTIONS } from './home-buttons.js';

/** What the person chose on their home: a coordinator's picked group (the group picker). */
export interface HomeChoice {
  focus?: string;
}

/** One part of the home, or undefined when it has nothing to show this person. */
export type HomeSection = (
  services: Services,
  access: Access,
  groups: readonly Group[],
  choice: HomeChoice,
) => Promise<Card | undefined>;

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

/** Up to this many groups the overview lists them all; beyond it, a group picker instead. */
export const OVERVIEW_GROUPS = 10;
/** The picker's option for "no group picked": the overview alone. */
export const ALL_GROUPS = 'all';

/**
 * Coordinators: the term at a glance. A few groups are listed, meeting soonest first, with
 * their next session. Many are counted, with the one meeting next, and picked from a list to
 * see one in detail: a Home of 100+ groups as a list is one nobody reads.
 */
export const coordinatorGroups: HomeSection = async (services, access, groups, choice) => {
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
  const line = ({ group, next }: (typeof withNext)[number]): Fact => ({
    label: `${group.name} · ${programOf(group)} · ${group.members.length} ${group.members.length === 1 ? 'person' : 'people'}`,
    value: next ? { time: next.start, zone: group.timeZone } : 'No session planned',
  });
  const counts = context(
    `${groups.length} ${groups.length === 1 ? 'group' : 'groups'}, ${unplanned} with no session planned.`,
  );
  if (groups.length <= OVERVIEW_GROUPS)
    return card(heading('All groups (you coordinate)'), counts, facts(...withNext.map(line)));
  const soonest = withNext[0];
  const focus = groups.some((g) => g.id === choice.focus) ? choice.focus : undefined;
  return card(
    heading('All groups (you coordinate)'),
    counts,
    ...(soonest?.next ? [facts({ ...line(soonest), label: `Meeting next: ${line(soonest).label}` })] : []),
    {
      type: 'select',
      actionId: HOME_ACTIONS.group,
      label: 'See one group',
      placeholder: 'Pick a group',
      options: [
        { value: ALL_GROUPS, label: 'None: the overview only' },
        ...[...groups].sort((a, b) => a.name.localeCompare(b.name)).map((g) => ({ value: g.id, label: g.name })),
      ],
      ...(focus ? { initial: focus } : {}),
    },
  );
};

const DAY_MS = 86_400_000;
/** Failed invites older than this are no longer news on the Home (`rotations <group>` keeps them). */
const FAILED_INVITES_SHOWN_MS = 30 * DAY_MS;

/** The students whose invite could not be delivered lately, by group. */
async function failedInvites(services: Services): Promise<Map<string, Set<string>>> {
  const since = services.clock.now() - FAILED_INVITES_SHOWN_MS;
  const byGroup = new Map<string, Set<string>>();
  for await (const [, record] of services.rotations.records.invites()) {
    if (record.state !== 'failed' || record.at < since) continue;
    byGroup.set(record.group, (byGroup.get(record.group) ?? new Set()).add(record.user));
  }
  return byGroup;
}

const SESSIONS_OF_GROUP = 3;

/** Coordinators: the group picked on the Home, in detail. */
export const pickedGroup: HomeSection = async (services, access, groups, choice) => {
  if (!access.coordinator || !choice.focus) return undefined;
  const group = groups.find((g) => g.id === choice.focus);
  if (!group) return undefined;
  const now = services.clock.now();
  const [upcoming, waiting, failed, running] = await Promise.all([
    services.schedule.upcoming(group.id),
    services.rotations.records.waiting(group.id),
    failedInvites(services),
    services.timers.activeFor(new Set([group.id])),
  ]);
  const next = upcoming.filter((s) => s.start > now).slice(0, SESSIONS_OF_GROUP);
  const facilitators = group.members.filter((m) => m.role !== 'member').map((m) => m.user);
  const members = group.members.filter((m) => m.role === 'member').length;
  const blocks: Block[] = [
    heading(group.name),
    facts(
      { label: 'Program', value: programOf(group) },
      { label: 'Facilitators', value: { users: facilitators } },
      { label: 'Members', value: String(members) },
      { label: 'Time zone', value: group.timeZone },
      { label: 'Students waiting for a session', value: String(waiting?.keys.length ?? 0) },
      { label: 'Invites not delivered (30 days)', value: String(failed.get(group.id)?.size ?? 0) },
    ),
  ];
  const [timer] = running;
  if (timer) blocks.push(facts({ label: 'Running now', value: timerText(timer.state) }));
  blocks.push(
    next.length === 0
      ? text('No session planned.')
      : facts(
          ...next.map((s, i) => ({
            label: i === 0 ? 'Next session' : 'Then',
            value: { time: s.start, zone: group.timeZone },
          })),
        ),
  );
  return card(...blocks);
};

const timerText = (state: { phase: Parameters<typeof phaseName>[0]; status: string }): string =>
  `${phaseName(state.phase)}${state.status === 'paused' ? ' (paused)' : ''}`;

/** Leaders and coordinators: timers running now in their groups, with the phase they are in. */
export const runningTimers: HomeSection = async (services, access, groups) => {
  const led = new Set(
    groups
      .filter((g) => access.coordinator || ['leader', 'co-leader'].includes(access.roles.get(g.id) ?? ''))
      .map((g) => g.id),
  );
  const active = await services.timers.activeFor(led);
  if (active.length === 0) return undefined;
  // The phase's end as a time, not "6 min left": the Home is republished at each new phase,
  // not each minute, and a time stays true in between.
  return card(
    heading('Running now'),
    facts(
      ...active.flatMap(({ timer, state }): Fact[] => [
        { label: groups.find((g) => g.id === timer.groupId)?.name ?? 'A group', value: timerText(state) },
        ...(state.status === 'running' && state.phaseEndsAt !== undefined
          ? [{ label: 'Phase ends', value: { time: state.phaseEndsAt, zone: timer.zone } }]
          : []),
      ]),
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
  const failed = [...(await failedInvites(services))]
    .map(([groupId, users]) => ({ name: groups.find((g) => g.id === groupId)?.name, count: users.size }))
    .filter((f): f is { name: string; count: number } => f.name !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (unresolved === 0 && waiting.length === 0 && failed.length === 0) return undefined;
  // Many groups at once would make a long list: beyond a few, counted.
  const shownWaiting = waiting.slice(0, ALERT_LINES);
  const shownFailed = failed.slice(0, ALERT_LINES);
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
      ...shownFailed.map(({ name, count }) => ({
        label: name,
        value: `${count} ${count === 1 ? 'invite' : 'invites'} not delivered (\`/balint rotations ${name}\` says why)`,
      })),
      ...shownWaiting.map((name) => ({ label: name, value: 'students are waiting for a session to be scheduled' })),
    ),
    ...(failed.length + waiting.length > shownFailed.length + shownWaiting.length
      ? [context(`And ${failed.length + waiting.length - shownFailed.length - shownWaiting.length} more groups.`)]
      : []),
  );
};

const ALERT_LINES = 8;
/** Rotations ended longer ago than this are left off the student's Home. */
const ROTATIONS_PAST_MS = 14 * DAY_MS;
const ROTATIONS_SHOWN = 5;

/** Students: their own rotations, the current and coming ones, with where their invite stands. */
export const myRotations: HomeSection = async (services, access) => {
  const today = services.rotations.today(services.defaultTimeZone);
  const recent = new Date(Date.parse(`${today}T00:00:00Z`) - ROTATIONS_PAST_MS).toISOString().slice(0, 10);
  const views = (await services.rotations.forStudent(access.user)).filter((v) => v.rotation.end >= recent);
  if (views.length === 0) return undefined;
  return card(
    heading('Your rotations'),
    facts(
      ...views.slice(0, ROTATIONS_SHOWN).map((v) => ({
        label: `${v.rotation.name}, ${v.rotation.start} to ${v.rotation.end}`,
        value: stateText(v, today),
      })),
    ),
    ...(views.length > ROTATIONS_SHOWN ? [context('`/balint rotations` lists them all.')] : []),
  );
};

export const homeSections: readonly HomeSection[] = [
  quickActions,
  runningTimers,
  mySessions,
  myRotations,
  myGroups,
  coordinatorGroups,
  pickedGroup,
  rotationAlerts,
];

export async function homeCards(
  services: Services,
  user: UserId,
  choice: HomeChoice = {},
  sections: readonly HomeSection[] = homeSections,
): Promise<Card[]> {
  const [access, groups] = await Promise.all([services.roster.access(user), services.roster.groups()]);
  const cards: Card[] = [];
  for (const section of sections) {
    const part = await section(services, access, groups, choice);
    if (part) cards.push(part);
  }
  cards.push(
    card(
      context('The bot never reads, stores or logs what is said about a case. `/balint help` lists what you can do.'),
    ),
  );
  return cards;
}
