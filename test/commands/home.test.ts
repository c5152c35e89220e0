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

  it('gives a coordinator of 150 groups the counts, the group meeting next and a picker, within views.publish limits', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    for (let i = 0; i < 150; i++) await h.run('coord', `group create Group ${String(i).padStart(3, '0')} tz UTC`);
    await h.run('coord', 'schedule Group 149 2027-03-01 16:00');
    const cards = await homeCards(h.services, 'console:coord');
    const text = cards.map(plainText).join('\n');
    expect(text).toContain('150 groups, 149 with no session planned.');
    expect(text).toMatch(/Meeting next: Group 149 · No program set · 0 people: Mon 1 Mar 2027/);
    expect(text).toContain('See one group: Pick a group');
    // No list of groups: the picker stands for it.
    expect(text.match(/: No session planned/g)).toBeNull();
    const view = renderHome(cards);
    expect(blockProblems(view.blocks, 'view')).toEqual([]);
    type Accessory = { type?: string; option_groups?: Array<{ options: unknown[] }> };
    const accessoryOf = (b: unknown) => (b as { accessory?: Accessory }).accessory;
    const select = view.blocks.map(accessoryOf).find((a) => a?.type === 'static_select');
    // 150 groups and "the overview only": more than one select may hold, so in groups of 100.
    expect(select?.option_groups?.map((g) => g.options.length)).toEqual([100, 51]);
    expect(JSON.stringify(view).length).toBeLessThan(40_000);

    const picked = (await h.services.roster.findGroup('Group 149'))!;
    const focused = (await homeCards(h.services, 'console:coord', { focus: picked.id })).map(plainText).join('\n');
    expect(focused).toContain('See one group: Group 149');
    expect(focused).toMatch(/Group 149\nProgram: No program set\nFacilitators: \(nobody\)\nMembers: 0/);
    expect(focused).toMatch(/Next session: Mon 1 Mar 2027/);
    // A picked group means nothing on anyone else's Home.
    await h.run('coord', 'group add Group 149 @ann');
    const ann = (await homeCards(h.services, 'console:ann', { focus: picked.id })).map(plainText).join('\n');
    expect(ann).not.toContain('Facilitators');
  });

  it('shows a student their own rotations, and coordinators the invites not delivered', async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A program PA tz America/New_York');
    await h.run('coord', 'group add PA Cohort A @ann');
    await h.run('coord', 'rotation add @ann Surgery 2027-01-04 2027-02-05');
    const show = async (user: string) => (await homeCards(h.services, `console:${user}`)).map(plainText).join('\n');
    expect(await show('ann')).toMatch(/Your rotations\nSurgery, 2027-01-04 to 2027-02-05: /);
    expect(await show('lee')).not.toContain('Your rotations');
    const group = (await h.services.roster.findGroup('PA Cohort A'))!;
    // As the invite rule leaves a direct message the queue gave up on.
    await h.services.rotations.records.changeInvite('inv_test', () => ({
      state: 'failed',
      user: 'console:ann',
      group: group.id,
      rotation: 'rot_x',
      date: '2027-02-05',
      code: 'cannot_dm_bot',
      at: h.clock.now(),
    }));
    expect(await show('coord')).toContain(
      'PA Cohort A: 1 invite not delivered (`/balint rotations PA Cohort A` says why)',
    );
    expect(await show('ann')).not.toContain('not delivered');
    const focused = (await homeCards(h.services, 'console:coord', { focus: group.id })).map(plainText).join('\n');
    expect(focused).toContain('Invites not delivered (30 days): 1');
    await h.clock.advance(31 * 86_400_000);
    expect(await show('coord')).not.toContain('not delivered');
  });

  it("shows facilitators the running timer's phase and when it ends", async () => {
    const h = createHarness(['console:coord']);
    await h.start();
    await h.run('coord', 'group create PA Cohort A program PA tz America/New_York');
    await h.run('coord', 'group add PA Cohort A @lee as leader');
    await h.run('lee', 'start PA Cohort A');
    const lee = (await homeCards(h.services, 'console:lee')).map(plainText).join('\n');
    expect(lee).toMatch(/Running now\nPA Cohort A: [A-Z][a-z]+.*\nPhase ends: \w{3} \d+ \w{3} \d{4}, \d\d:\d\d/);
  });
});
