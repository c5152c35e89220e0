// `/balint move` and `/balint cancel`: change a planned session (or the rest of its series).
// Every member is told once, by a durable notice job per member. `cancel … all` asks first:
// it answers with a confirmation card whose button does it (session-buttons.ts).
import { count } from '../../core/plumbing/plural.js';
import { card, context, ephemeral, facts, heading, type Card } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import { invalid } from '../../core/plumbing/errors.js';
import type { Session } from '../../core/schedule/session.js';
import { assertMayPlan } from './schedule-access.js';
import { parseDate, parseTime } from './schedule-fields.js';
import { readTime } from './schedule-line.js';
import { cancelQuestion } from './session-menu.js';
import { findVisibleSession } from './session-lookup.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { isKeyword } from '../plumbing/tokens.js';

/** "Each of the 5 members is", "The one member is". */
const everyMember = (n: number): string => (n === 1 ? 'The one member is' : `Each of the ${count(n, 'member')} is`);

/** The answer to a move, typed or from the form. */
export function movedCard(group: Group, was: Session, moved: Session, zone: string): Card {
  return card(
    heading(`Session moved: ${group.name}`),
    facts(
      { label: 'New time', value: { time: moved.start, zone } },
      { label: 'Was', value: { time: was.start, zone } },
    ),
    context(`${everyMember(group.members.length)} told once; reminders follow the new time.`),
  );
}

/** The answer to a cancel, typed or pressed. */
export function cancelledCard(group: Group, first: Session, cancelled: readonly Session[], zone: string): Card {
  return card(
    heading(`${cancelled.length === 1 ? 'Session' : `${cancelled.length} sessions`} cancelled: ${group.name}`),
    facts({ label: cancelled.length === 1 ? 'When' : 'From', value: { time: first.start, zone } }),
    context(`${everyMember(group.members.length)} told once.`),
  );
}

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
    return [ephemeral(movedCard(group, session, moved, ctx.actorTimeZone ?? group.timeZone))];
  },
};

export const cancelCommand: CommandSpec = {
  verb: 'cancel',
  args: '<session> [all]',
  summary: 'Cancel a session, or with `all` it and the rest of its series (asked first); members are told.',
  audience: 'leader',
  async run(ctx, args) {
    const rest = args.length === 2 && isKeyword(args[1], 'all');
    if (args.length < 1 || (args.length === 2 && !rest) || args.length > 2)
      throw invalid(`Usage: ${usage(cancelCommand, ctx.prefix)}`);
    const { session, group } = await findVisibleSession(ctx, args[0]);
    assertMayPlan(ctx.access, group.id);
    const zone = ctx.actorTimeZone ?? group.timeZone;
    // A whole series is a lot to undo by hand: the person confirms with a button.
    if (rest) return [ephemeral(await cancelQuestion(ctx.services, session, group, zone, 'all'))];
    const cancelled = await ctx.services.schedule.cancel(session, group, false);
    return [ephemeral(cancelledCard(group, session, cancelled, zone))];
  },
};
