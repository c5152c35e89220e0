// `/balint attendance [group]`: the group's facilitators and coordinators see every member's
// figures ("attended 5 of 6") session by session; a member sees only their own, in any group
// of theirs. Nobody is ranked: members are listed in the group's own order, never by figures.
import { card, context, facts, heading, text, ephemeral, type Block } from '../../core/cards.js';
import { describeRequirement, type AppliedRequirement } from '../../core/attendance/requirement.js';
import type { MemberTally } from '../../core/attendance/tally.js';
import type { Group } from '../../core/model.js';
import { isFacilitatorOf } from '../../core/roster.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import type { CommandContext, CommandSpec } from '../plumbing/spec.js';

const SESSIONS_SHOWN = 12;

export const attendedText = (t: MemberTally): string =>
  `attended ${t.attended} of ${t.expected}${t.belowPace ? ' (below pace)' : ''}`;

function sessionsText(t: MemberTally): string {
  if (t.sessions.length === 0) return 'none taken yet';
  const shown = t.sessions.slice(-SESSIONS_SHOWN).map((s) => `${s.date} ${s.present ? 'present' : 'absent'}`);
  const more = t.sessions.length - shown.length;
  return `${more > 0 ? `(${more} earlier) ` : ''}${shown.join(', ')}`;
}

function groupCard(group: Group, requirement: AppliedRequirement | undefined, tallies: MemberTally[]): Block[] {
  const blocks: Block[] = [
    heading(`Attendance: ${group.name}`),
    text(`Requirement: ${describeRequirement(requirement)}. Counted: sessions whose attendance was submitted.`),
  ];
  if (tallies.length === 0) return [...blocks, text('This group has no members yet.')];
  for (const t of tallies)
    blocks.push(
      facts(
        { label: 'Member', value: { users: [t.user] } },
        { label: 'Attendance', value: attendedText(t) },
        { label: 'Sessions', value: sessionsText(t) },
      ),
    );
  blocks.push(context("Only the group's facilitators and coordinators see this. Members see only their own."));
  return blocks;
}

function ownBlocks(group: Group, requirement: AppliedRequirement | undefined, t: MemberTally): Block[] {
  return [
    heading(`Your attendance: ${group.name}`),
    facts(
      { label: 'Attendance', value: attendedText(t) },
      { label: 'Requirement', value: describeRequirement(requirement) },
      { label: 'Sessions', value: sessionsText(t) },
    ),
  ];
}

async function own(ctx: CommandContext, groups: Group[]): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const group of groups) {
    const mine = (await ctx.services.attendance.tally(group)).find((t) => t.user === ctx.actor);
    if (mine) blocks.push(...ownBlocks(group, await ctx.services.attendance.requirementOf(group), mine));
  }
  return blocks;
}

export const attendanceView: CommandSpec = {
  verb: 'attendance',
  args: '[group]',
  summary: "Attendance: your own, or (facilitators, coordinators) a group's, as sessions attended of sessions taken.",
  audience: 'member',
  async run(ctx, args) {
    if (args.length > 0) {
      const group = await findVisibleGroup(ctx, args);
      if (ctx.access.coordinator || isFacilitatorOf(ctx.access, group.id)) {
        const { attendance } = ctx.services;
        const blocks = groupCard(group, await attendance.requirementOf(group), await attendance.tally(group));
        return [ephemeral(card(...blocks))];
      }
      const blocks = await own(ctx, [group]);
      return [ephemeral(card(...(blocks.length ? blocks : [text('No attendance of yours in that group yet.')])))];
    }
    const groups = (await ctx.services.roster.groups()).filter((g) => ctx.access.roles.get(g.id) === 'member');
    const blocks = await own(ctx, groups);
    if (blocks.length > 0) return [ephemeral(card(...blocks))];
    const hint =
      ctx.access.coordinator || groups.length === 0
        ? ` To see a group's, name it: \`${ctx.prefix}attendance <group>\`.`
        : '';
    return [ephemeral(card(text(`You have no attendance recorded yet.${hint}`)))];
  },
};
