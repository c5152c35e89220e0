// `/balint schedule`: one session or a series for a group. With no arguments it opens the
// form (schedule-form.ts); where no form can open, its fallback card shows the typed usage.
import { card, context, openForm, text } from '../../core/cards.js';
import { refused } from '../../core/plumbing/errors.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { assertMayPlan, defaultMinutes, plannableGroups, ONLY_PLANNERS } from './schedule-access.js';
import { readPlan } from './schedule-fields.js';
import { scheduleFormFor } from './schedule-form.js';
import { splitScheduleLine } from './schedule-line.js';
import { scheduledReply } from './schedule-reply.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';

export const scheduleCommand: CommandSpec = {
  verb: 'schedule',
  args: '<group> <YYYY-MM-DD> <HH:MM|4pm> [every week|every 2 weeks|every month] [until <YYYY-MM-DD> | for <N> sessions] [length <minutes>] [mode in-person|online|hybrid] [except <YYYY-MM-DD>,…] [at <place>] [link <url>]',
  summary: "Plan a group's session, or a series, in the group's time zone (no arguments: a form).",
  audience: 'leader',
  async run(ctx, args) {
    const typed = usage(scheduleCommand, ctx.prefix);
    if (args.length === 0) {
      const groups = await plannableGroups(ctx.services.roster, ctx.access);
      if (groups.length === 0) throw refused(ONLY_PLANNERS);
      return [
        openForm(
          await scheduleFormFor(ctx.services, groups),
          card(
            text(`Usage: ${typed}`),
            context(
              `Times are in the group's time zone. Example: \`${ctx.prefix}schedule PA Cohort A 2027-03-04 4pm every 2 weeks for 8 sessions\`.`,
            ),
          ),
        ),
      ];
    }
    const { groupWords, raw } = splitScheduleLine(args, typed);
    const group = await findVisibleGroup(ctx, groupWords);
    assertMayPlan(ctx.access, group.id);
    const { plan, errors } = readPlan(raw, defaultMinutes(group));
    if (errors[0] || !plan) throw errors[0] ?? new Error('plan without errors');
    const taken = new Set((await ctx.services.schedule.upcoming(group.id)).map((s) => s.start));
    const sessions = await ctx.services.schedule.schedule(group, plan);
    const clashes = sessions.filter((s) => taken.has(s.start)).length;
    return [scheduledReply(group, sessions, ctx.actorTimeZone ?? group.timeZone, ctx.prefix, clashes, plan.except)];
  },
};
