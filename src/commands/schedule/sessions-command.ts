// `/balint sessions [group]`: upcoming sessions, each time in the reader's zone. The group's
// leaders and coordinators see who answered what; members see only their own answer, so a
// "can't make it" is never shown to the group. Those who may plan the group get each session's
// menu (Move, Cancel) instead of having to copy its id into a command.
import { card, context, facts, heading, text, ephemeral, type Block, type Fact } from '../../core/cards.js';
import type { UserId } from '../../core/plumbing/ids.js';
import type { Group } from '../../core/model.js';
import { isFacilitatorOf } from '../../core/roster.js';
import { ANSWER_LABEL, sessionFacts } from '../../core/schedule/cards.js';
import type { Session } from '../../core/schedule/session.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { mayPlan } from './schedule-access.js';
import { sessionMenu } from './session-menu.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';

const SHOWN_PER_GROUP = 10;

function answers(session: Session, group: Group): Fact[] {
  const by = (answer: 'yes' | 'no'): UserId[] =>
    group.members.map((m) => m.user).filter((u) => session.rsvps[u] === answer);
  const silent = group.members.filter((m) => session.rsvps[m.user] === undefined).length;
  const going = by('yes');
  const not = by('no');
  return [
    { label: `Going (${going.length})`, value: { users: going } },
    { label: `Can't make it (${not.length})`, value: { users: not } },
    { label: 'No answer yet', value: String(silent) },
  ];
}

function groupBlocks(ctx: CommandContext, group: Group, sessions: Session[]): Block[] {
  const zone = ctx.actorTimeZone ?? group.timeZone;
  const seesAnswers = ctx.access.coordinator || isFacilitatorOf(ctx.access, group.id);
  const changes = mayPlan(ctx.access, group.id);
  const blocks: Block[] = [heading(`Upcoming sessions: ${group.name}`)];
  if (sessions.length === 0) return [...blocks, text('No sessions planned.')];
  for (const session of sessions.slice(0, SHOWN_PER_GROUP)) {
    const own = session.rsvps[ctx.actor];
    blocks.push(
      facts(
        ...sessionFacts(session, zone),
        { label: 'Session id', value: session.id },
        ...(seesAnswers
          ? answers(session, group)
          : [{ label: 'Your answer', value: own ? ANSWER_LABEL[own] : 'not given yet' }]),
      ),
      ...(changes ? [sessionMenu(session, ctx.prefix)] : []),
    );
  }
  if (sessions.length > SHOWN_PER_GROUP) blocks.push(context(`And ${sessions.length - SHOWN_PER_GROUP} more.`));
  return blocks;
}

export const sessionsCommand: CommandSpec = {
  verb: 'sessions',
  args: '[group]',
  summary: 'Upcoming sessions of your groups (or one group), in your time zone.',
  audience: 'member',
  async run(ctx, args) {
    let groups: Group[];
    if (args.length > 0) groups = [await findVisibleGroup(ctx, args)];
    else {
      const all = await ctx.services.roster.groups();
      groups = all.filter((g) => ctx.access.roles.has(g.id));
      if (groups.length === 0) {
        // A coordinator in no group names one: listing every group's sessions would be a flood.
        return [
          ephemeral(
            card(text(`Name a group: \`${usage(sessionsCommand, ctx.prefix)}\`. \`${ctx.prefix}groups\` lists them.`)),
          ),
        ];
      }
    }
    const blocks: Block[] = [];
    for (const group of groups) blocks.push(...groupBlocks(ctx, group, await ctx.services.schedule.upcoming(group.id)));
    return [ephemeral(card(...blocks))];
  },
};
