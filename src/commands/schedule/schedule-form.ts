// The `schedule` form (a Slack modal, a Teams card): the same plan as the typed command, with
// each problem shown beside its field. The group select holds only groups the person may plan
// for, and a submitted group id is checked again: the form's values are not to be trusted.
import { DateTime } from 'luxon';
import type { Form } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import { PlanError } from '../../core/schedule/plan-error.js';
import { MAX_SESSIONS } from '../../core/schedule/recurrence.js';
import type { FormSpec } from '../plumbing/form-spec.js';
import { defaultMinutes, mayPlan } from './schedule-access.js';
import { LINK_MAX, MAX_LENGTH, MAX_SKIPPED, MIN_LENGTH, PLACE_MAX, readPlan } from './schedule-fields.js';
import { scheduledReply } from './schedule-reply.js';

export const SCHEDULE_FORM = 'schedule';
/** Slack's static select holds at most 100 options; beyond that, the typed command. */
const MAX_GROUP_OPTIONS = 100;
const ONCE = 'once';
/** Room for MAX_SKIPPED dates and their separators. */
const SKIP_MAX = MAX_SKIPPED * 12;

/**
 * The form for these groups. With `now`, the date starts a week ahead (a session is rarely
 * planned for the coming days; the picker is one tap from any other date). Where every group
 * keeps the same zone, the time picker names it.
 */
export function scheduleForm(groups: readonly Group[], now?: number): Form {
  const zones = new Set(groups.map((g) => g.timeZone));
  const zone = zones.size === 1 ? [...zones][0] : undefined;
  const start = now === undefined ? undefined : DateTime.fromMillis(now, { zone: zone ?? 'UTC' }).plus({ days: 7 });
  return {
    formId: SCHEDULE_FORM,
    title: 'Schedule sessions',
    submitLabel: 'Schedule',
    fields: [
      {
        id: 'group',
        label: 'Group',
        kind: 'select',
        options: groups.slice(0, MAX_GROUP_OPTIONS).map((g) => ({ value: g.id, label: g.name })),
      },
      {
        id: 'date',
        label: 'Date (first session)',
        kind: 'date',
        ...(start ? { initial: start.toISODate() ?? '' } : {}),
      },
      {
        id: 'time',
        label: zone ? `Time (${zone})` : "Time, in the group's time zone",
        kind: 'time',
        ...(zone ? { zone } : {}),
      },
      {
        id: 'every',
        label: 'Repeat',
        kind: 'choice',
        initial: ONCE,
        options: [
          { value: ONCE, label: 'Once' },
          { value: 'week', label: 'Every week' },
          { value: '2 weeks', label: 'Every 2 weeks' },
          { value: 'month', label: 'Every month' },
        ],
      },
      {
        id: 'count',
        label: 'Number of sessions (a series)',
        kind: 'number',
        min: 1,
        max: MAX_SESSIONS,
        optional: true,
      },
      { id: 'until', label: 'Or: date of the last session', kind: 'date', optional: true },
      {
        id: 'except',
        label: 'Skip dates (a series)',
        kind: 'text',
        optional: true,
        maxLength: SKIP_MAX,
        placeholder: '2027-03-16, 2027-04-13',
      },
      {
        id: 'length',
        label: "Length in minutes (default: the group's preset)",
        kind: 'number',
        min: MIN_LENGTH,
        max: MAX_LENGTH,
        optional: true,
      },
      {
        id: 'mode',
        label: 'Mode',
        kind: 'choice',
        optional: true,
        options: [
          { value: 'in-person', label: 'In person' },
          { value: 'online', label: 'Online' },
          { value: 'hybrid', label: 'Hybrid' },
        ],
      },
      { id: 'place', label: 'Place', kind: 'text', optional: true, maxLength: PLACE_MAX },
      {
        id: 'link',
        label: 'Meeting link',
        kind: 'text',
        optional: true,
        maxLength: LINK_MAX,
        placeholder: 'https://…',
      },
    ],
  };
}

const byField = (errors: readonly PlanError[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
};

/**
 * Checked before Slack is answered (group, rights, fields, dates in the future and a series
 * within bounds: `expand` writes nothing); the sessions are stored afterwards, in `run`.
 */
export const scheduleFormSpec: FormSpec = {
  formId: SCHEDULE_FORM,
  async check(services, submission) {
    const v = submission.values;
    const groupId = v.group ?? '';
    const access = await services.roster.access(submission.actor);
    const group = groupId ? await services.roster.getGroup(groupId) : undefined;
    if (!group || !mayPlan(access, group.id))
      return { accepted: false, errors: { group: 'Pick one of the groups you plan for.' } };
    const every = v.every === ONCE ? undefined : v.every;
    const { plan, errors } = readPlan({ ...v, every }, defaultMinutes(group));
    if (!plan) return { accepted: false, errors: byField(errors) };
    try {
      services.schedule.expand(group, plan);
    } catch (error) {
      if (error instanceof PlanError) return { accepted: false, errors: { [error.field]: error.message } };
      throw error;
    }
    return {
      accepted: true,
      run: async () => {
        const taken = new Set((await services.schedule.upcoming(group.id)).map((s) => s.start));
        const sessions = await services.schedule.schedule(group, plan);
        const clashes = sessions.filter((s) => taken.has(s.start)).length;
        return [
          scheduledReply(group, sessions, submission.actorTimeZone ?? group.timeZone, '/balint ', clashes, plan.except),
        ];
      },
    };
  },
};
