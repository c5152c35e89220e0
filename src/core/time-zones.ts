import { IANAZone } from 'luxon';
import { invalid } from './plumbing/errors.js';

/** An IANA zone such as `America/New_York`, in its canonical spelling. */
export function validateTimeZone(raw: string): string {
  const zone = IANAZone.create(raw);
  if (!zone.isValid)
    throw invalid('That is not a time zone I know. Use an IANA name such as America/New_York or Europe/Budapest.');
  return zone.name;
}
