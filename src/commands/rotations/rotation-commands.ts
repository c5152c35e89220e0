// `/balint rotation add` (one rotation, for a coordinator fixing a single row) and
// `/balint rotations` (coordinators see any group or student; a student sees their own).
// Calendars in bulk come from a file: `npm run balint -- import rotations <file.csv>`.
import { count } from '../../core/plumbing/plural.js';
import { card, context, ephemeral, facts, heading, text, type Fact } from '../../core/cards.js';
import { invalid, refused } from '../../core/plumbing/errors.js';
import type { UserId } from '../../core/plumbing/ids.js';
import { readableDate } from '../../core/rotations/rotation.js';
import { inviteInstant } from '../../core/rotations/settings.js';
import { stateText, tableRows, type RotationView } from '../../core/rotations/views.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { looksLikeMention } from '../plumbing/mentions.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';
import { joinWords, type Token } from '../plumbing/tokens.js';

const MAX_LISTED = 60;

export const rotationAdd: CommandSpec = {
  verb: 'rotation add',
  args: '<@student> <rotation name> <start YYYY-MM-DD> <end YYYY-MM-DD>',
  summary: "Add or correct one student's rotation; the invite goes out on its last day.",
  audience: 'coordinator',
  async run(ctx, args) {
    const typed = usage(rotationAdd, ctx.prefix);
    const [first] = args;
    const user = first && looksLikeMention(first) ? ctx.mention(first.value) : undefined;
    if (!user) throw invalid(`Start with the student, mentioned with @. Usage: ${typed}`);
    if (args.length < 4) throw invalid(`I need the rotation's name, its start and its end. Usage: ${typed}`);
    const start = (args.at(-2) as Token).value;
    const end = (args.at(-1) as Token).value;
    const name = joinWords(args.slice(1, -2));
    const program = await ctx.services.rotations.programOf(user);
    const outcome = await ctx.services.rotations.add(user, program, name, start, end);
    const group = (await ctx.services.roster.groups()).find(
      (g) => g.program === program && g.members.some((m) => m.user === user),
    );
    const settings = ctx.services.rotations.settings;
    const zone = group?.timeZone ?? ctx.services.defaultTimeZone;
    const inviteAt = inviteInstant(end, zone, settings.inviteTime);
    const ahead = inviteAt > ctx.services.clock.now();
    const noSession = ahead && group !== undefined && !(await ctx.services.rotations.sessionAfter(group, end));
    const heading_ =
      outcome === 'added' ? 'Rotation added' : outcome === 'changed' ? 'Rotation updated' : 'Rotation already there';
    return [
      ephemeral(
        card(
          heading(heading_),
          facts(
            { label: 'Student', value: { users: [user] } },
            { label: 'Rotation', value: name.trim().replace(/\s+/g, ' ') },
            { label: 'Dates', value: `${start} to ${end}` },
          ),
          context(
            !ahead
              ? 'That rotation has already ended, so no invite goes out for it.'
              : noSession
                ? `No session is scheduled after it yet: the invite waits for one; schedule one (\`${ctx.prefix}schedule ${group.name} …\`).`
                : `The invite to the group's next session goes out at ${settings.inviteTime} on ${readableDate(end)} (${zone}).`,
          ),
        ),
      ),
    ];
  },
};

function viewFacts(views: readonly RotationView[], today: string): Fact[] {
  return views.slice(0, MAX_LISTED).map((v) => ({
    label: `${v.rotation.name}, ${v.rotation.start} to ${v.rotation.end}`,
    value: stateText(v, today),
  }));
}

async function studentList(ctx: CommandContext, user: UserId) {
  const views = await ctx.services.rotations.forStudent(user);
  const today = ctx.services.rotations.today(ctx.actorTimeZone ?? ctx.services.defaultTimeZone);
  const own = user === ctx.actor;
  if (views.length === 0)
    return [ephemeral(card(text(own ? 'You have no rotations on file.' : 'No rotations on file for that person.')))];
  return [
    ephemeral(
      card(
        heading(own ? 'Your rotations' : 'Rotations'),
        ...(own ? [] : [facts({ label: 'Student', value: { users: [user] } })]),
        facts(...viewFacts(views, today)),
      ),
    ),
  ];
}

export const rotationsList: CommandSpec = {
  verb: 'rotations',
  args: '[group|@student]',
  summary: 'Rotations and where their invites stand (coordinators: any group or student; students: their own).',
  audience: 'anyone',
  async run(ctx, args) {
    const [first] = args;
    if (first && looksLikeMention(first)) {
      const user = ctx.mention(first.value);
      if (!user || args.length > 1) throw invalid(`Mention one person. Usage: ${usage(rotationsList, ctx.prefix)}`);
      if (user !== ctx.actor && !ctx.access.coordinator) throw refused('You can see your own rotations only.');
      return studentList(ctx, user);
    }
    if (!ctx.access.coordinator) {
      if (args.length > 0) throw refused('You can see your own rotations only: type it without a group.');
      return studentList(ctx, ctx.actor);
    }
    if (args.length === 0) {
      const pending = await ctx.services.rotations.unresolvedEmails();
      return [
        ephemeral(
          card(
            heading('Rotations'),
            text(`Name a group or a student to see their rotations: \`${ctx.prefix}rotations <group>\`.`),
            ...(pending.length
              ? [
                  facts({ label: 'Awaiting a platform user', value: pending.slice(0, MAX_LISTED).join(', ') }),
                  context('These emails matched nobody on the platform yet; the bot asks again each hour.'),
                ]
              : [context('Every student on file is matched to a platform user.')]),
          ),
        ),
      ];
    }
    const group = await findVisibleGroup(ctx, args);
    const views = await ctx.services.rotations.forGroup(group);
    const today = ctx.services.rotations.today(group.timeZone);
    const rows = tableRows(
      // Ended rotations stay while their invite has a state worth reading.
      views.filter((v) => v.rotation.end >= today || v.invite !== undefined),
      group,
      today,
    );
    return [
      ephemeral(
        card(
          heading(`Rotations: ${group.name}`),
          ...(rows.length
            ? [
                facts(
                  ...rows
                    .slice(0, MAX_LISTED)
                    .map((r) => ({ label: r.label, value: { users: [r.user], note: r.state } })),
                ),
              ]
            : [text('No rotations end from today on, and no invites are on file.')]),
          ...(rows.length > MAX_LISTED ? [context(`The first ${MAX_LISTED} of ${rows.length} are shown.`)] : []),
          ...(rows.some((r) => r.state.startsWith('no session scheduled yet'))
            ? [context(`\`${ctx.prefix}schedule ${group.name} …\` plans one; the waiting students are invited to it.`)]
            : []),
          context(
            `${count(views.length, 'rotation')} on file for this group's students; invites go out at ${ctx.services.rotations.settings.inviteTime} on the last day.`,
          ),
        ),
      ),
    ];
  },
};
