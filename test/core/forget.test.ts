// Data rights: `/balint forget <@user>` erases a person from everything the bot keeps. The
// proof is the whole store, dumped: after the command the person's id appears nowhere in it,
// while everyone else's data is as it was, and the answer counts what went.
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { plainText, replyCard, type Reply } from '../../src/core/cards.js';
import type { UserId } from '../../src/core/plumbing/ids.js';
import { jobNames, keyNames } from '../../src/core/forget.js';
import type { Group } from '../../src/core/model.js';
import { createHarness, type Harness } from '../support/harness.js';
import { RecordingChat } from '../support/recording-chat.js';

const ANN = 'console:ann';

/** A chat whose platform knows ann by her email, as Slack's users.lookupByEmail would. */
class EmailChat extends RecordingChat {
  async userByEmail(email: string): Promise<UserId | undefined> {
    return email === 'ann@example.edu' ? ANN : undefined;
  }
}

async function busyWorld(): Promise<{ h: Harness; chat: EmailChat; pa: Group }> {
  const chat = new EmailChat();
  const h = createHarness(['console:coord'], chat, { publicUrl: 'https://balint.example.edu' });
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @ann @bo',
    'group create Second Group',
    'group add Second Group @ann @bo',
    'coordinator add @ann',
    'schedule PA Cohort A 2027-01-25 16:00 every week for 3 sessions',
    'schedule Second Group 2027-01-26 09:00',
    // Ends on the 20th: at 17:00 that day ann is invited to the session of the 25th.
    'rotation add @ann Surgery 2027-01-04 2027-01-20',
    'rotation add @bo Surgery 2027-01-04 2027-01-20',
  ])
    await h.run('coord', line);
  const report = await h.services.rotations.importRotations(
    'student,program,rotation,start,end\nann@example.edu,PA,Family Medicine,2027-02-01,2027-03-05\nbo@example.edu,PA,Family Medicine,2027-02-01,2027-03-05\n',
  );
  expect(report.accepted).toBe(true);
  const pa = (await h.services.roster.findGroup('PA Cohort A')) as Group;
  const second = (await h.services.roster.findGroup('Second Group')) as Group;
  const sessions = [...(await h.services.schedule.upcoming(pa.id)), ...(await h.services.schedule.upcoming(second.id))];
  for (const who of ['ann', 'bo']) {
    for (const s of sessions) {
      await handleButton(h.services, {
        actionId: 'rsvp:yes',
        value: `yes:${s.id}`,
        actor: `console:${who}`,
        place: 'console:#general',
      });
    }
  }
  expect(await h.say('ann', 'calendar')).toContain('https://balint.example.edu/calendar/');
  // The invite goes out on the 20th; the 24-hour reminders of the 25th go out on the 24th.
  await h.clock.advanceTo(Date.UTC(2027, 0, 24, 22, 0));
  expect(chat.sent.filter((s) => s.user === ANN).length).toBeGreaterThanOrEqual(2);
  // Then the bot stops running jobs, and a move leaves notices waiting for every member.
  await h.crash();
  await h.run('lee', `move ${sessions[1]?.id} 2027-02-02 17:00`);
  return { h, chat, pa };
}

/** `forget` of someone with data asks first; the confirmation button's press erases. */
async function confirmForget(h: Harness, user: UserId, actor = 'console:coord'): Promise<string> {
  const replies = await handleButton(h.services, {
    actionId: 'forget:confirm',
    value: user,
    actor,
    place: 'console:#general',
  });
  return replies.map((r) => plainText(replyCard(r))).join('\n');
}

describe('/balint forget', () => {
  it('asks first: names what would be erased, offers the button, and changes nothing', async () => {
    const { h } = await busyWorld();
    const before = await h.snapshot();
    const replies = await h.run('coord', 'forget @ann');
    const answer = plainText(replyCard(replies[0] as Reply));
    expect(answer).toContain('Forget this person?');
    expect(answer).toContain('This erases: 2 groups, 2 rotations, 1 pending message, a coordinator');
    const button = replyCard(replies[0] as Reply)
      .blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []))
      .find((b) => b.actionId === 'forget:confirm');
    expect(button).toMatchObject({ value: ANN, style: 'danger' });
    expect(button?.confirm).toBeDefined();
    expect(await h.snapshot()).toBe(before);
  });

  it('erases at the press only for someone who is a coordinator then, and checks the value', async () => {
    const { h } = await busyWorld();
    const before = await h.snapshot();
    expect(await confirmForget(h, ANN, 'console:lee')).toBe('Only coordinators can do that.');
    expect(await confirmForget(h, 'zzsecretzz')).not.toContain('zzsecretzz');
    expect(await h.snapshot()).toBe(before);
  });

  it('erases every trace of the person from the store and says what it erased', async () => {
    const { h, pa } = await busyWorld();
    const before = await h.snapshot();
    expect(before).toContain(ANN);
    const boBefore = (await h.services.schedule.upcoming(pa.id)).map((s) => s.rsvps['console:bo']);
    const boRotations = await h.services.rotations.forStudent('console:bo');
    expect(boRotations).toHaveLength(1);
    const token = /calendar\/([A-Za-z0-9_-]{32})\.ics/.exec(await h.say('ann', 'calendar'))?.[1] as string;
    expect(await h.services.calendars.feed(token)).toContain('BEGIN:VCALENDAR');
    const logsBefore = h.logs.lines.length;

    expect(await h.say('coord', 'forget @ann')).toContain('Forget this person?');
    const answer = await confirmForget(h, ANN);

    expect(answer).toContain('Forgotten');
    expect(answer).toContain(
      'Erased: removed from 2 groups, 4 answers, 2 rotations, 1 calendar link, 0 attendance marks, 1 pending message, 1 invite record, no longer a coordinator.',
    );
    const after = await h.snapshot();
    expect(after).not.toContain(ANN);
    expect(after).not.toContain('ann@example.edu');
    // The others' data is untouched.
    expect((await h.services.schedule.upcoming(pa.id)).map((s) => s.rsvps['console:bo'])).toEqual(boBefore);
    expect((await h.services.roster.findGroup('PA Cohort A'))?.members.map((m) => m.user)).toEqual([
      'console:lee',
      'console:bo',
    ]);
    expect(await h.services.rotations.forStudent('console:bo')).toEqual(boRotations);
    expect(await h.services.calendars.feed(token)).toBeUndefined();
    expect(await h.services.roster.isCoordinator(ANN)).toBe(false);
    // The log of the command names the coordinator and the place, never the person forgotten.
    const lines = h.logs.lines.slice(logsBefore);
    expect(lines.some((l) => l.includes('"command":"forget"') && l.includes('"actor":"console:coord"'))).toBe(true);
    expect(lines.join('\n')).not.toContain(ANN);
    // Once more: nothing left to erase, the answer says so (deliberate change: it used to say
    // "Forgotten" with zero counts), and nothing changes.
    const settled = await h.snapshot();
    const again = await h.say('coord', 'forget @ann');
    expect(again).toContain('Nothing to forget');
    expect(again).toContain('I keep no data about that person, so nothing was erased.');
    expect(again).not.toContain('Forgotten');
    expect(await h.snapshot()).toBe(settled);
  });

  it('says so when the person was never known, a typo for example, and changes nothing', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    const before = await h.snapshot();
    expect(await h.say('coord', 'forget @nobodyhere')).toContain('Nothing to forget');
    expect(await h.snapshot()).toBe(before);
  });

  it('leaves nothing that would message the person after a restart', async () => {
    const { h, chat } = await busyWorld();
    await confirmForget(h, ANN);
    const sentBefore = chat.sent.length;
    await h.restart();
    await h.clock.advanceTo(Date.UTC(2027, 2, 30));
    expect(chat.sent.slice(sentBefore).filter((s) => s.user === ANN)).toEqual([]);
    expect(chat.sent.slice(sentBefore).some((s) => s.user === 'console:bo')).toBe(true);
  });

  it('says a coordinator from the configuration stays one, and erases the rest', async () => {
    const h = createHarness(['console:coord', 'console:boss']);
    await h.start();
    await h.run('coord', 'group create G');
    await h.run('coord', 'group add G @boss');
    expect(await h.say('coord', 'forget @boss')).toContain(
      'This erases: 1 group, 0 rotations, 0 pending messages, a coordinator',
    );
    const answer = await confirmForget(h, 'console:boss');
    expect(answer).toContain('removed from 1 group,');
    expect(answer).toMatch(/coordinator by the bot's configuration \(BALINT_COORDINATORS\), which I cannot change/);
    expect(answer).not.toContain('no longer a coordinator');
    expect(await h.snapshot()).not.toContain('console:boss');
  });

  it("counts what an adapter's own eraser removed", async () => {
    const h = createHarness(['console:coord']);
    const asked: string[] = [];
    h.services.rights.onForget(async (user) => {
      asked.push(user);
      return 2;
    });
    expect(await h.say('coord', 'forget @ann')).toContain('0 pending messages, 2 platform records.');
    expect(asked).toEqual([ANN]);
  });

  const bad: Array<[string, string]> = [
    ['nobody', 'forget'],
    ['two people', 'forget @ann @bo'],
    ['words', 'forget zzsecretzz'],
    ['words after the person', 'forget @ann zzsecretzz'],
    ['a mention of nobody', 'forget <@zzsecretzz'],
  ];
  for (const [what, line] of bad) {
    it(`refuses ${what} without quoting it and without changing anything`, async () => {
      const h = createHarness(['console:coord']);
      await h.run('coord', 'group create G');
      await h.run('coord', 'group add G @ann');
      const before = await h.snapshot();
      const said = await h.say('coord', line);
      expect(said).toMatch(/Mention one person|not someone I can find/);
      expect(said).not.toContain('zzsecretzz');
      expect(await h.snapshot()).toBe(before);
    });
  }

  it('matches job keys by whole id, not by a prefix of another id', () => {
    expect(keyNames('reminder:ses_1:0:60:console:ann', ANN)).toBe(true);
    expect(keyNames('rotinvite:console:ann:ses_1', ANN)).toBe(true);
    expect(keyNames('reminder:ses_1:0:60:console:anna', ANN)).toBe(false);
    expect(keyNames('rotinvite:console:anna:ses_1', ANN)).toBe(false);
    const job = { id: 'j', kind: 'k', dueAt: 0, attempts: 0, idempotencyKey: 'x', payload: { group: 'g', to: ANN } };
    expect(jobNames(job, ANN)).toBe(true);
    expect(jobNames({ ...job, payload: { list: ['console:anna'] } }, ANN)).toBe(false);
  });
});
