// `/balint move` and `/balint cancel`: change a planned session (or the rest of its series).
// Every member is told once, by a durable notice job per member.
import { count } from '../../core/plumbing/plural.js';
import { card, context, ephemeral, facts, heading } from '../../core/cards.js';
import { invalid } from '../../core/plumbing/errors.js';
import { assertMayPlan } from './schedule-access.js';
import { parseDate, parseTime } from './schedule-fields.js';
import { readTime } from './schedule-line.js';
import { findVisibleSession } from './session-lookup.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';

/** "Each of the 5 members is", "The one member is". */
const everyMember = (n: number): string => (n === 1 ? 'The one member is' : `Each of the ${count(n, 'member')} is`);
import { isKeyword } from '../plumbing/tokens.js';

export const moveCommand: CommandSpec = {
  verb: 'move',
  args: '<session> <YYYY-MM-DD> <HH:MM|4pm>',
  summary: "Move a session to another date and time (in its group's time zone); members are told.",
  audience: 'leader',
  async run(ctx, args) {
    const { time, next } = readTime(args, 2);
    if (args.length < 3 || next !== args.length || time === undefined)
      throw invalid(`Usage: ${usage(moveCommand, ctx.prefix)}`);
    const date = parseDate(args[1]?.value ?? '');
    const clock = parseTime(time);
    const { session, group } = await findVisibleSession(ctx, args[0]);
    assertMayPlan(ctx.access, group.id);
    const moved = await ctx.services.schedule.move(session, group, date, clock);
    const zone = ctx.actorTimeZone ?? group.timeZone;
    return [
      ephemeral(
        card(
          heading(`Session moved: ${group.name}`),
          facts(
            { label: 'New time', value: { time: moved.start, zone } },
            { label: 'Was', value: { time: session.start, zone } },
          ),
          context(`${everyMember(group.members.length)} told once; reminders follow the new time.`),
        ),
      ),
    ];
  },
};

export const cancelCommand: CommandSpec = {
  verb: 'cancel',
  args: '<session> [all]',
  summary: 'Cancel a session, or with `all` it and the rest of its series; members are told.',
  audience: 'leader',
  async run(ctx, args) {
    const rest = args.length === 2 && isKeyword(args[1], 'all');
    if (args.length < 1 || (args.length === 2 && !rest) || args.length > 2)
      throw invalid(`Usage: ${usage(cancelCommand, ctx.prefix)}`);
    const { session, group } = await findVisibleSession(ctx, args[0]);
    assertMayPlan(ctx.access, group.id);
    const cancelled = await ctx.services.schedule.cancel(session, group, rest);
    const zone = ctx.actorTimeZone ?? group.timeZone;
    return [
      ephemeral(
        card(
          heading(`${cancelled.length === 1 ? 'Session' : `${cancelled.length} sessions`} cancelled: ${group.name}`),
          facts({ label: cancelled.length === 1 ? 'When' : 'From', value: { time: session.start, zone } }),
          context(`${everyMember(group.members.length)} told once.`),
        ),
      ),
    ];
  },
};
