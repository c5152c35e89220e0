// Only canonical IANA zones are stored; abbreviations are refused with the zone people mean.
import { describe, expect, it } from 'vitest';
import { validateTimeZone } from '../../src/core/time-zones.js';

describe('validateTimeZone', () => {
  it('stores the canonical spelling', () => {
    expect(validateTimeZone('america/new_york')).toBe('America/New_York');
    expect(validateTimeZone(' Europe/Budapest ')).toBe('Europe/Budapest');
    expect(validateTimeZone('US/Eastern')).toBe('America/New_York');
    expect(validateTimeZone('utc')).toBe('UTC');
    expect(validateTimeZone('GMT')).toBe('UTC');
  });

  it.each([
    ['EST', 'EST has no daylight saving time; did you mean America/New_York?'],
    ['est', 'EST has no daylight saving time; did you mean America/New_York?'],
    ['PDT', 'PDT is only the summer half of a time zone; did you mean America/Los_Angeles?'],
    ['EST5EDT', "EST5EDT is an abbreviation, not a place's time zone; did you mean America/New_York?"],
    ['CET', "CET is an abbreviation, not a place's time zone; did you mean Europe/Berlin?"],
    ['HST', 'HST has no daylight saving time; did you mean Pacific/Honolulu?'],
  ])('refuses %s with the zone meant', (typed, message) => {
    expect(() => validateTimeZone(typed)).toThrow(message);
  });

  it('refuses what is no zone', () => {
    expect(() => validateTimeZone('Mars/Base')).toThrow(/not a time zone I know/);
    expect(() => validateTimeZone('Eastern')).toThrow(/not a time zone I know/);
  });
});
