// The .ics builder, read back with ical.js (the parser behind Thunderbird): escaping of text,
// folding of long lines at 75 octets without splitting a character, and event fields.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine } from '../../../src/core/schedule/ics.js';

const event = {
  uid: 'ses_0123456789ab@balint-bot',
  sequence: 2,
  start: Date.UTC(2027, 2, 4, 21),
  end: Date.UTC(2027, 2, 4, 22, 15),
  cancelled: false,
  summary: 'Balint group: PA, Cohort; A\\B',
  updated: Date.UTC(2027, 0, 15),
  location: `Room 3, Main St; ${'Ünïcödé 🙂 '.repeat(12)}`,
  url: 'https://meet.example.org/pa-a?x=1&y=2',
  description: 'Hybrid.\nSecond line',
};

describe('iCalendar text', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('folds lines to 75 octets and never splits a UTF-8 character', () => {
    const folded = foldLine(`LOCATION:${'é🙂x'.repeat(60)}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`LOCATION:${'é🙂x'.repeat(60)}`);
  });

  it('round-trips through ical.js: every field, the escapes and the folded location', () => {
    const text = buildCalendar({
      name: 'Balint sessions',
      events: [event, { ...event, uid: 'other@balint-bot', cancelled: true, sequence: 3 }],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    const [first, second] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(first?.uid).toBe(event.uid);
    expect(first?.sequence).toBe(2);
    expect(first?.summary).toBe(event.summary);
    expect(first?.location).toBe(event.location);
    expect(first?.description).toBe(event.description);
    expect(first?.component.getFirstPropertyValue('url')).toBe(event.url);
    expect(first?.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(first?.startDate.toJSDate().getTime()).toBe(event.start);
    expect(first?.endDate.toJSDate().getTime()).toBe(event.end);
    expect(first?.startDate.zone?.tzid).toBe('UTC');
    expect(second?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(second?.sequence).toBe(3);
  });
});
