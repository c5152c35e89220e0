// Turns a local date and wall-clock time in an IANA zone into an instant, with one policy for
// the two hours a year that do not map one to one:
//   - a time that does not exist (spring forward, e.g. 02:30 on 2027-03-14 in New York) moves
//     forward by the gap: it is read with the offset in force before the change, so 02:30
//     becomes 03:30 EDT; the session keeps its length.
//   - a time that happens twice (fall back, e.g. 01:30 on 2027-11-07 in New York) is the
//     earlier, first occurrence (01:30 EDT), so nobody arrives an hour late.
// Written out rather than left to luxon's defaults so that the policy is ours, documented and
// tested, and a library upgrade cannot change it.
import { DateTime, IANAZone } from 'luxon';

const DAY = 86_400_000;

export function isLocalDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromFormat(value, 'yyyy-MM-dd', { zone: 'UTC' }).isValid;
}

export function isLocalTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** Epoch ms of `date` `time` in `zone`, by the policy above. Throws RangeError on bad input. */
export function resolveLocal(date: string, time: string, zone: string): number {
  if (!isLocalDate(date) || !isLocalTime(time)) throw new RangeError('bad local date or time');
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new RangeError('bad zone');
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  // The wall time read as if it were UTC; the real instant is that minus the zone's offset.
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const before = tz.offset(wall - DAY);
  const after = tz.offset(wall + DAY);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wall - tz.offset(instant) * 60_000 === instant)
    .sort((a, b) => a - b);
  // No candidate: the time fell in a gap; the offset before the change moves it forward.
  return candidates[0] ?? wall - before * 60_000;
}

/** The local date of an instant in a zone, `YYYY-MM-DD`. */
export function localDate(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('yyyy-MM-dd');
}
