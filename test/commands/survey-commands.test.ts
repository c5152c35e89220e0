// Survey links on a group's schedule: sent privately to each member at their time, as durable
// jobs (once each across restarts), counted as sent, never answered through the bot; links
// checked and never logged.
import { beforeEach, describe, expect, it } from 'vitest';
import { validateSurveyUrl } from '../../src/core/attendance/survey.js';
import { createHarness, type Harness } from '../support/harness.js';

const HOUR = 3_600_000;
const LINK = 'https://survey.example.edu/s/jse-pre?cohort=a';
let h: Harness;
let groupId: string;

const surveysTo = (who: string) =>
  h.chat.sent.filter((s) => s.kind === 'direct' && s.user === `console:${who}` && s.text.startsWith('A survey for'));
const sessionsOf = async () => (await h.services.schedule.upcoming(groupId)).sort((a, b) => a.start - b.start);

beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York preset 60',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @ann @bo',
    'schedule PA Cohort A 2027-01-20 10:00 every week for 2 sessions',
  ])
    await h.run('coord', line);
  groupId = (await h.services.roster.findGroup('PA Cohort A'))?.id ?? '';
});

describe('survey links', () => {
  it('sends "before first" privately to each member the day before the first session, once', async () => {
    const answer = await h.say('coord', `survey add PA Cohort A ${LINK} before first`);
    expect(answer).toContain('Survey link added');
    expect(answer).toContain('Planned for 1 session');
    const [first] = await sessionsOf();
    await h.clock.advanceTo((first?.start ?? 0) - 24 * HOUR - 1);
    expect(surveysTo('ann')).toEqual([]);
    await h.clock.advance(1);
    expect(surveysTo('ann').map((s) => s.text)).toEqual([expect.stringContaining(LINK)]);
    expect(surveysTo('bo')).toHaveLength(1);
    expect(surveysTo('lee')).toEqual([]);
    expect(surveysTo('ann')[0]?.text).toContain('never sees your answers');
    await h.restart();
    await h.clock.advance(HOUR);
    expect(surveysTo('ann')).toHaveLength(1);
    expect(await h.say('coord', 'survey list')).toContain('Sent: 2 direct messages');
    expect(h.logs.lines.filter((l) => l.includes('survey.example.edu'))).toEqual([]);
  });

  it('sends "after every" at the end of each session, and "after last" only after the last', async () => {
    await h.run('coord', `survey add PA Cohort A ${LINK} after every`);
    await h.run('coord', 'survey add PA Cohort A https://survey.example.edu/post after last');
    const [first, second] = await sessionsOf();
    await h.clock.advanceTo((first?.start ?? 0) + 60 * 60_000);
    expect(surveysTo('ann').map((s) => s.text.includes('/post'))).toEqual([false]);
    // A session added later becomes the last: the post survey follows it.
    await h.run('coord', 'schedule PA Cohort A 2027-02-10 10:00');
    await h.clock.advanceTo((second?.start ?? 0) + 60 * 60_000);
    expect(surveysTo('ann').map((s) => s.text.includes('/post'))).toEqual([false, false]);
    const last = (await sessionsOf()).at(-1);
    await h.clock.advanceTo((last?.start ?? 0) + 60 * 60_000);
    expect(
      surveysTo('ann')
        .map((s) => s.text.includes('/post'))
        .sort(),
    ).toEqual([false, false, false, true]);
  });

  it('sends a program’s link to every group of the program, those added later too, and no other', async () => {
    await h.run('coord', 'group create PT Group program PT');
    await h.run('coord', 'group add PT Group @pat');
    await h.run('coord', 'schedule PT Group 2027-01-21 10:00');
    const answer = await h.say('coord', `survey add program PA ${LINK} before first`);
    expect(answer).toContain('Program: every PA group');
    expect(answer).toContain('Planned for 1 session');
    // A PA group made afterwards gets it before its own first session.
    for (const line of [
      'group create PA Cohort B program PA',
      'group add PA Cohort B @cy',
      'schedule PA Cohort B 2027-01-27 10:00',
    ])
      await h.run('coord', line);
    // A group that joins the program with sessions already planned gets it too.
    await h.run('coord', 'group create GC Group');
    await h.run('coord', 'group add GC Group @gia');
    await h.run('coord', 'schedule GC Group 2027-01-28 10:00');
    await h.run('coord', 'group set GC Group program PA');
    await h.clock.advanceTo(Date.UTC(2027, 1, 1));
    for (const who of ['ann', 'bo', 'cy', 'gia']) expect(surveysTo(who), who).toHaveLength(1);
    expect(surveysTo('pat')).toEqual([]);
    expect(surveysTo('lee')).toEqual([]);
    const list = await h.say('coord', 'survey list PA Cohort B');
    expect(list).toContain('Program: every PA group');
    expect(list).toContain('Sent: 4 direct messages');
    expect(await h.say('coord', 'survey list PT Group')).toBe('No survey links yet.');
  });

  it('takes `program` followed by anything but a program code as a group’s name', async () => {
    const before = await h.snapshot();
    expect(await h.say('coord', `survey add program XX ${LINK} after every`)).toMatch(/I don't see a group/);
    expect(await h.snapshot()).toBe(before);
    await h.run('coord', 'group create "Program Zeta"');
    expect(await h.say('coord', `survey add Program Zeta ${LINK} after every`)).toContain('Group: Program Zeta');
  });

  it('sends nothing once removed', async () => {
    await h.run('coord', `survey add PA Cohort A ${LINK} after every`);
    const id = (await h.services.surveys.records.all())[0]?.id ?? '';
    expect(await h.say('lee', `survey remove ${id}`)).toMatch(/Only coordinators/);
    expect(await h.say('coord', `survey remove ${id}`)).toContain('removed');
    expect(await h.say('coord', `survey remove ${id}`)).toMatch(/I don't see that survey/);
    await h.clock.advance(30 * 24 * HOUR);
    expect(surveysTo('ann')).toEqual([]);
    expect(await h.say('coord', 'survey list')).toBe('No survey links yet.');
  });

  it('is for coordinators only, and shows links to nobody else', async () => {
    for (const actor of ['lee', 'ann', 'zed']) {
      const before = await h.snapshot();
      expect(await h.say(actor, `survey add PA Cohort A ${LINK} after every`)).toMatch(/Only coordinators/);
      expect(await h.say(actor, 'survey list')).toMatch(/Only coordinators/);
      expect(await h.snapshot()).toBe(before);
    }
  });

  it('accepts https links without credentials only, without repeating a refused one', async () => {
    for (const bad of [
      'http://survey.example.edu/s',
      'https://user:secret@survey.example.edu/s',
      'https://token@survey.example.edu/s',
      'javascript:alert(1)',
      'https://localhost/s',
      'survey.example.edu/s',
      `https://survey.example.edu/${'x'.repeat(600)}`,
    ]) {
      const before = await h.snapshot();
      const answer = await h.say('coord', `survey add PA Cohort A ${bad} after every`);
      expect(answer).not.toContain('survey.example.edu');
      expect(answer).not.toContain('secret');
      expect(await h.snapshot()).toBe(before);
    }
    expect(await h.say('coord', `survey add PA Cohort A ${LINK} sometimes`)).toMatch(/^Usage:/);
    expect(validateSurveyUrl('https://Survey.Example.edu/a b'.replace(' ', ''))).toBe('https://survey.example.edu/ab');
  });
});
