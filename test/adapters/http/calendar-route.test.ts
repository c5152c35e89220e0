// The private calendar feed through a real HTTP request on loopback, read with ical.js: one
// VEVENT per session with a stable UID, local 4 pm across the DST change, moves as a higher
// SEQUENCE, cancellations as STATUS:CANCELLED; reset revokes the old link.
import type { Server } from 'node:http';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarRoute } from '../../../src/adapters/http/calendar-route.js';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import type { Group } from '../../../src/core/model.js';
import { FEED_TOKEN } from '../../../src/core/schedule/feeds.js';
import type { Session } from '../../../src/core/schedule/session.js';
import { createHarness, type Harness } from '../../support/harness.js';

const PUBLIC = 'https://balint.example.edu';
let h: Harness;
let server: Server;
let base: string;
let sessions: Session[];

beforeEach(async () => {
  h = createHarness(['console:coord'], undefined, { publicUrl: PUBLIC });
  await h.start();
  await h.run('coord', 'group create PA Cohort A tz America/New_York preset 90');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @ann');
  await h.run('coord', 'group create PT Group');
  await h.run('coord', 'group add PT Group @pat');
  await h.run(
    'coord',
    'schedule PA Cohort A 2027-03-04 16:00 every week for 4 sessions at Room 3, Main St link https://meet.example.org/pa',
  );
  await h.run('coord', 'schedule PT Group 2027-03-05 09:00');
  const group = (await h.services.roster.findGroup('PA Cohort A')) as Group;
  sessions = await h.services.schedule.upcoming(group.id);
  server = createHttpServer([calendarRoute(h.services.calendars, h.services.logger)], h.services.logger);
  base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function feedUrl(actor: string, verb = 'calendar'): Promise<string> {
  const answer = await h.say(actor, verb);
  const url = /https:\/\/balint\.example\.edu\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(answer)?.[0];
  if (!url) throw new Error('no feed url in the answer');
  return url;
}

const fetchFeed = (url: string) => fetch(url.replace(PUBLIC, base));

async function events(url: string): Promise<ICAL.Event[]> {
  const res = await fetchFeed(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  expect(res.headers.get('cache-control')).toContain('private');
  const calendar = new ICAL.Component(ICAL.parse(await res.text()));
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

const localStart = (e: ICAL.Event) =>
  DateTime.fromJSDate(e.startDate.toJSDate(), { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm');

describe('GET /calendar/<token>.ics', () => {
  it("serves a member's groups' sessions: stable UIDs, 4 pm local across the change, place and link", async () => {
    const url = await feedUrl('ann');
    expect(url.split('/').at(-1)?.replace('.ics', '')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const list = await events(url);
    expect(list.map((e) => e.uid)).toEqual(sessions.map((s) => `${s.id}@balint-bot`));
    expect(list.map(localStart)).toEqual([
      '2027-03-04 16:00',
      '2027-03-11 16:00',
      '2027-03-18 16:00',
      '2027-03-25 16:00',
    ]);
    expect(list.map((e) => e.startDate.toJSDate().getUTCHours())).toEqual([21, 21, 20, 20]);
    expect(list.every((e) => e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime() === 90 * 60_000)).toBe(
      true,
    );
    expect(list[0]?.summary).toBe('Balint group: PA Cohort A');
    expect(list[0]?.location).toBe('Room 3, Main St');
    expect(list[0]?.component.getFirstPropertyValue('url')).toBe('https://meet.example.org/pa');
    expect(list.map((e) => e.sequence)).toEqual([0, 0, 0, 0]);
    // The same link again, and the same UIDs on a second fetch.
    expect(await feedUrl('ann')).toBe(url);
    expect((await events(url)).map((e) => e.uid)).toEqual(list.map((e) => e.uid));
  });

  it('answers HEAD like GET, without the body', async () => {
    const url = (await feedUrl('ann')).replace(PUBLIC, base);
    const get = await fetch(url);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('cache-control')).toBe(get.headers.get('cache-control'));
    expect(await head.text()).toBe('');
    expect((await get.text()).length).toBeGreaterThan(0);
    expect((await fetch(`${base}/calendar/${'A'.repeat(32)}.ics`, { method: 'HEAD' })).status).toBe(404);
  });

  it('shows a move as a new time with a higher SEQUENCE, and a cancellation as STATUS:CANCELLED', async () => {
    const url = await feedUrl('ann');
    await h.run('lee', `move ${sessions[1]?.id} 2027-03-12 17:30`);
    await h.run('lee', `cancel ${sessions[2]?.id}`);
    const list = await events(url);
    const byUid = new Map(list.map((e) => [e.uid, e]));
    const moved = byUid.get(`${sessions[1]?.id}@balint-bot`) as ICAL.Event;
    expect(localStart(moved)).toBe('2027-03-12 17:30');
    expect(moved.sequence).toBe(1);
    const cancelled = byUid.get(`${sessions[2]?.id}@balint-bot`) as ICAL.Event;
    expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.sequence).toBe(1);
    expect(byUid.get(`${sessions[0]?.id}@balint-bot`)?.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it("shows only the person's own groups", async () => {
    const list = await events(await feedUrl('pat'));
    expect(list).toHaveLength(1);
    expect(list[0]?.summary).toBe('Balint group: PT Group');
  });

  it('calendar reset revokes the old link at once; unknown tokens get 404', async () => {
    const old = await feedUrl('ann');
    const fresh = await feedUrl('ann', 'calendar reset');
    expect(fresh).not.toBe(old);
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await events(fresh)).length).toBe(4);
    expect((await fetch(`${base}/calendar/${'A'.repeat(32)}.ics`)).status).toBe(404);
    expect((await fetch(`${base}/calendar/short.ics`)).status).toBe(404);
    expect(h.logs.lines.join('\n')).not.toContain(old.split('/').at(-1)?.replace('.ics', '') as string);
    expect(h.logs.lines.join('\n')).not.toContain(fresh.split('/').at(-1)?.replace('.ics', '') as string);
  });

  it('issues tokens of 192 random bits (32 base64url symbols, evenly used) that never repeat, and keeps only the latest', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 2000; i++)
      tokens.add((await h.services.calendars.reset('console:ann'))?.split('/').at(-1)?.replace('.ics', '') as string);
    expect(tokens.size).toBe(2000);
    for (const token of tokens) expect(token).toMatch(FEED_TOKEN);
    // 32 symbols × 6 bits = 192 bits, at least the 128 asked for, if every symbol is uniform:
    // a chi-square test over the 64 symbols (63 degrees of freedom, bound at about 6 sigma).
    const counts = new Map<string, number>();
    for (const token of tokens) for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(64);
    const expected = (2000 * 32) / 64;
    const chi = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(130);
    // Every reset revoked the one before: one token is stored, and it is the last one issued.
    const stored = Object.keys(
      (JSON.parse(await h.snapshot()) as Record<string, Record<string, unknown>>)['calendar-feeds'] ?? {},
    );
    expect(stored).toEqual([[...tokens].at(-1)]);
  });

  it('says the feed is not configured when BALINT_PUBLIC_URL is unset', async () => {
    const bare = createHarness(['console:coord']);
    await bare.run('coord', 'group create G');
    await bare.run('coord', 'group add G @ann');
    const before = await bare.snapshot();
    expect(await bare.say('ann', 'calendar')).toMatch(/not configured.*BALINT_PUBLIC_URL/);
    expect(await bare.say('ann', 'calendar reset')).toMatch(/not configured/);
    expect(await bare.snapshot()).toBe(before);
  });
});
