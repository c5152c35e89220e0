// The wall-clock policy on both 2027 transitions of New York and of Sydney (southern
// hemisphere: clocks go back in April and forward in October), and series across them.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { resolveLocal } from '../../../src/core/schedule/local-time.js';
import { expandDates, MAX_SESSIONS, TooManySessions } from '../../../src/core/schedule/recurrence.js';

const NY = 'America/New_York';
const SYD = 'Australia/Sydney';
const iso = (ms: number) => new Date(ms).toISOString();
const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

describe('local times that do not exist or happen twice', () => {
  it('New York spring forward (2027-03-14): 02:30 does not exist and moves forward by the gap to 03:30 EDT', () => {
    const t = resolveLocal('2027-03-14', '02:30', NY);
    expect(iso(t)).toBe('2027-03-14T07:30:00.000Z');
    expect(local(t, NY)).toBe('2027-03-14 03:30 -04:00');
    // Just outside the gap both sides are read as written.
    expect(local(resolveLocal('2027-03-14', '01:59', NY), NY)).toBe('2027-03-14 01:59 -05:00');
    expect(local(resolveLocal('2027-03-14', '03:00', NY), NY)).toBe('2027-03-14 03:00 -04:00');
  });

  it('New York fall back (2027-11-07): 01:30 happens twice and is the earlier one, 01:30 EDT', () => {
    const t = resolveLocal('2027-11-07', '01:30', NY);
    expect(iso(t)).toBe('2027-11-07T05:30:00.000Z');
    expect(local(t, NY)).toBe('2027-11-07 01:30 -04:00');
    expect(local(resolveLocal('2027-11-07', '02:00', NY), NY)).toBe('2027-11-07 02:00 -05:00');
  });

  it('Sydney fall back (2027-04-04): 02:30 happens twice and is the earlier one, 02:30 AEDT', () => {
    const t = resolveLocal('2027-04-04', '02:30', SYD);
    expect(iso(t)).toBe('2027-04-03T15:30:00.000Z');
    expect(local(t, SYD)).toBe('2027-04-04 02:30 +11:00');
  });

  it('Sydney spring forward (2027-10-03): 02:30 does not exist and becomes 03:30 AEDT', () => {
    const t = resolveLocal('2027-10-03', '02:30', SYD);
    expect(iso(t)).toBe('2027-10-02T16:30:00.000Z');
    expect(local(t, SYD)).toBe('2027-10-03 03:30 +11:00');
  });

  it('ordinary times resolve exactly, and bad input is refused', () => {
    expect(iso(resolveLocal('2027-07-01', '16:00', NY))).toBe('2027-07-01T20:00:00.000Z');
    expect(iso(resolveLocal('2027-01-01', '16:00', NY))).toBe('2027-01-01T21:00:00.000Z');
    expect(() => resolveLocal('2027-02-30', '16:00', NY)).toThrow(RangeError);
    expect(() => resolveLocal('2027-02-01', '25:00', NY)).toThrow(RangeError);
    expect(() => resolveLocal('2027-02-01', '16:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('series expanded by wall-clock time', () => {
  it('keeps 4 pm at 4 pm across both New York changes, though the UTC hour moves', () => {
    const dates = expandDates('2027-03-04', { every: 'week', until: '2027-11-25' });
    const starts = dates.map((d) => resolveLocal(d, '16:00', NY));
    expect(new Set(starts.map((t) => DateTime.fromMillis(t, { zone: NY }).toFormat('HH:mm')))).toEqual(
      new Set(['16:00']),
    );
    expect(new Set(starts.map((t) => new Date(t).getUTCHours()))).toEqual(new Set([21, 20]));
    expect(dates).toContain('2027-03-18');
    expect(dates.at(-1)).toBe('2027-11-25');
  });

  it('keeps 6 pm at 6 pm across both Sydney changes', () => {
    const dates = expandDates('2027-03-01', { every: '2 weeks', count: 20 });
    const hours = dates.map((d) => DateTime.fromMillis(resolveLocal(d, '18:00', SYD), { zone: SYD }).toFormat('HH:mm'));
    expect(new Set(hours)).toEqual(new Set(['18:00']));
    const offsets = new Set(dates.map((d) => DateTime.fromMillis(resolveLocal(d, '18:00', SYD), { zone: SYD }).offset));
    expect(offsets).toEqual(new Set([660, 600]));
  });

  it('a weekly series at a time that falls in the gap moves only on the day of the change', () => {
    const dates = expandDates('2027-03-07', { every: 'week', count: 3 });
    expect(dates.map((d) => local(resolveLocal(d, '02:30', NY), NY))).toEqual([
      '2027-03-07 02:30 -05:00',
      '2027-03-14 03:30 -04:00',
      '2027-03-21 02:30 -04:00',
    ]);
  });

  it('monthly series keep the day, or the last day of a shorter month', () => {
    expect(expandDates('2027-01-31', { every: 'month', count: 4 })).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    expect(expandDates('2027-01-15', { every: 'month', until: '2027-04-14' })).toEqual([
      '2027-01-15',
      '2027-02-15',
      '2027-03-15',
    ]);
  });

  it(`stops at ${MAX_SESSIONS} sessions`, () => {
    expect(expandDates('2027-01-01', { every: 'week', count: MAX_SESSIONS })).toHaveLength(MAX_SESSIONS);
    expect(() => expandDates('2027-01-01', { every: 'week', count: MAX_SESSIONS + 1 })).toThrow(TooManySessions);
    expect(() => expandDates('2027-01-01', { every: 'week', until: '2031-01-01' })).toThrow(TooManySessions);
    expect(() => expandDates('2027-01-01', { every: 'week', count: 0 })).toThrow(RangeError);
    expect(() => expandDates('2027-01-10', { every: 'week', until: '2027-01-01' })).toThrow(RangeError);
  });
});
