// Builds an iCalendar (RFC 5545) document from events. Pure: the same events give the same
// text. Times are written in UTC (`…Z`), which every calendar reads and converts to the
// reader's zone; the wall-clock rule lives in how each session's instant was computed.
// Each session is its own VEVENT with a stable UID and a SEQUENCE that grows with every move
// or cancellation, which is how subscribed calendars learn what changed.

export interface CalendarEvent {
  uid: string;
  sequence: number;
  start: number;
  end: number;
  cancelled: boolean;
  summary: string;
  /** Epoch ms of the last change, for DTSTAMP and LAST-MODIFIED. */
  updated: number;
  location?: string;
  url?: string;
  description?: string;
}

export interface CalendarDoc {
  name: string;
  events: readonly CalendarEvent[];
}

const utc = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT values: backslash, semicolon, comma and line breaks are escaped (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/**
 * Folds a content line to at most 75 octets per physical line (RFC 5545 3.1): continuation
 * lines start with a space. Never splits a UTF-8 character.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch);
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function eventLines(e: CalendarEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(e.uid)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utc(e.updated)}`,
    `LAST-MODIFIED:${utc(e.updated)}`,
    `DTSTART:${utc(e.start)}`,
    `DTEND:${utc(e.end)}`,
    `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.url ? [`URL:${e.url}`] : []),
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    'TRANSP:OPAQUE',
    'END:VEVENT',
  ];
}

export function buildCalendar(doc: CalendarDoc): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Balint bot//Sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(doc.name)}`,
    // Subscribed calendars poll; ask for hourly so a move shows up the same day.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...doc.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
