// `/balint attendance take [group]`: a facilitator opens the attendance card of the group's
// latest session (begun within the last seven days; else today's) and gets it privately.
import { card, ephemeral, text } from '../../core/cards.js';
import { sessionDay } from '../../core/attendance/cards.js';
import { isOpen } from '../../core/attendance/sheet.js';
import { conflict, invalid, refused } from '../../core/plumbing/errors.js';
import type { Group } from '../../core/model.js';
import { isFacilitatorOf } from '../../core/roster.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';
import type { Token } from '../plumbing/tokens.js';

async function groupToMark(ctx: CommandContext, words: Token[]): Promise<Group> {
  if (words.length > 0) return findVisibleGroup(ctx, words);
  const mine = (await ctx.services.roster.groups()).filter((g) => isFacilitatorOf(ctx.access, g.id));
  if (mine.length === 1) return mine[0] as Group;
  throw invalid(`Which group? Name it: \`${usage(attendanceTake, ctx.prefix)}\`.`);
}

export const attendanceTake: CommandSpec = {
  verb: 'attendance take',
  args: '[group]',
  summary: "Get the attendance card of the group's latest session, to mark who was present.",
  audience: 'facilitator',
  async run(ctx, args) {
    const group = await groupToMark(ctx, args);
    if (!ctx.access.coordinator && !isFacilitatorOf(ctx.access, group.id))
      throw refused("Only the group's facilitators (and coordinators) can take its attendance.");
    const { attendance, clock } = ctx.services;
    const now = clock.now();
    const session = await attendance.latestSession(group);
    const sheet = await attendance.open(group, session, now);
    if (!isOpen(sheet, now))
      throw conflict('Attendance for that session is closed: it can be changed for 7 days after the session.');
    await attendance.sendTo(sheet, group, ctx.actor);
    return [
      ephemeral(
        card(text(`The attendance card for ${sessionDay(sheet)} is in your direct messages. Only you can see it.`)),
      ),
    ];
  },
};
