// The `schedule` form (a Slack modal, a Teams card): the same plan as the typed command, with
// each problem shown beside its field. The group select holds only groups the person may plan
// for, and a submitted group id is checked again: the form's values are not to be trusted.
import { DateTime } from 'luxon';
import type { Form } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import { PlanError } from '../../core/schedule/plan-error.js';
import { MAX_SESSIONS } from '../../core/schedule/recurrence.js';
import type { FormSpec } from '../plumbing/form-spec.js';
import { groupOptions, searchGroups } from '../plumbing/group-options.js';
import type { Services } from '../plumbing/spec.js';
import { defaultMinutes, mayPlan, plannableGroups } from './schedule-access.js';
import { LINK_MAX, MAX_LENGTH, MAX_SKIPPED, MIN_LENGTH, PLACE_MAX, readPlan } from './schedule-fields.js';
import { scheduledReply } from './schedule-reply.js';

export const SCHEDULE_FORM = 'schedule';
export const ONCE = 'once';
/** The series fields: hidden while the form plans a one-off. */
const FOR_A_SERIES = { field: 'every', in: [ONCE] } as const;
/** Room for MAX_SKIPPED dates and their separators. */
const SKIP_MAX = MAX_SKIPPED * 12;

/** When a group usually meets: the weekday (1 = Monday) and time of its next session. */
export interface UsualSlot {
  weekday: number;
  time: string;
}

/**
 * The first date the form offers: the group's usual weekday (today only while its usual time
 * is still ahead), else the next working day. Never a day already gone or an hour already past.
 */
export function firstDate(now: number, zone: string, usual?: UsualSlot): string {
  const today = DateTime.fromMillis(now, { zone });
  if (usual) {
    let day = today.plus({ days: (usual.weekday - today.weekday + 7) % 7 });
    const [hour, minute] = usual.time.split(':').map(Number);
    if (day.hasSame(today, 'day') && today >= today.set({ hour, minute, second: 0, millisecond: 0 }))
      day = day.plus({ days: 7 });
    return day.toISODate() ?? '';
  }
  let day = today.plus({ days: 1 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.toISODate() ?? '';
}

/**
 * The form for these groups (every one: a platform shows a long list searchable). With `now`,
 * the date starts on a sensible day (firstDate); one group is chosen already, and with its
 * `usual` slot the time too. Where every group keeps the same zone, the time picker names it.
 */
export function scheduleForm(groups: readonly Group[], now?: number, usual?: UsualSlot): Form {
  const zones = new Set(groups.map((g) => g.timeZone));
  const zone = zones.size === 1 ? [...zones][0] : undefined;
  const only = groups.length === 1 ? groups[0] : undefined;
  const start = now === undefined ? undefined : firstDate(now, zone ?? 'UTC', only ? usual : undefined);
  return {
    formId: SCHEDULE_FORM,
    title: 'Schedule sessions',
    submitLabel: 'Schedule',
    fields: [
      {
        id: 'group',
        label: 'Group',
        kind: 'select',
        options: groupOptions(groups),
        ...(only ? { initial: only.id } : {}),
      },
      {
        id: 'date',
        label: 'Date (first session)',
        kind: 'date',
        ...(start ? { initial: start } : {}),
      },
      {
        id: 'time',
        label: zone ? `Time (${zone})` : "Time, in the group's time zone",
        kind: 'time',
        ...(zone ? { zone } : {}),
        ...(only && usual ? { initial: usual.time } : {}),
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
        hiddenWhen: FOR_A_SERIES,
      },
      { id: 'until', label: 'Or: date of the last session', kind: 'date', optional: true, hiddenWhen: FOR_A_SERIES },
      {
        id: 'except',
        label: 'Skip dates (a series)',
        kind: 'text',
        optional: true,
        hiddenWhen: FOR_A_SERIES,
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

/** The group's usual slot: its next session's weekday and time, in the group's zone. */
async function usualSlot(services: Services, group: Group): Promise<UsualSlot | undefined> {
  const now = services.clock.now();
  const next = (await services.schedule.upcoming(group.id)).find((s) => s.start > now);
  if (!next) return undefined;
  return { weekday: DateTime.fromMillis(next.start, { zone: group.timeZone }).weekday, time: next.time };
}

/** The schedule form for the groups given, each looked at for its usual slot where there is one. */
export async function scheduleFormFor(services: Services, groups: readonly Group[]): Promise<Form> {
  const only = groups.length === 1 ? groups[0] : undefined;
  return scheduleForm(groups, services.clock.now(), only ? await usualSlot(services, only) : undefined);
}

/**
 * Checked before Slack is answered (group, rights, fields, dates in the future and a series
 * within bounds: `expand` writes nothing); the sessions are stored afterwards, in `run`.
 */
export const scheduleFormSpec: FormSpec = {
  formId: SCHEDULE_FORM,
  async reopen(services, opened) {
    const groups = await plannableGroups(services.roster, await services.roster.access(opened.actor));
    return groups.length === 0 ? undefined : scheduleForm(groups, services.clock.now());
  },
  async options(services, opened, fieldId, query) {
    if (fieldId !== 'group') return [];
    return searchGroups(await plannableGroups(services.roster, await services.roster.access(opened.actor)), query);
  },
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
