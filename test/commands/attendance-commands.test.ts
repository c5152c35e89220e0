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
    // Both facilitators' cards are redrawn closed, without buttons.
    for (const place of ['dm:console:lee', 'dm:console:cal']) {
      const last = h.chat.sent.filter((m) => m.kind === 'update' && m.place === place).at(-1);
      expect(plainText(last?.card ?? { blocks: [] })).toContain('Attendance for this session is closed.');
      expect(buttonsOf(last?.card ?? { blocks: [] })).toEqual([]);
    }
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

/** Two sessions taken and submitted: ann at both, bo at the second only. */
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

describe('seeing attendance', () => {
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

  it('flags who is below the group’s requirement, to its facilitators and the member themself only', async () => {
    await twoSessions();
    expect(await h.say('coord', 'group set PA Cohort A attendance 6 of 8')).toContain('Attendance asked: 6 of 8');
    const view = await h.say('lee', 'attendance PA Cohort A');
    expect(view).toContain('Requirement: 6 of 8.');
    expect(view).toContain('attended 1 of 2 (below pace)');
    expect(view).toContain('attended 2 of 2\n');
    const group = await h.services.roster.getGroup(groupId);
    if (!group) throw new Error('no group');
    expect((await h.services.attendance.belowPace(group)).below.map((t) => t.user)).toEqual(['console:bo']);
    expect(await h.say('bo', 'attendance')).toContain('attended 1 of 2 (below pace)');
    expect(await h.say('ann', 'attendance')).not.toContain('below');
    for (const bad of ['9 of 8', '0 of 8', 'six of eight', '6 of 800'])
      expect(await h.say('coord', `group set PA Cohort A attendance ${bad}`)).toMatch(/e\.g\. `6 of 8`/);
    await h.run('coord', 'group set PA Cohort A attendance none');
    const unset = await h.services.roster.getGroup(groupId);
    expect(unset && (await h.services.attendance.belowPace(unset)).below).toEqual([]);
  });
});

describe('a program-wide requirement', () => {
  it('applies to every group of the program without its own, the group’s own overriding it', async () => {
    await twoSessions();
    const set = await h.say('coord', 'program set PA attendance 6 of 8');
    expect(set).toContain('Physician Assistant Studies (PA): attendance asked');
    expect(set).toContain('Program requirement: 6 of 8');
    expect(set).toContain('Groups it applies to: PA Cohort A');
    expect(set).toContain('Groups with their own: none');
    const view = await h.say('lee', 'attendance PA Cohort A');
    expect(view).toContain("Requirement: 6 of 8 (the PA program's).");
    expect(view).toContain('Member: @bo\nAttendance: attended 1 of 2 (below pace)');
    expect(await h.say('bo', 'attendance')).toContain("Requirement: 6 of 8 (the PA program's)");
    // Another program's group is not touched.
    expect(await h.say('coord', 'attendance PT Group')).toContain('Requirement: none.');
    // The group's own wins: 1 of 2 puts bo on pace.
    expect(await h.say('coord', 'group set PA Cohort A attendance 1 of 2')).toContain('Attendance asked: 1 of 2');
    expect(await h.say('lee', 'attendance PA Cohort A')).not.toContain('below pace');
    expect(await h.say('coord', 'program set PA attendance 7 of 8')).toContain(
      'Groups with their own: PA Cohort A (1 of 2)',
    );
    // `none` on the group: the program's applies again, and the answer says so.
    expect(await h.say('coord', 'group set PA Cohort A attendance none')).toContain(
      "Attendance asked: 7 of 8 (the PA program's)",
    );
    expect(await h.say('coord', 'program set pa attendance none')).toContain('Program requirement: none');
    expect(await h.say('lee', 'attendance PA Cohort A')).toContain('Requirement: none.');
  });

  it('answers bad input clearly and changes nothing', async () => {
    await h.run('coord', 'program set PA attendance 6 of 8');
    for (const [line, answer] of [
      ['program set PA attendance 9 of 8', /e\.g\. `6 of 8`/],
      ['program set PA attendance 0 of 8', /e\.g\. `6 of 8`/],
      ['program set PA attendance -1 of 8', /e\.g\. `6 of 8`/],
      ['program set PA attendance six of eight', /e\.g\. `6 of 8`/],
      ['program set PA attendance 6 of 800', /up to 100/],
      ['program set XX attendance 6 of 8', /The program is one of PA, PT, OT, GC, CSD/],
      ['program set PA tz Europe/Budapest', /Usage: \/balint program set <program> attendance/],
      ['program set PA attendance', /Usage:/],
      ['program set', /Usage:/],
    ] as const) {
      const before = await h.snapshot();
      expect(await h.say('coord', line)).toMatch(answer);
      expect(lastOutcome()).toBe('invalid');
      expect(await h.snapshot()).toBe(before);
    }
  });

  it('is for coordinators only', async () => {
    for (const actor of ['lee', 'cal', 'ann', 'zed']) {
      const before = await h.snapshot();
      expect(await h.say(actor, 'program set PA attendance 6 of 8')).toMatch(/coordinator/i);
      expect(lastOutcome()).toBe('refused');
      expect(await h.snapshot()).toBe(before);
    }
  });
});

describe('the coordinators’ below-pace digest', () => {
  const digests = () => h.chat.sent.filter((m) => m.text.startsWith('Attendance below pace'));

  it('sends each coordinator privately, on Mondays at 08:00, who is below pace, only when someone is', async () => {
    await h.run('coord', 'coordinator add @cora');
    await h.paceDigest.arm();
    // Monday 18 January passes with no requirement set: nothing is sent.
    await twoSessions();
    expect(digests()).toEqual([]);
    await h.run('coord', 'program set PA attendance 6 of 8');
    // Monday 25 January, 08:00 in New York (the bot's zone): one digest per coordinator.
    await h.clock.advanceTo(Date.UTC(2027, 0, 25, 13) - 1);
    expect(digests()).toEqual([]);
    await h.clock.advance(1);
    expect(
      digests()
        .map((d) => [d.kind, d.user])
        .sort(),
    ).toEqual([
      ['direct', 'console:coord'],
      ['direct', 'console:cora'],
    ]);
    const text = digests()[0]?.text ?? '';
    expect(text).toContain("PA Cohort A: @bo · attended 1 of 2, needs 6 of 8 (the PA program's)");
    expect(text).not.toContain('@ann');
    expect(text).not.toMatch(/present/i);
    // Never to the group, its facilitators or its members.
    expect(
      h.chat.sent.filter((m) => m.user !== 'console:coord' && m.user !== 'console:cora' && /pace/.test(m.text)),
    ).toEqual([]);
    expect(h.chat.posts().filter((m) => /pace/.test(m.text))).toEqual([]);
    // A restart, and arming again, sends nothing twice that week.
    await h.restart();
    await h.paceDigest.arm();
    await h.clock.advance(3_600_000);
    expect(digests()).toHaveLength(2);
    // Next Monday again; once nobody is below pace, nothing.
    await h.clock.advanceTo(Date.UTC(2027, 1, 1, 13));
    expect(digests()).toHaveLength(4);
    await h.run('coord', 'program set PA attendance none');
    await h.clock.advanceTo(Date.UTC(2027, 1, 8, 13));
    expect(digests()).toHaveLength(4);
    expect(await h.jobs.pending('attendance.pace')).toHaveLength(1);
    // The per-coordinator keys name the coordinator: `forget` takes them too.
    expect(await h.say('coord', 'forget @cora')).toContain('Forget this person?');
    await press('coord', { actionId: 'forget:confirm', label: 'Forget them', value: 'console:cora' });
    expect(await h.snapshot()).not.toContain('console:cora');
  });

  it('no longer rides on the rotation digest', async () => {
    await twoSessions();
    await h.run('coord', 'group set PA Cohort A attendance 6 of 8');
    await h.run('coord', 'rotation add @ann Surgery 2027-01-04 2027-02-05');
    await h.clock.advanceTo(Date.UTC(2027, 1, 6, 12, 0));
    const rotation = h.chat.sent.filter((m) => m.text.startsWith('Rotation ends'));
    expect(rotation.map((d) => d.user)).toEqual(['console:coord']);
    expect(rotation[0]?.text).not.toMatch(/pace/);
  });
});
