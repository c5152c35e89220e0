// Time zones as people mean them. Only IANA zones are stored, in their canonical spelling
// (`america/new_york` and `US/Eastern` are stored as America/New_York). Abbreviations are
// refused with the zone meant: "EST" is a real zone with no daylight saving time, so a July
// session at 16:00 EST is 5 pm in New York, which is not what anyone typing EST means.
import { IANAZone } from 'luxon';
import { invalid } from './plumbing/errors.js';

/** The abbreviations people type, and the zone they almost always mean. */
const ABBREVIATIONS: Record<string, string> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  ET: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PT: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  AST: 'America/Halifax',
  ADT: 'America/Halifax',
  BST: 'Europe/London',
  WET: 'Europe/Lisbon',
  CET: 'Europe/Berlin',
  CEST: 'Europe/Berlin',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  EST5EDT: 'America/New_York',
  CST6CDT: 'America/Chicago',
  MST7MDT: 'America/Denver',
  PST8PDT: 'America/Los_Angeles',
};

const UNIVERSAL = new Set(['UTC', 'GMT', 'Z', 'ETC/UTC', 'ETC/GMT', 'UCT', 'UNIVERSAL', 'ZULU']);

// IANA keeps EST, MST and HST as zones fixed all year; the summer abbreviations are half a zone.
const FIXED = new Set(['EST', 'MST', 'HST']);
const SUMMER = /^(?:[A-Z]+DT|BST|CEST|EEST)$/;

function abbreviationProblem(abbreviation: string, zone: string): string {
  const why = FIXED.has(abbreviation)
    ? `${abbreviation} has no daylight saving time`
    : SUMMER.test(abbreviation)
      ? `${abbreviation} is only the summer half of a time zone`
      : `${abbreviation} is an abbreviation, not a place's time zone`;
  return `${why}; did you mean ${zone}? Use an IANA name such as ${zone}.`;
}

/** An IANA zone such as `America/New_York`, in its canonical spelling. */
export function validateTimeZone(raw: string): string {
  const typed = raw.trim();
  const upper = typed.toUpperCase();
  if (UNIVERSAL.has(upper)) return 'UTC';
  const meant = ABBREVIATIONS[upper];
  if (meant) throw invalid(abbreviationProblem(upper, meant));
  if (!typed.includes('/') || !IANAZone.isValidZone(typed))
    throw invalid('That is not a time zone I know. Use an IANA name such as America/New_York or Europe/Budapest.');
  // Intl spells the zone canonically (case, and old names such as US/Eastern).
  return new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
}
