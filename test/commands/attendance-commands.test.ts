// Attendance through the commands and the card's buttons, on a fake clock: the card the
// facilitators get when a session ends, who may mark, the seven-day window, and who sees what.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { plainText, replyCard, type Button, type Card } from '../../src/core/cards.js';
import { createHarness, type Harness } from '../support/harness.js';

const MIN = 60_000;
const DAY = 86_400_000;
let h: Harness;
let groupId: string;
let sessionId: string;

const press = (actor: string, button: Button) =>
  handleButton(h.services, {
    actionId: button.actionId,
    value: button.value,
    actor: `console:${actor}`,
    place: `dm:console:${actor}`,
  });

const lastOutcome = () => (JSON.parse(h.logs.lines.at(-1) ?? '{}') as { outcome?: string }).outcome;

function buttonsOf(card: Card): Button[] {
  return card.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
}

/** The attendance card sent to `actor` by direct message (the latest one). */
function cardOf(actor: string): Card {
  const sent = h.chat.sent.filter((s) => s.kind === 'direct' && s.user === `console:${actor}`);
  const found = sent.filter((s) => s.text.startsWith('Attendance: ')).at(-1);
  if (!found) throw new Error(`no attendance card for ${actor}`);
  return found.card;
}

const toggleFor = (card: Card, member: string): Button => {
  const button = buttonsOf(card).find(
    (b) => b.actionId === 'attendance:toggle' && b.value.endsWith(`/console:${member}`),
  );
  if (!button) throw new Error(`no toggle for ${member}`);
  return button;
};
const submitOf = (card: Card): Button => buttonsOf(card).find((b) => b.actionId === 'attendance:submit') as Button;

async function runSession(): Promise<void> {
  await h.clock.advanceTo((await h.services.schedule.get(sessionId))?.start ?? 0);
  await h.run('lee', 'start PA Cohort A');
  await h.clock.advance(50 * MIN);
  await h.run('lee', 'end');
  await h.clock.advance(0);
}

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York preset 60',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @cal as co-leader',
    'group add PA Cohort A @ann @bo',
    'group create PT Group program PT',
    'group add PT Group @pat',
    'schedule PA Cohort A 2027-01-16 10:00',
  ])
    await h.run('coord', line);
  const group = await h.services.roster.findGroup('PA Cohort A');
  groupId = group?.id ?? '';
  sessionId = (await h.services.schedule.upcoming(groupId))[0]?.id ?? '';
  await h.services.schedule.rsvp(sessionId, 'console:ann', 'yes');
  await h.services.schedule.rsvp(sessionId, 'console:bo', 'no');
});

describe('taking attendance', () => {
  it('sends each facilitator one private card when the session ends, pre-set from the RSVPs', async () => {
    await runSession();
    const cards = h.chat.sent.filter((s) => s.text.startsWith('Attendance: '));
    expect(cards.map((s) => [s.kind, s.user]).sort()).toEqual([
      ['direct', 'console:cal'],
      ['direct', 'console:lee'],
    ]);
    const text = plainText(cardOf('lee'));
    expect(text).toContain('1 of 2 present');
    expect(text).toContain('1. Present: @ann');
    expect(text).toContain('2. Absent: @bo');
    // Nobody else heard of it: no channel post, nothing to the members.
    const toMembers = h.chat.sent.filter((s) => s.user === 'console:ann' || s.user === 'console:bo');
    expect(toMembers.filter((s) => /attendance/i.test(s.text))).toEqual([]);
    expect(h.chat.posts().filter((s) => /attendance/i.test(s.text))).toEqual([]);
    // A restart (the open job run again) sends nothing twice.
    await h.restart();
    await h.run('lee', 'status');
    expect(h.chat.sent.filter((s) => s.text.startsWith('Attendance: ')).length).toBe(2);
  });

  it('stores present or absent, who marked it and when, and nothing else', async () => {
    await runSession();
    const markedAt = h.clock.now();
    expect(await press('lee', toggleFor(cardOf('lee'), 'bo'))).toEqual([]);
    // Every facilitator's card follows, in place.
    const updates = h.chat.sent.filter((s) => s.kind === 'update' && s.text.startsWith('Attendance: '));
    expect(updates.map((u) => u.place).sort()).toEqual(['dm:console:cal', 'dm:console:lee']);
    expect(updates[0]?.text).toContain('2 of 2 present');
    h.clock.pass(MIN);
    await press('cal', submitOf(cardOf('cal')));
    const sheet = await h.services.attendance.records.get(sessionId);
    expect(sheet?.marks).toEqual({
      'console:ann': { present: true, by: 'console:cal', at: markedAt + MIN },
      'console:bo': { present: true, by: 'console:lee', at: markedAt },
    });
    expect(Object.keys(sheet ?? {}).sort()).toEqual([
      'cards',
      'closesAt',
      'groupId',
      'id',
      'marks',
      'start',
      'submitted',
      'zone',
    ]);
  });

  it('lets only the group’s facilitators and coordinators mark, and changes nothing otherwise', async () => {
    await runSession();
    const toggle = toggleFor(cardOf('lee'), 'ann');
    for (const actor of ['ann', 'bo', 'pat', 'zed']) {
      const before = await h.snapshot();
      const replies = await press(actor, toggle);
      expect(plainText(replyCard(replies[0] as never))).toMatch(/Only the group's facilitators/);
      expect(lastOutcome()).toBe('refused');
      expect(await h.snapshot()).toBe(before);
    }
    await press('coord', toggle);
    expect(lastOutcome()).toBe('ok');
    const before = await h.snapshot();
    await press('lee', { ...toggle, value: `${sessionId}/console:zed` });
    expect(lastOutcome()).toBe('not-found');
    await press('lee', { ...toggle, value: 'ses_000000000000/console:ann' });
    expect(lastOutcome()).toBe('not-found');
    expect(await h.snapshot()).toBe(before);
  });

  it('is changeable for 7 days, then closed', async () => {
    await runSession();
    const opened = h.clock.now();
    await press('lee', submitOf(cardOf('lee')));
    await h.clock.advanceTo(opened + 7 * DAY - 1);
    await press('lee', toggleFor(cardOf('lee'), 'bo'));
    expect(lastOutcome()).toBe('ok');
    await h.clock.advanceTo(opened + 7 * DAY);
    const before = await h.snapshot();
    const replies = await press('lee', toggleFor(cardOf('lee'), 'ann'));
    expect(lastOutcome()).toBe('conflict');
    expect(plainText(replyCard(replies[0] as never))).toMatch(/closed/);
    expect(await h.snapshot()).toBe(before);
  });

  it('opens from `attendance take` in the channel, for the latest session', async () => {
    await h.clock.advanceTo((await h.services.schedule.get(sessionId))?.start ?? 0);
    await h.clock.advance(70 * MIN);
    expect(await h.say('cal', 'attendance take')).toMatch(/in your direct messages/);
    expect(plainText(cardOf('cal'))).toContain('1 of 2 present');
    expect(h.chat.sent.filter((s) => s.text.startsWith('Attendance: ')).map((s) => s.user)).toEqual(['console:cal']);
    expect(await h.say('ann', 'attendance take PA Cohort A')).toMatch(/facilitators/);
    expect(await h.say('pat', 'attendance take PA Cohort A')).toMatch(/facilitators/);
  });

  it('keeps one sheet per day for a session that was never scheduled', async () => {
    await h.run('coord', 'group create GC Group program GC');
    await h.run('coord', 'group add GC Group @gil as leader');
    await h.run('coord', 'group add GC Group @gia');
    await h.run('gil', 'attendance take GC Group');
    await h.run('gil', 'attendance take GC Group');
    const sheets = await h.services.attendance.records.forGroup(
      (await h.services.roster.findGroup('GC Group'))?.id ?? '',
    );
    expect(sheets.map((s) => s.id)).toHaveLength(1);
    expect(sheets[0]?.id).toMatch(/^day_[0-9a-f]{16}_20270115$/);
  });
});

describe('seeing attendance', () => {
  async function twoSessions(): Promise<void> {
    await runSession();
    await press('lee', submitOf(cardOf('lee')));
    await h.run('coord', 'schedule PA Cohort A 2027-01-23 10:00');
    sessionId = (await h.services.schedule.upcoming(groupId)).find((s) => s.start > h.clock.now())?.id ?? '';
    await h.services.schedule.rsvp(sessionId, 'console:ann', 'yes');
    await h.services.schedule.rsvp(sessionId, 'console:bo', 'yes');
    await runSession();
    await press('lee', submitOf(cardOf('lee')));
  }

  it('shows facilitators and coordinators every member by sessions; members only their own', async () => {
    await twoSessions();
    for (const actor of ['lee', 'cal', 'coord']) {
      const text = await h.say(actor, 'attendance PA Cohort A');
      expect(text).toContain(
        'Member: @ann\nAttendance: attended 2 of 2\nSessions: 2027-01-16 present, 2027-01-23 present',
      );
      expect(text).toContain(
        'Member: @bo\nAttendance: attended 1 of 2\nSessions: 2027-01-16 absent, 2027-01-23 present',
      );
    }
    for (const line of ['attendance', 'attendance PA Cohort A']) {
      const own = await h.say('bo', line);
      expect(own).toContain('Your attendance: PA Cohort A');
      expect(own).toContain('attended 1 of 2');
      expect(own).not.toContain('ann');
      expect(own).not.toContain('2 of 2');
    }
    expect(await h.say('pat', 'attendance PA Cohort A')).toMatch(/I don't see a group/);
    expect(await h.say('zed', 'attendance PA Cohort A')).toMatch(/Only members/);
  });

  it('counts only submitted sessions', async () => {
    await runSession();
    expect(await h.say('lee', 'attendance PA Cohort A')).toContain('attended 0 of 0');
  });

  it('flags who is below the group’s requirement, to its facilitators and in the coordinators’ digest only', async () => {
    await twoSessions();
    expect(await h.say('coord', 'group set PA Cohort A attendance 6 of 8')).toContain('Attendance asked: 6 of 8');
    const view = await h.say('lee', 'attendance PA Cohort A');
    expect(view).toContain('attended 1 of 2 (below pace)');
    expect(view).toContain('attended 2 of 2\n');
    expect(await h.services.attendance.belowPace(groupId)).toEqual(['console:bo']);
    expect(await h.say('bo', 'attendance')).toContain('attended 1 of 2 (below pace)');
    expect(await h.say('ann', 'attendance')).not.toContain('below');
    // The coordinators' digest (sent when a rotation ends) names who is below pace, to them only.
    expect(await h.say('coord', 'rotation add @ann Surgery 2027-01-04 2027-02-05')).not.toMatch(/Only/);
    await h.clock.advanceTo(Date.UTC(2027, 1, 6, 12, 0));
    const digests = h.chat.sent.filter((m) => m.text.startsWith('Rotation ends'));
    expect(digests.map((d) => d.user)).toEqual(['console:coord']);
    expect(digests[0]?.text).toContain('Below attendance pace: @bo');
    expect(h.chat.sent.filter((m) => m.user !== 'console:coord' && /pace/.test(m.text))).toEqual([]);
    for (const bad of ['9 of 8', '0 of 8', 'six of eight', '6 of 800'])
      expect(await h.say('coord', `group set PA Cohort A attendance ${bad}`)).toMatch(/e\.g\. `6 of 8`/);
    await h.run('coord', 'group set PA Cohort A attendance none');
    expect(await h.services.attendance.belowPace(groupId)).toEqual([]);
  });
});
