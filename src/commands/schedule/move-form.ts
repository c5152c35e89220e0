// The move form: a session's new date and time, in its group's zone (named by the time picker).
// Opened from a session's menu; the context is the session id, checked again on submit (the
// session, the person's right to plan for its group) before anything moves.
import type { Form } from '../../core/cards.js';
import type { Group } from '../../core/model.js';
import { PlanError } from '../../core/schedule/plan-error.js';
import { resolveLocal } from '../../core/schedule/local-time.js';
import { PAST_MESSAGE } from '../../core/schedule/service.js';
import type { Session } from '../../core/schedule/session.js';
import type { FormSpec } from '../plumbing/form-spec.js';
import { parseDate, parseTime } from './schedule-fields.js';
import { plannedSession } from './session-lookup.js';
import { movedCard } from './session-changes.js';

export const MOVE_FORM = 'session-move';

export function moveForm(session: Session, group: Group): Form {
  return {
    formId: MOVE_FORM,
    title: 'Move a session',
    submitLabel: 'Move',
    context: session.id,
    fields: [
      { id: 'date', label: `New date (${group.name})`, kind: 'date', initial: session.date },
      { id: 'time', label: `New time (${session.zone})`, kind: 'time', initial: session.time, zone: session.zone },
    ],
  };
}

/** One field's reading, its PlanError as that field's error. */
function read<T>(errors: Record<string, string>, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    errors[error.field] ??= error.message;
    return undefined;
  }
}

export const moveFormSpec: FormSpec = {
  formId: MOVE_FORM,
  async check(services, submission) {
    const { session, group } = await plannedSession(services, submission.actor, submission.context ?? '');
    const errors: Record<string, string> = {};
    const date = read(errors, () => parseDate(submission.values.date ?? ''));
    const time = read(errors, () => parseTime(submission.values.time ?? ''));
    if (date === undefined || time === undefined) return { accepted: false, errors };
    const start = resolveLocal(date, time, session.zone);
    if (start <= services.clock.now()) return { accepted: false, errors: { date: PAST_MESSAGE } };
    if (start === session.start) return { accepted: false, errors: { time: 'The session is already at that time.' } };
    return {
      accepted: true,
      run: async () => {
        const moved = await services.schedule.move(session, group, date, time);
        return [
          {
            visibility: 'ephemeral',
            card: movedCard(group, session, moved, submission.actorTimeZone ?? group.timeZone),
          },
        ];
      },
    };
  },
};
