// Issue 15, proof: the fake connector answers 503 for twenty minutes, then 429 with
// Retry-After: 120 for twenty, then drops every connection for twenty, and then recovers, an
// hour of fake-clock time. Reminders and move/cancel notices (durable jobs, retried by
// usefulness) must arrive exactly once when still useful, never when no longer useful, and
// the log must say which were given up and why. The figures of docs/testing.md come from here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { References } from '../../src/adapters/teams/references.js';
import type { Group } from '../../src/core/model.js';
import type { Session } from '../../src/core/schedule/session.js';
import { FakeConnector, type ConnectorCall } from '../adapters/teams/fake-connector.js';
import { BOT, TENANT, member, startTeamsBot, user, type TeamsBot } from '../adapters/teams/teams-bot.js';

const MINUTE = 60_000;
const PEOPLE = [1, 3, 4, 5];
let bot: TeamsBot;
let t0: number;
let recoveredAt: number;
let outageCalls: number;
const lastDeliveryAt = { at: 0 };

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const headingOf = (call: ConnectorCall): string => {
  const body = (FakeConnector.card(call).body ?? []) as Array<{ text?: string }>;
  return body[0]?.text ?? '';
};
const isSend = (c: ConnectorCall) => c.method === 'POST' && /\/activities$/.test(c.path);

async function groupWithSession(name: string, startsAt: number): Promise<{ group: Group; session: Session }> {
  const { roster, schedule } = bot.app.services;
  const created = await roster.createGroup({ name, timeZone: 'UTC', preset: 'standard-60' } as never, bot.clock.now());
  await roster.addMembers(created.id, PEOPLE.map(user), 'member');
  const group = (await roster.getGroup(created.id))!;
  const [session] = await schedule.schedule(group, {
    date: day(startsAt),
    time: hhmm(startsAt),
    minutes: 60,
    mode: 'online',
  });
  return { group, session: session! };
}

async function minutes(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await bot.clock.advance(MINUTE);
    await bot.app.jobs.idle();
  }
}

const delivered = new Map<string, number[]>();

beforeAll(async () => {
  bot = await startTeamsBot();
  const refs = new References(bot.store, () => bot.clock.now());
  for (const n of PEOPLE)
    await refs.rememberPerson(user(n), {
      memberId: member(n),
      serviceUrl: bot.connector.url,
      tenant: TENANT,
      botId: BOT,
    });
  // Whole minutes, so that session times in HH:MM are exact.
  await bot.clock.advanceTo(Math.ceil(bot.clock.now() / (60 * MINUTE)) * 60 * MINUTE);
  t0 = bot.clock.now();
  const before = bot.connector.calls.length;
  bot.connector.outage = { status: 503, body: { error: { code: 'ServiceUnavailable' } } };
  await groupWithSession('Group A', t0 + 40 * MINUTE); // its 1-hour reminder: due now, useless at t0+40
  await groupWithSession('Group C', t0 + 90 * MINUTE); // 24-hour one useless at t0+30; 1-hour one due t0+30
  const d = await groupWithSession('Group D', t0 + 30 * MINUTE);
  const e = await groupWithSession('Group E', t0 + 50 * MINUTE);
  await bot.app.jobs.idle();
  await minutes(5);
  await bot.app.services.schedule.cancel(d.session, d.group, false); // the notice is useless at t0+30
  const later = t0 + 6 * 60 * MINUTE;
  await bot.app.services.schedule.move(e.session, e.group, day(later), hhmm(later)); // useful until t0+6h
  await minutes(15);
  bot.connector.outage = { status: 429, headers: { 'Retry-After': '120' }, body: { error: { code: 'Throttled' } } };
  await minutes(20);
  bot.connector.outage = 'drop';
  await minutes(20);
  bot.connector.outage = undefined;
  recoveredAt = bot.clock.now();
  outageCalls = bot.connector.calls.length - before;
  const mark = bot.connector.calls.length;
  let sends = 0;
  for (let i = 0; i < 60; i++) {
    await minutes(1);
    const now = bot.connector.calls.slice(mark).filter(isSend).length;
    if (now > sends) lastDeliveryAt.at = bot.clock.now();
    sends = now;
  }
  for (const call of bot.connector.calls.slice(mark).filter(isSend)) {
    const key = `${call.path} ${headingOf(call)}`;
    delivered.set(key, [...(delivered.get(key) ?? []), bot.connector.calls.indexOf(call)]);
  }
}, 120_000);

afterAll(async () => {
  await bot?.stop();
});

describe('Teams outage of an hour (503, then 429 Retry-After, then dropped connections)', () => {
  it('delivers each still-useful reminder and notice exactly once after recovery', () => {
    const headings = [...delivered.keys()].map((k) => k.split(' ').slice(1).join(' '));
    const count = (heading: string) => headings.filter((h) => h === heading).length;
    // One per member each: Group C's 1-hour reminder, Group E's new 24-hour reminder and its move notice.
    expect(count('Balint session: Group C')).toBe(PEOPLE.length);
    expect(count('Balint session: Group E')).toBe(PEOPLE.length);
    expect(count('Session moved: Group E')).toBe(PEOPLE.length);
    // Exactly once: no conversation got the same card twice.
    expect([...delivered.values()].every((sends) => sends.length === 1)).toBe(true);
    // Nothing that was no longer useful.
    expect(count('Balint session: Group A')).toBe(0);
    expect(count('Session cancelled: Group D')).toBe(0);
    expect(headings).toHaveLength(3 * PEOPLE.length);
  });

  it('logs each given-up delivery as job.expired with its reason and the platform code', () => {
    const expired = bot.logs.lines
      .filter((l) => l.includes('"job.expired"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Group A's 1-hour and Group C's 24-hour reminders, Group D's cancel notice: one per member.
    expect(expired.filter((l) => l.jobKind === 'schedule.reminder')).toHaveLength(2 * PEOPLE.length);
    expect(expired.filter((l) => l.jobKind === 'schedule.notice')).toHaveLength(PEOPLE.length);
    // `rate_limited`: given up while the conversation's Retry-After still held (never for a refusal).
    expect(
      expired.every((l) => ['transient', 'rate_limited'].includes(String(l.reason)) && typeof l.code === 'string'),
    ).toBe(true);
    expect(bot.logs.lines.some((l) => l.includes('"job.failed"'))).toBe(false);
  });

  it('reports requests spent per delivered message and the time from recovery to the last delivery', () => {
    const perDelivered = outageCalls / (3 * PEOPLE.length);
    const recoveryMs = lastDeliveryAt.at - recoveredAt;
    // Figures for docs/testing.md and docs/performance.md.
    console.log(
      JSON.stringify({ outageRequests: outageCalls, delivered: 3 * PEOPLE.length, perDelivered, recoveryMs }),
    );
    expect(recoveredAt - t0).toBe(60 * MINUTE);
    // Jobs back off to at most 4 minutes (jittered), so all are delivered within about that.
    expect(recoveryMs).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThanOrEqual(5 * MINUTE);
    expect(outageCalls).toBeGreaterThan(0);
  });
});
