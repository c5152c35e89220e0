// Reads the parts of a session plan from what a person typed or filled in. The typed command
// and the form share these readers, so both accept and refuse exactly the same things. Messages
// never quote the input back.
import { isOneOf } from '../../core/model.js';
import { isLocalDate } from '../../core/schedule/local-time.js';
import { PlanError, type PlanField } from '../../core/schedule/plan-error.js';
import { MAX_SESSIONS } from '../../core/schedule/recurrence.js';
import {
  FREQUENCIES,
  SESSION_MODES,
  type Frequency,
  type SessionMode,
  type SessionPlan,
} from '../../core/schedule/session.js';

/** Every field as text, as it came (undefined when not given). */
export interface RawPlan {
  date?: string | undefined;
  time?: string | undefined;
  every?: string | undefined;
  count?: string | undefined;
  until?: string | undefined;
  length?: string | undefined;
  mode?: string | undefined;
  place?: string | undefined;
  link?: string | undefined;
  /** Dates skipped in a series, separated by commas or spaces. */
  except?: string | undefined;
}

export const MIN_LENGTH = 15;
export const MAX_LENGTH = 240;
export const PLACE_MAX = 100;
export const LINK_MAX = 500;

export const DATE_HELP = 'Dates are written YYYY-MM-DD and must exist, e.g. 2027-03-04.';
export const TIME_HELP = 'Times are HH:MM on the 24-hour clock (16:30), or like 4pm or 4:30pm.';

export function parseDate(raw: string, field: PlanField = 'date'): string {
  const value = raw.trim();
  if (!isLocalDate(value)) throw new PlanError(field, `That is not a date I can use. ${DATE_HELP}`);
  return value;
}

/** A series skips at most this many dates: more is a different series. */
export const MAX_SKIPPED = 50;

export function parseSkipDates(raw: string): string[] {
  const words = raw.split(/[\s,]+/).filter((w) => w !== '');
  if (words.length > MAX_SKIPPED) throw new PlanError('except', `A series skips at most ${MAX_SKIPPED} dates.`);
  const dates = words.map((w) => {
    if (!isLocalDate(w))
      throw new PlanError(
        'except',
        `Skip dates are written YYYY-MM-DD, separated by commas, e.g. 2027-03-16,2027-04-13.`,
      );
    return w;
  });
  if (dates.length === 0) throw new PlanError('except', 'Give the dates to skip, e.g. 2027-03-16,2027-04-13.');
  return [...new Set(dates)].sort();
}

export function parseTime(raw: string): string {
  const value = raw.trim().toLowerCase().replace(/\s+/g, '');
  const clock = /^(\d{1,2}):(\d{2})$/.exec(value);
  const ampm = /^(\d{1,2})(?::(\d{2}))?(am|pm)$/.exec(value);
  let hour = NaN;
  let minute = NaN;
  if (clock) {
    hour = Number(clock[1]);
    minute = Number(clock[2]);
  } else if (ampm) {
    const h = Number(ampm[1]);
    if (h >= 1 && h <= 12) hour = (h % 12) + (ampm[3] === 'pm' ? 12 : 0);
    minute = Number(ampm[2] ?? '0');
  }
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59))
    throw new PlanError('time', `That is not a time I can use. ${TIME_HELP}`);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export function parseEvery(raw: string): Frequency {
  const value = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!isOneOf(FREQUENCIES, value))
    throw new PlanError('every', 'A series repeats every week, every 2 weeks or every month.');
  return value;
}

export function parseCount(raw: string): number {
  const value = raw.trim();
  const count = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (count > MAX_SESSIONS) throw new PlanError('count', `A series can have at most ${MAX_SESSIONS} sessions.`);
  if (!(count >= 1))
    throw new PlanError('count', `The number of sessions is a whole number from 1 to ${MAX_SESSIONS}.`);
  return count;
}

export function parseLength(raw: string): number {
  const m = /^(\d{1,4})\s*(m|min|mins|minutes)?$/i.exec(raw.trim());
  const minutes = m ? Number(m[1]) : NaN;
  if (!(minutes >= MIN_LENGTH && minutes <= MAX_LENGTH)) {
    throw new PlanError('length', `The length is a number of minutes from ${MIN_LENGTH} to ${MAX_LENGTH}.`);
  }
  return minutes;
}

export function parseMode(raw: string): SessionMode {
  const value = raw.trim().toLowerCase();
  if (!isOneOf(SESSION_MODES, value)) throw new PlanError('mode', `The mode is one of ${SESSION_MODES.join(', ')}.`);
  return value;
}

// A place is shown to members and written to calendars: no markup that could turn into a
// mention or a link on a platform (<, >, @, `), no control characters.
const PLACE_PATTERN = /^[^<>@`\p{Cc}]+$/u;

export function parsePlace(raw: string): string {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value.length === 0 || value.length > PLACE_MAX || !PLACE_PATTERN.test(value)) {
    throw new PlanError('place', `A place is up to ${PLACE_MAX} characters, without < > @ or \`.`);
  }
  return value;
}

export function parseLink(raw: string): string {
  const value = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    /[\s<>"]/.test(value) ||
    url.href.length > LINK_MAX
  ) {
    throw new PlanError(
      'link',
      `A meeting link is a web address starting with https:// (at most ${LINK_MAX} characters).`,
    );
  }
  return url.href;
}

/**
 * Reads a whole plan. Every problem is collected with its field (a form shows them all at
 * once); a typed command shows the first. `defaultMinutes` is the group's session length.
 */
export function readPlan(raw: RawPlan, defaultMinutes: number): { plan?: SessionPlan; errors: PlanError[] } {
  const errors: PlanError[] = [];
  const read = <T>(value: string | undefined, parse: (v: string) => T): T | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof PlanError) errors.push(error);
      else throw error;
      return undefined;
    }
  };
  const date = read(raw.date, parseDate);
  if (raw.date === undefined || raw.date.trim() === '')
    errors.push(new PlanError('date', `Give the date. ${DATE_HELP}`));
  const time = read(raw.time, parseTime);
  if (raw.time === undefined || raw.time.trim() === '')
    errors.push(new PlanError('time', `Give the time. ${TIME_HELP}`));
  const every = read(raw.every, parseEvery);
  const count = read(raw.count, parseCount);
  const until = read(raw.until, (v) => parseDate(v, 'until'));
  const minutes = read(raw.length, parseLength) ?? defaultMinutes;
  const place = read(raw.place, parsePlace);
  const link = read(raw.link, parseLink);
  const except = read(raw.except, parseSkipDates);
  const mode = read(raw.mode, parseMode) ?? (link ? (place ? 'hybrid' : 'online') : 'in-person');
  const hasCount = raw.count !== undefined && raw.count.trim() !== '';
  const hasUntil = raw.until !== undefined && raw.until.trim() !== '';
  if (raw.every !== undefined && raw.every.trim() !== '') {
    if (hasCount && hasUntil)
      errors.push(new PlanError('until', 'End a series with an end date or a number of sessions, not both.'));
    else if (!hasCount && !hasUntil)
      errors.push(new PlanError('count', 'A series needs an end: an end date (until) or a number of sessions.'));
  } else if (except) {
    errors.push(
      new PlanError('except', 'Skipping dates goes with a repeat: every week, every 2 weeks or every month.'),
    );
  } else if (hasCount || hasUntil) {
    errors.push(
      new PlanError(
        'every',
        'An end date or a number of sessions goes with a repeat: every week, every 2 weeks or every month.',
      ),
    );
  }
  if (errors.length > 0 || !date || !time) return { errors };
  const rule = every
    ? count !== undefined
      ? { every, count }
      : until !== undefined
        ? { every, until }
        : undefined
    : undefined;
  return {
    plan: {
      date,
      time,
      minutes,
      mode,
      ...(rule ? { rule } : {}),
      ...(rule && except ? { except } : {}),
      ...(place ? { place } : {}),
      ...(link ? { link } : {}),
    },
    errors,
  };
}
