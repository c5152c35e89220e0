// Teams sends the client's IANA zone (`activity.localTimezone`); only a zone luxon knows is kept.
import { IANAZone } from 'luxon';

export const isValidZone = (zone: string): boolean => zone.length <= 64 && IANAZone.isValidZone(zone);
