// Teams sends the client's IANA zone (`activity.localTimezone`); only a zone luxon knows is kept.
// Checking a zone builds an Intl formatter, which costs more than the rest of a turn's parsing:
// the answers are remembered (there are a few hundred zones).
import { IANAZone } from 'luxon';

const checked = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  const known = checked.get(zone);
  if (known !== undefined) return known;
  const valid = zone.length <= 64 && IANAZone.isValidZone(zone);
  if (checked.size < 1_000) checked.set(zone, valid);
  return valid;
}
