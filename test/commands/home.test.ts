// The platform-neutral home: my groups with my role; coordinators also every group.
import { describe, expect, it } from 'vitest';
import { homeCards } from '../../src/commands/help/home.js';
import { plainText, type Card } from '../../src/core/cards.js';
import { HOME_ACTIONS } from '../../src/commands/help/home-buttons.js';
import { renderHome } from '../../src/adapters/slack/home-view.js';
import { blockProblems } from '../adapters/slack/block-kit-limits.js';
import { createHarness } from '../support/harness.js';

describe('homeCards', () => {
  it('shows a person their groups and role, and coordinators every group without changing anything', async () => {
    const h = createHarness(['console:coord']);
    await h.run('coord', 'group create PA Cohort A program PA');
    await h.run('coord', 'group create PT Cohort B');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    const before = await h.snapshot();
    const show = async (user: string) => (await homeCards(h.services, `console:${user}`)).map(plainText).join('\n');

    const lee = await show('lee');
    expect(lee).toContain('PA Cohort A: Leader · Physician Assistant Studies');
    expect(lee).not.toContain('PT Cohort B');
    expect(await show('ann')).toContain('PA Cohort A: Member');
    const coord = await show('coord');
    expect(coord).toContain('All groups');
    // The overview names each group's next session (none planned here).
    expect(coord).toContain('PA Cohort A · Physician Assistant Studies · 2 people: No session planned');
    expect(coord).toContain('PT Cohort B · No program set · 0 people: No session planned');
    const stranger = await show('pat');
    expect(stranger).toContain('not in a Balint group yet');
    expect(stranger).not.toContain('Cohort');
    expect(await h.snapshot()).toBe(before);
  });
});

describe('the home sessions and rotation alerts', () => {
  it('shows my next sessions with my answer and the buttons, and coordinators the rotations needing them', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A program PA tz America/New_York');
    await h.run('coord', 'group add PA Cohort A @ann');
    const show = async (user: string) => (await homeCards(h.services, `console:${user}`)).map(plainText).join('\n');
    expect(await show('ann')).toContain('Your next sessions\nNothing is scheduled yet.');

    await h.run('coord', 'schedule PA Cohort A 2027-02-01 16:00 every week for 8 sessions');
    const [first] = await h.services.schedule.upcoming((await h.services.roster.findGroup('PA Cohort A'))!.id);
    await h.services.schedule.rsvp(first!.id, 'console:ann', 'no');
    const cards = await homeCards(h.services, 'console:ann');
    const sessions = cards.find((c) => plainText(c).startsWith('Your next sessions'))!;
    expect(plainText(sessions)).toContain("Your answer: Can't make it");
    expect(plainText(sessions).match(/PA Cohort A: /g)).toHaveLength(5);
    const firstButtons = sessions.blocks.find((b) => b.type === 'actions');
    expect(firstButtons && firstButtons.type === 'actions' && firstButtons.buttons.map((b) => b.value)).toEqual([
      `yes:${first!.id}`,
      `no:${first!.id}`,
    ]);
    expect(await show('coord')).not.toContain('Rotations needing you');

    await h.services.rotations.importRotations(
      'student,program,rotation,start,end\nnobody@example.edu,PA,Surgery,2027-01-04,2027-02-05\n',
    );
    expect(await show('coord')).toContain('Students not matched to a chat account: 1');
    expect(await show('ann')).not.toContain('Rotations needing you');
  });
});

const buttonsOf = (cards: Card[]) =>
  cards.flatMap((c) => c.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.actionId) : [])));

describe('the home by role', () => {
  it('gives each role its quick actions, and leaders the timer running in their group with its phase', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A program PA tz America/New_York');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('coord', 'group add PA Cohort A @ann');
    const actionsOf = async (user: string) =>
      buttonsOf(await homeCards(h.services, `console:${user}`)).filter((id) => id.startsWith('home:'));
    expect(await actionsOf('coord')).toEqual([
      HOME_ACTIONS.schedule,
      HOME_ACTIONS.addPeople,
      HOME_ACTIONS.importHelp,
      HOME_ACTIONS.calendar,
    ]);
    expect(await actionsOf('lee')).toEqual([HOME_ACTIONS.schedule, HOME_ACTIONS.calendar]);
    expect(await actionsOf('ann')).toEqual([HOME_ACTIONS.calendar]);
    expect(await actionsOf('pat')).toEqual([]);

    await h.run('lee', 'start PA Cohort A');
    const show = async (user: string) => (await homeCards(h.services, `console:${user}`)).map(plainText).join('\n');
    expect(await show('lee')).toMatch(/Running now\nPA Cohort A: \w/);
    expect(await show('ann')).not.toContain('Running now');
  });

  it('keeps a coordinator home of 150 groups short: the ten meeting soonest, the rest counted, within views.publish limits', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    for (let i = 0; i < 150; i++) await h.run('coord', `group create Group ${String(i).padStart(3, '0')} tz UTC`);
    await h.run('coord', 'schedule Group 149 2027-03-01 16:00');
    const cards = await homeCards(h.services, 'console:coord');
    const text = cards.map(plainText).join('\n');
    expect(text).toContain('150 groups, 149 with no session planned.');
    expect(text).toMatch(/All groups \(you coordinate\)\n.*\nGroup 149 · No program set · 0 people: Mon 1 Mar 2027/);
    expect(text.match(/: No session planned/g)).toHaveLength(9);
    expect(text).toContain('140 more: `/balint groups` lists every group.');
    expect(blockProblems(renderHome(cards).blocks, 'view')).toEqual([]);
    expect(JSON.stringify(renderHome(cards)).length).toBeLessThan(20_000);
  });
});
