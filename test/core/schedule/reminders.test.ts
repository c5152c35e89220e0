// Reminders as durable jobs on the fake clock: sent at the right time, exactly once across
// restarts; after downtime sent once if still useful, dropped with a log line if not. And the
// RSVP buttons they carry, including 200 presses at once.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleButton } from '../../../src/commands/actions.js';
import { plainText, replyCard, type Block, type Reply } from '../../../src/core/cards.js';
import type { Group } from '../../../src/core/model.js';
import type { Session } from '../../../src/core/schedule/session.js';
import { createHarness, type Harness } from '../../support/harness.js';
import { RecordingChat } from '../../support/recording-chat.js';

const HOUR = 3_600_000;
// 2027-01-20 16:00 in New York is 21:00 UTC; the fake clock starts on 2027-01-15 at 15:00 UTC.
const START = Date.UTC(2027, 0, 20, 21);
const DAY_BEFORE = START - 24 * HOUR;
const HOUR_BEFORE = START - HOUR;
const MEMBERS = ['console:ann', 'console:bo', 'console:cal', 'console:lee'];

let h: Harness;
let session: Session;
let group: Group;

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  await h.run('coord', 'group create PA Cohort A tz America/New_York');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @cal as co-leader');
  await h.run('coord', 'group add PA Cohort A @ann @bo');
  await h.run('coord', 'schedule PA Cohort A 2027-01-20 16:00 at Room 3');
  group = (await h.services.roster.findGroup('PA Cohort A')) as Group;
  [session] = (await h.services.schedule.upcoming(group.id)) as [Session];
});

const reminders = () => h.chat.sent.filter((s) => s.kind === 'direct' && s.text.startsWith('Balint session'));
const logEvents = () => h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const press = (actor: string, answer: 'yes' | 'no', value = `${answer}:${session.id}`) =>
  handleButton(h.services, {
    actionId: `rsvp:${answer}`,
    value,
    actor: `console:${actor}`,
    place: `dm:console:${actor}`,
  });
const say = (replies: Reply[]) => replies.map((r) => plainText(replyCard(r))).join('\n');

describe('reminders', () => {
  it('sends each member one reminder 24 h and one 1 h before, on time, with RSVP buttons', async () => {
    await h.clock.advanceTo(DAY_BEFORE - 1);
    expect(reminders()).toEqual([]);
    await h.clock.advanceTo(DAY_BEFORE);
    expect(
      reminders()
        .map((r) => r.user)
        .sort(),
    ).toEqual(MEMBERS);
    expect(new Set(reminders().map((r) => r.at))).toEqual(new Set([DAY_BEFORE]));
    await h.clock.advanceTo(START + HOUR);
    expect(reminders()).toHaveLength(8);
    expect(
      reminders()
        .slice(4)
        .every((r) => r.at === HOUR_BEFORE),
    ).toBe(true);
    const first = reminders()[0];
    expect(first?.text).toContain('When: Wed 20 Jan 2027, 16:00 EST');
    expect(first?.text).toContain('Where: Room 3');
    const buttons = first?.card.blocks.flatMap((b: Block) => (b.type === 'actions' ? b.buttons : []));
    expect(buttons?.map((b) => [b.actionId, b.value, b.label])).toEqual([
      ['rsvp:yes', `yes:${session.id}`, 'Going'],
      ['rsvp:no', `no:${session.id}`, "Can't make it"],
    ]);
    expect(h.chat.posts()).toEqual([]);
  });

  it("shows a member's reminder in their platform zone where the chat knows it", async () => {
    // A chat whose platform knows ann's profile zone (Slack's users.info, Teams' localTimezone).
    class ZonedChat extends RecordingChat {
      async userTimeZone(user: string): Promise<string | undefined> {
        return user === 'console:ann' ? 'Europe/Budapest' : undefined;
      }
    }
    const chat = new ZonedChat();
    const budapest = createHarness(['console:coord'], chat);
    await budapest.start();
    await budapest.run('coord', 'group create G tz America/New_York');
    await budapest.run('coord', 'group add G @ann @bo');
    await budapest.run('coord', 'schedule G 2027-01-20 16:00');
    await budapest.clock.advanceTo(DAY_BEFORE);
    const sent = chat.sent.filter((s) => s.kind === 'direct');
    expect(sent.find((s) => s.user === 'console:ann')?.text).toContain('When: Wed 20 Jan 2027, 22:00 GMT+1');
    expect(sent.find((s) => s.user === 'console:bo')?.text).toContain('When: Wed 20 Jan 2027, 16:00 EST');
  });

  it('persists every per-member reminder before sending, and sends each once across a restart', async () => {
    await h.clock.advanceTo(DAY_BEFORE);
    await h.restart();
    await h.jobs.sweep();
    await h.clock.advance(5 * 60_000);
    await h.restart();
    await h.clock.advanceTo(START + HOUR);
    await h.jobs.sweep();
    expect(reminders()).toHaveLength(8);
    expect(await h.jobs.pending()).toEqual([]);
    const done = JSON.parse(await h.snapshot()) as Record<string, Record<string, unknown>>;
    const keys = Object.keys(done['jobs-done'] ?? {}).filter((k) => k.startsWith('reminder:'));
    expect(keys.sort()).toEqual(
      MEMBERS.flatMap((u) => [1440, 60].map((o) => `reminder:${session.id}:0:${o}:${u}`)).sort(),
    );
  });

  it('retries a direct message that failed, and still sends each member exactly one', async () => {
    h.chat.failNext.direct = new Error('platform unavailable');
    await h.clock.advanceTo(DAY_BEFORE + 5 * 60_000);
    expect(
      reminders()
        .map((r) => r.user)
        .sort(),
    ).toEqual(MEMBERS);
    expect(Math.max(...reminders().map((r) => r.at ?? 0))).toBeGreaterThan(DAY_BEFORE);
    expect(logEvents().filter((l) => l.event === 'job.retry' && l.jobKind === 'schedule.reminder')).toHaveLength(1);
  });

  it('after downtime over the 24 h mark sends that reminder once, late, since the session has not started', async () => {
    await h.clock.advanceTo(DAY_BEFORE - HOUR);
    await h.crash();
    await h.clock.advanceTo(DAY_BEFORE + 3 * HOUR);
    expect(reminders()).toEqual([]);
    await h.restart();
    expect(reminders()).toHaveLength(4);
    expect(new Set(reminders().map((r) => r.at))).toEqual(new Set([DAY_BEFORE + 3 * HOUR]));
    await h.clock.advanceTo(START);
    expect(reminders()).toHaveLength(8);
  });

  it('after downtime over both marks sends only the 1 h reminder, and drops the 24 h one with a log line', async () => {
    await h.crash();
    await h.clock.advanceTo(HOUR_BEFORE + 10 * 60_000);
    await h.restart();
    expect(reminders()).toHaveLength(4);
    expect(reminders().every((r) => r.at === HOUR_BEFORE + 10 * 60_000)).toBe(true);
    const stale = logEvents().filter((l) => l.event === 'job.stale');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ jobKind: 'schedule.remind' });
  });

  it('after downtime past the start sends nothing, and logs each dropped reminder', async () => {
    await h.crash();
    await h.clock.advanceTo(START + 5 * 60_000);
    await h.restart();
    await h.clock.advance(HOUR);
    expect(reminders()).toEqual([]);
    expect(logEvents().filter((l) => l.event === 'job.stale')).toHaveLength(2);
    expect(await h.jobs.pending()).toEqual([]);
  });

  it('a changed reminder list moves the limit of the reminders it keeps: after downtime, only the latest useful one', async () => {
    await h.run('coord', 'group set PA Cohort A reminders 24h,3h,1h');
    await h.crash();
    // Down over the 24 h and 3 h marks: the 24 h reminder is now useful only until the 3 h one.
    await h.clock.advanceTo(START - 2 * HOUR);
    await h.restart();
    expect(reminders().map((r) => r.at)).toEqual(Array(4).fill(START - 2 * HOUR));
    await h.clock.advanceTo(START);
    expect(reminders()).toHaveLength(8);
    expect(
      reminders()
        .slice(4)
        .every((r) => r.at === HOUR_BEFORE),
    ).toBe(true);
    const dropped = logEvents()
      .filter((l) => l.event === 'job.stale')
      .map((l) => l.jobKind);
    expect(dropped).toEqual(['schedule.remind']);
  });

  it('a moved session is reminded at its new time only; a cancelled one not at all', async () => {
    await h.run('coord', `move ${session.id} 2027-01-22 16:00`);
    await h.run('coord', 'schedule PA Cohort A 2027-01-21 10:00');
    const second = (await h.services.schedule.upcoming(group.id)).find((s) => s.date === '2027-01-21');
    await h.run('coord', `cancel ${second?.id}`);
    await h.clock.advanceTo(Date.UTC(2027, 0, 23));
    const at = reminders().map((r) => r.at);
    expect(at).toHaveLength(8);
    expect(new Set(at)).toEqual(new Set([Date.UTC(2027, 0, 21, 21), Date.UTC(2027, 0, 22, 20)]));
  });
});

describe('RSVP buttons', () => {
  it('records an answer, lets it change until the start, then closes', async () => {
    expect(say(await press('ann', 'yes'))).toContain("you're down as going");
    expect(say(await press('ann', 'no'))).toContain("you can't make it");
    expect((await h.services.schedule.get(session.id))?.rsvps).toEqual({ 'console:ann': 'no' });
    await h.clock.advanceTo(START);
    const before = await h.snapshot();
    expect(say(await press('ann', 'yes'))).toBe('That session has already started, so answers are closed.');
    expect(await h.snapshot()).toBe(before);
  });

  it("never announces can't-make-it: nothing is posted or sent to anyone else", async () => {
    const sentBefore = h.chat.sent.length;
    await press('ann', 'no');
    expect(h.chat.sent.length).toBe(sentBefore);
    const stored = (await h.services.schedule.get(session.id)) as Session;
    expect(stored.rsvps).toEqual({ 'console:ann': 'no' });
  });

  it('refuses presses by non-members, tampered values and cancelled sessions, changing nothing', async () => {
    const before = await h.snapshot();
    expect(say(await press('stranger', 'yes'))).toBe('That button no longer does anything.');
    expect(say(await press('ann', 'no', `yes:${session.id}`))).toBe('That button no longer does anything.');
    expect(say(await press('ann', 'yes', 'yes:ses_zzsecretzz'))).toBe('That button no longer does anything.');
    expect(say(await press('ann', 'yes', 'yes:ses_000000000000'))).toBe('That button no longer does anything.');
    expect(await h.snapshot()).toBe(before);
    await h.run('coord', `cancel ${session.id}`);
    await h.clock.advance(0);
    const afterCancel = await h.snapshot();
    expect(say(await press('ann', 'yes'))).toBe('That session was cancelled.');
    expect(await h.snapshot()).toBe(afterCancel);
  });

  it('keeps every one of 200 concurrent presses', async () => {
    const people = Array.from({ length: 200 }, (_, i) => `console:p${i}`);
    await h.services.roster.addMembers(group.id, people, 'member');
    const answers = await Promise.all(
      people.map((user, i) =>
        handleButton(h.services, {
          actionId: i % 3 === 0 ? 'rsvp:no' : 'rsvp:yes',
          value: `${i % 3 === 0 ? 'no' : 'yes'}:${session.id}`,
          actor: user,
          place: `dm:${user}`,
        }),
      ),
    );
    expect(answers.every((a) => a.length === 1)).toBe(true);
    const rsvps = (await h.services.schedule.get(session.id))?.rsvps ?? {};
    expect(Object.keys(rsvps)).toHaveLength(200);
    expect(Object.values(rsvps).filter((a) => a === 'no')).toHaveLength(67);
    expect(await h.say('lee', 'sessions')).toContain('Going (133)');
  });
});
