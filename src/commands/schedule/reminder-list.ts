// Reads a group's reminder list: `24h,1h`, `2d,30m`, or `none`. Minutes before a session.
import { invalid } from '../../core/plumbing/errors.js';

const MAX_REMINDERS = 4;
const MIN_MINUTES = 5;
const MAX_MINUTES = 14 * 24 * 60;
const UNIT: Record<string, number> = { m: 1, min: 1, h: 60, d: 24 * 60 };
const USAGE = `Reminders are a comma-separated list such as 24h,1h (units m, h, d; ${MIN_MINUTES} minutes to 14 days, at most ${MAX_REMINDERS}), or none.`;

export function parseReminders(raw: string): number[] {
  const value = raw.trim().toLowerCase();
  if (value === 'none' || value === 'off') return [];
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length > MAX_REMINDERS) throw invalid(USAGE);
  const minutes = parts.map((part) => {
    const m = /^(\d{1,5})(m|min|h|d)$/.exec(part);
    const total = m ? Number(m[1]) * (UNIT[m[2] as string] as number) : NaN;
    if (!(total >= MIN_MINUTES && total <= MAX_MINUTES)) throw invalid(USAGE);
    return total;
  });
  if (new Set(minutes).size !== minutes.length) throw invalid(USAGE);
  return minutes.sort((a, b) => b - a);
}

/** `[1440, 60]` → `24h, 1h`. */
export function describeReminders(minutes: readonly number[]): string {
  if (minutes.length === 0) return 'none';
  return minutes.map((m) => (m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`)).join(', ');
}
