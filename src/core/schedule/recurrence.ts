// Expands a series rule into local dates. Dates, not instants: each date is resolved at the
// series' wall-clock time on its own day (local-time.ts), which is what keeps 4 pm at 4 pm
// across daylight-saving changes.
import { DateTime } from 'luxon';
import type { RecurrenceRule } from './session.js';

export const MAX_SESSIONS = 200;

/** Thrown when a rule would make more than MAX_SESSIONS sessions. */
export class TooManySessions extends RangeError {
  override readonly name = 'TooManySessions';
}

/**
 * The dates of a series starting on `first`. Monthly series keep the day of the month; in a
 * month without that day (the 31st in April) the session is on the month's last day, and the
 * next month returns to the original day, since every date is counted from the first.
 */
export function expandDates(first: string, rule: RecurrenceRule): string[] {
  const start = DateTime.fromFormat(first, 'yyyy-MM-dd', { zone: 'UTC' });
  if (!start.isValid) throw new RangeError('bad first date');
  const step = (n: number): DateTime =>
    rule.every === 'month' ? start.plus({ months: n }) : start.plus({ weeks: rule.every === 'week' ? n : 2 * n });
  const dates: string[] = [];
  if ('count' in rule) {
    if (!Number.isInteger(rule.count) || rule.count < 1) throw new RangeError('count must be at least 1');
    if (rule.count > MAX_SESSIONS) throw new TooManySessions('too many sessions');
    for (let n = 0; n < rule.count; n++) dates.push(step(n).toFormat('yyyy-MM-dd'));
    return dates;
  }
  if (rule.until < first) throw new RangeError('until before first');
  for (let n = 0; ; n++) {
    const date = step(n).toFormat('yyyy-MM-dd');
    if (date > rule.until) return dates;
    if (dates.length === MAX_SESSIONS) throw new TooManySessions('too many sessions');
    dates.push(date);
  }
}
