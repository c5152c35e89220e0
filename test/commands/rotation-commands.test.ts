// `/balint rotation add`, `/balint rotations` and the digest's "Schedule a session" button.
import { beforeEach, describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { plainText, replyCard } from '../../src/core/cards.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  await h.run('coord', 'group create PA Cohort A program PA');
  await h.run('coord', 'group add PA Cohort A @lee as leader');
  await h.run('coord', 'group add PA Cohort A @ann @bo');
});

describe('rotation add', () => {
  it('adds, corrects and lists a rotation; the student sees their own', async () => {
    expect(await h.say('coord', 'rotation add @ann Family Medicine 2027-02-01 2027-03-05')).toContain('Rotation added');
    expect(await h.say('coord', 'rotation add @ann Family Medicine 2027-02-01 2027-03-05')).toContain(
      'Rotation already there',
    );
    // The group has no session yet: the answer says the invite waits (deliberate change: it
    // used to promise the invite at 17:00 regardless).
    const changed = await h.say('coord', 'rotation add @ann Family Medicine 2027-02-01 2027-03-12');
    expect(changed).toContain('Rotation updated');
    expect(changed).toContain('No session is scheduled after it yet: the invite waits for one; schedule one');
    await h.run('coord', 'schedule PA Cohort A 2027-03-16 4pm');
    const scheduled = await h.say('coord', 'rotation add @ann Family Medicine 2027-02-01 2027-03-12');
    expect(scheduled).toContain('17:00 on 12 March (America/New_York)');
    expect(await h.jobs.pending('rotations.day')).toHaveLength(1);
    const own = await h.say('ann', 'rotations');
    expect(own).toContain('Your rotations');
    expect(own).toContain('Family Medicine, 2027-02-01 to 2027-03-12: invite at the end');
    expect(await h.say('coord', 'rotations PA Cohort A')).toContain('Family Medicine, 2027-02-01 to 2027-03-12: @ann');
  });

  it('shows a rotation of a program the student has no group in as one no invite can come of', async () => {
    await h.services.rotations.importRotations(
      'student,program,rotation,start,end\nconsole:ann,PT,Gait Lab,2027-02-01,2027-03-05',
    );
    expect(await h.say('ann', 'rotations')).toContain(
      'Gait Lab, 2027-02-01 to 2027-03-05: no group: no invite possible',
    );
  });

  it('shows a group as one table, student by rotation, with each invite state', async () => {
    await h.run('coord', 'rotation add @bo Surgery 2027-02-01 2027-02-12');
    await h.run('coord', 'rotation add @ann Pediatrics 2027-03-01 2027-04-09');
    await h.run('coord', 'rotation add @ann Surgery 2027-02-01 2027-02-12');
    await h.run('coord', 'schedule PA Cohort A 2027-02-16 4pm');
    await h.clock.advanceTo(Date.UTC(2027, 1, 13));
    const table = await h.say('coord', 'rotations PA Cohort A');
    // Members in the group's order (ann, then bo), each one's rotations by end date.
    expect(table.split('\n').filter((l) => / to 2027-/.test(l))).toEqual([
      'Surgery, 2027-02-01 to 2027-02-12: @ann · invited',
      'Pediatrics, 2027-03-01 to 2027-04-09: @ann · no session scheduled yet: the invite waits; schedule one',
      'Surgery, 2027-02-01 to 2027-02-12: @bo · invited',
    ]);
    expect(table).toContain('`/balint schedule PA Cohort A …` plans one');
    expect(table).toContain('3 rotations on file');
  });

  it('says 1 rotation, not 1 rotations', async () => {
    await h.run('coord', 'rotation add @ann Surgery 2027-02-01 2027-02-12');
    expect(await h.say('coord', 'rotations PA Cohort A')).toContain('1 rotation on file');
  });

  it('keeps rotations private: a student sees only their own', async () => {
    await h.run('coord', 'rotation add @ann Surgery 2027-02-01 2027-03-05');
    expect(await h.say('bo', 'rotations @ann')).toBe('You can see your own rotations only.');
    expect(await h.say('bo', 'rotations PA Cohort A')).toBe(
      'You can see your own rotations only: type it without a group.',
    );
    expect(await h.say('bo', 'rotations')).toBe('You have no rotations on file.');
    expect(await h.say('ann', 'rotation add @ann Surgery 2027-02-01 2027-03-05')).toBe(
      'Only coordinators can do that.',
    );
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no student', 'rotation add zzsecretzz 2027-02-01 2027-03-05', /Start with the student/],
    ['too few words', 'rotation add @ann 2027-02-01', /I need the rotation's name/],
    ['a bad date', 'rotation add @ann Surgery 2027-02-30 zzsecretzz', /Dates are written YYYY-MM-DD/],
    ['an end before the start', 'rotation add @ann Surgery 2027-03-05 2027-02-01', /ends before it starts/],
    ['a name with a mention', 'rotation add @ann <@zzsecretzz> 2027-02-01 2027-03-05', /may use letters, digits/],
    [
      'a student in no group',
      'rotation add @zed Surgery 2027-02-01 2027-03-05',
      /not a member of a group with a program/,
    ],
    ['an unknown group', 'rotations zzsecretzz', /don't see a group by that name/],
  ];
  for (const [what, line, answer] of bad) {
    it(`refuses ${what}, without quoting it and without changing anything`, async () => {
      const before = await h.snapshot();
      const said = await h.say('coord', line);
      expect(said).toMatch(answer);
      expect(said).not.toContain('zzsecretzz');
      expect(await h.snapshot()).toBe(before);
    });
  }
});

describe('the digest button', () => {
  it('opens the schedule form for the group, for people who may plan it', async () => {
    const group = (await h.services.roster.findGroup('PA Cohort A'))!;
    const press = (actor: string, value = group.id) =>
      handleButton(h.services, {
        actionId: 'digest:schedule',
        value,
        actor: `console:${actor}`,
        place: 'console:#general',
      });
    const [reply] = await press('coord');
    expect(reply?.visibility).toBe('form');
    if (reply?.visibility === 'form') {
      expect(reply.form.formId).toBe('schedule');
      expect(reply.form.fields[0]).toMatchObject({ id: 'group', options: [{ value: group.id, label: 'PA Cohort A' }] });
      expect(plainText(reply.fallback)).toContain('/balint schedule <group> <YYYY-MM-DD>');
    }
    expect(plainText(replyCard((await press('ann'))[0]!))).toContain("Only coordinators and the group's leader");
    expect(plainText(replyCard((await press('coord', 'grp_zz'))[0]!))).toBe('That group no longer exists.');
  });
});
