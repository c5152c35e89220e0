// Issue 15, proof on Slack: the fake Web API answers 503 for twenty minutes, then 429 with
// Retry-After: 120 for twenty, then drops every connection for twenty, and then recovers, an
// hour of fake-clock time. Reminders, move/cancel notices, invites and a running timer's phase
// posts must arrive exactly once when still useful, never when no longer useful, the log must
// say which were given up and why, and the workspace's card refreshes must stop while Slack
// asks it to wait. The figures of docs/testing.md come from here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../src/core/model.js';
import type { Session } from '../../src/core/schedule/session.js';
import type { Timer } from '../../src/core/timer/service.js';
import type { Call } from '../adapters/slack/fake-slack.js';
import { heading } from './slack-bot.js';
import { startSlackClockBot, type SlackClockBot } from './slack-clock-bot.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 15, 15, 0, 0);
const slack = (id: string) => `slack:T0001:${id}`;
const PEOPLE = ['U0002', 'U0003', 'U0004', 'U0005'];
const LEADER = 'U0006';
const STUDENT_LATE = 'U0008'; // invited to a session after the outage: useful
const STUDENT_SOON = 'U0009'; // invited to a session that starts during the outage: given up
const RETRY_AFTER = { status: 429, headers: { 'Retry-After': '120' }, body: { ok: false, error: 'ratelimited' } };

let bot: SlackClockBot;
/** The simulated minute each Web API call was made in (index-aligned with bot.fake.calls). */
const minuteOf: number[] = [];
let outageFrom = 0;
let recoveredFrom = 0;
let limitedFrom = 0;
let limitedTo = 0;
let lastDeliveryAt = 0;
let logsAtLimit = 0;
let logsAfterLimit = 0;

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);
const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const ok = (c: Call) => c.status === 200 && (c.answer as { ok?: boolean } | undefined)?.ok === true;
const isPost = (c: Call) => c.method === 'chat.postMessage';
const isCard = (c: Call) => JSON.stringify(c.params.blocks ?? []).includes('timer:');

function note(): void {
  while (minuteOf.length < bot.fake.calls.length) minuteOf.push(bot.clock.now());
}

/**
 * Moves the clock on a minute at a time (or in `steps` per minute), letting every job finish
 * between steps. Under a 429 the steps are 10 s: the jobs a pause held back come back spread
 * over its end, and the first one's answer must be known before the next one's turn, as in
 * real time.
 */
async function minutes(count: number, steps = 1): Promise<void> {
  for (let i = 0; i < count * steps; i++) {
    await bot.clock.advance(MINUTE / steps);
    await bot.app.jobs.idle();
    note();
  }
}

async function groupWithSession(
  name: string,
  startsAt: number,
  members: string[],
  settings: { program?: string; reminders?: number[] } = {},
): Promise<{ group: Group; session: Session }> {
  const { roster, schedule } = bot.app.services;
  const created = await roster.createGroup(
    { name, timeZone: 'UTC', preset: '60', ...(settings.program ? { program: settings.program } : {}) } as never,
    bot.clock.now(),
  );
  await roster.addMembers(created.id, members.map(slack), 'member');
  if (settings.reminders) await roster.configureGroup(created.id, { reminderMinutes: settings.reminders });
  const group = (await roster.getGroup(created.id))!;
  const [session] = await schedule.schedule(group, {
    date: day(startsAt),
    time: hhmm(startsAt),
    minutes: 60,
    mode: 'online',
  });
  return { group, session: session! };
}

async function timer(): Promise<Timer | undefined> {
  const id = await bot.store.get<string>('channel-timers', slack('C0001'));
  return id === undefined ? undefined : bot.store.get<Timer>('timers', id);
}

/** How many of the timer's events its card shows: a command has taken effect once it is drawn. */
const shown = async () => (await timer())?.shown?.events ?? 0;

beforeAll(async () => {
  bot = await startSlackClockBot({ start: T0 - 15 * MINUTE, rotations: { inviteTime: hhmm(T0 + 3 * MINUTE) } });
  const { roster, rotations } = bot.app.services;
  // A session running in C0001 from before the outage: strict pacing, moved on to the push
  // back and extended, so that its next phases (presenter returns at T0+48, wrap up at T0+58)
  // come due while connections drop, and it still runs after the recovery.
  const t = await roster.createGroup({ name: 'Group T', timeZone: 'UTC', preset: '90' } as never, bot.clock.now());
  await roster.addMembers(t.id, [slack(LEADER)], 'leader');
  await roster.configureGroup(t.id, { pacing: 'strict' });
  await bot.clock.advance(3 * MINUTE);
  await bot.command(LEADER, 'start Group T', async () => (await shown()) >= 1);
  for (let n = 2; n <= 4; n++) await bot.command(LEADER, 'next', async () => (await shown()) >= n);
  await bot.command(LEADER, 'extend 10', async () => (await shown()) >= 5);
  await bot.clock.advanceTo(T0 - MINUTE);
  await minutes(1);
  expect(bot.clock.now()).toBe(T0);

  outageFrom = bot.fake.calls.length;
  bot.fake.outage = { status: 503, body: { ok: false, error: 'service_unavailable' } };
  await groupWithSession('Group A', T0 + 40 * MINUTE, PEOPLE); // its 1-hour reminder: due now, useless at T0+40
  await groupWithSession('Group C', T0 + 90 * MINUTE, PEOPLE); // 24-hour one useless at T0+30; 1-hour one due T0+30
  const d = await groupWithSession('Group D', T0 + 30 * MINUTE, PEOPLE);
  const e = await groupWithSession('Group E', T0 + 50 * MINUTE, PEOPLE);
  // Post-rotation invites at T0+3: one to a session after the outage, one to a session it outlasts.
  await groupWithSession('Group I', T0 + 3 * 60 * MINUTE, [STUDENT_LATE], { program: 'PA', reminders: [] });
  await groupWithSession('Group J', T0 + 45 * MINUTE, [STUDENT_SOON], { program: 'PA', reminders: [] });
  for (const student of [STUDENT_LATE, STUDENT_SOON])
    await rotations.add(slack(student), 'PA' as never, 'Surgery', '2026-01-01', day(T0));
  await bot.app.jobs.idle();
  note();
  await minutes(5);
  await bot.app.services.schedule.cancel(d.session, d.group, false); // the notice is useless at T0+30
  const later = T0 + 6 * 60 * MINUTE;
  await bot.app.services.schedule.move(e.session, e.group, day(later), hhmm(later)); // useful until T0+6h
  await minutes(15);
  bot.fake.outage = RETRY_AFTER;
  limitedFrom = bot.fake.calls.length;
  logsAtLimit = bot.logs.lines.length;
  await minutes(20, 6);
  limitedTo = bot.fake.calls.length;
  logsAfterLimit = bot.logs.lines.length;
  bot.fake.outage = 'drop';
  await minutes(20);
  bot.fake.outage = undefined;
  recoveredFrom = bot.fake.calls.length;
  for (let i = 0; i < 30; i++) {
    const before = bot.fake.calls.length;
    await minutes(1);
    if (bot.fake.calls.slice(before).some((c) => backlog(c))) lastDeliveryAt = bot.clock.now();
  }
}, 300_000);

/**
 * A delivered message that was due before the recovery. Not: the live card (re-posted under
 * each phase post), and what came due only afterwards (the two-minute warning at T0+61, the
 * closing at T0+63 and the leader's notes that follow it).
 */
function backlog(c: Call): boolean {
  const later = ['Two minutes left', 'Thank you'].some((h) => heading(c).startsWith(h));
  return isPost(c) && ok(c) && !isCard(c) && !later && c.params.channel !== `D${LEADER}`;
}

const deliveredAfterRecovery = () => bot.fake.calls.slice(recoveredFrom).filter(backlog);
const expired = () => bot.events('job.expired');

afterAll(async () => {
  await bot?.stop();
});

describe('Slack outage of an hour (503, then 429 Retry-After, then dropped connections)', () => {
  it('delivers each still-useful reminder, notice, invite, digest and phase post exactly once after recovery', () => {
    const keys = deliveredAfterRecovery().map((c) => `${String(c.params.channel)} ${heading(c)}`);
    const count = (h: string) => keys.filter((k) => k.endsWith(` ${h}`)).length;
    // One per member each: Group C's 1-hour reminder, Group E's new 24-hour reminder and its move notice.
    expect(count('Balint session: Group C')).toBe(PEOPLE.length);
    expect(count('Balint session: Group E')).toBe(PEOPLE.length);
    expect(count('Session moved: Group E')).toBe(PEOPLE.length);
    // The invite to the session after the outage, and the coordinator's digest naming the one given up.
    expect(keys).toContain(`D${STUDENT_LATE} Welcome back: Group I`);
    expect(keys).toContain('DU0001 Rotation ends: Group J');
    // The running session: one catch-up post for the phase it is in (wrap up since T0+58).
    expect(keys.filter((k) => k.startsWith('C0001 '))).toEqual(['C0001 Wrap up']);
    // Exactly once: no conversation got the same message twice.
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(3 * PEOPLE.length + 3);
  });

  it('delivers nothing that was no longer useful', () => {
    const all = bot.fake.calls
      .filter((c) => isPost(c) && ok(c))
      .map((c) => `${String(c.params.channel)} ${heading(c)}`);
    expect(all.filter((k) => /Group A$|Session cancelled: Group D/.test(k))).toEqual([]);
    expect(all.filter((k) => k.startsWith(`D${STUDENT_SOON} `))).toEqual([]);
    // Group C's 24-hour reminder (useless since its 1-hour one came due) went nowhere either.
    expect(all.filter((k) => k.endsWith('Balint session: Group C'))).toHaveLength(PEOPLE.length);
    // Presenter returns (T0+48) was overtaken by the wrap up before Slack came back.
    expect(all.filter((k) => k === 'C0001 Presenter returns')).toEqual([]);
  });

  it('logs each given-up delivery as job.expired with its reason and the platform code, and fails none', () => {
    const lines = expired();
    // Group A's 1-hour and Group C's 24-hour reminders, Group D's cancel notice: one per member.
    expect(lines.filter((l) => l.jobKind === 'schedule.reminder')).toHaveLength(2 * PEOPLE.length);
    expect(lines.filter((l) => l.jobKind === 'schedule.notice')).toHaveLength(PEOPLE.length);
    // The invite to Group J's session, which began at T0+45 while connections dropped.
    expect(lines.filter((l) => l.jobKind === 'rotations.invite')).toEqual([
      expect.objectContaining({ reason: 'transient', code: 'request_failed' }),
    ]);
    expect(lines).toHaveLength(3 * PEOPLE.length + 1);
    // Those whose limit passed under the 429s say so: waiting out the Retry-After would outlast them.
    const limited = lines.filter((l) => l.reason === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((l) => l.code === 'ratelimited' || l.code === 'rate_limit_pending')).toBe(true);
    expect(lines.every((l) => typeof l.reason === 'string' && typeof l.code === 'string')).toBe(true);
    expect(bot.events('job.failed')).toEqual([]);
  });

  it('spends one request per Retry-After on the workspace under 429s, and refreshes no card meanwhile', () => {
    const during = bot.fake.calls.slice(limitedFrom, limitedTo);
    const at = (i: number) => minuteOf[limitedFrom + i] as number;
    // Each request there met a 429 and paused the workspace for 120 s: the next came after it.
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((c) => c.status === 429)).toBe(true);
    expect(during.slice(1).every((_, i) => at(i + 1) - at(i) >= 120_000)).toBe(true);
    expect(during.length).toBeLessThanOrEqual(10);
    // The countdown card: at most the first refusal, then skipped without a request.
    expect(during.filter((c) => c.method === 'chat.update').length).toBeLessThanOrEqual(1);
    const skipped = bot.logs.lines
      .slice(logsAtLimit, logsAfterLimit)
      .filter((l) => l.includes('"timer.refresh-skipped"') && l.includes('"rate_limited"'));
    expect(skipped.length).toBeGreaterThan(10);
    // Jobs held back wait their turn without it counting as an attempt.
    const deferred = bot.events('job.deferred');
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.every((l) => l.reason === 'rate_limited' && (l.delayMs as number) >= 1)).toBe(true);
  });

  it('reports requests spent per delivered message and the time from recovery to the last delivery', () => {
    const outageRequests = recoveredFrom - outageFrom;
    const delivered = deliveredAfterRecovery().length;
    const recoveryMs = lastDeliveryAt - (T0 + 60 * MINUTE);
    const byWindow = [
      ['503', outageFrom, limitedFrom],
      ['429', limitedFrom, limitedTo],
      ['drop', limitedTo, recoveredFrom],
    ].map(([name, from, to]) => `${String(name)}: ${(to as number) - (from as number)}`);
    // Figures for docs/testing.md.
    console.log(
      JSON.stringify({ outageRequests, byWindow, delivered, perDelivered: outageRequests / delivered, recoveryMs }),
    );
    expect(outageRequests).toBeGreaterThan(0);
    // Jobs back off to at most 4 minutes (jittered), so all are delivered within about that.
    expect(recoveryMs).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThanOrEqual(5 * MINUTE);
  });
});
