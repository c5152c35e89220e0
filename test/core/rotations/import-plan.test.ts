// Imports compute a plan first and change only what it says: moves between groups, removals
// from the groups a roster names, rotations removed by a calendar, invites that follow a
// moved student, and the same calendar written with emails or with user ids.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  planRoster,
  planRotations,
  rosterPlanRemoves,
  rotationPlanRemoves,
  type ImportDeps,
} from '../../../src/core/rotations/import.js';
import { People, personKey } from '../../../src/core/rotations/people.js';
import { RotationRecords } from '../../../src/core/rotations/records.js';
import { createHarness, type Harness } from '../../support/harness.js';
import { fivePm, invites } from './cohort.js';

const ROSTER = 'group,program,student,role';
const CAL = 'student,program,rotation,start,end';
const DEFAULTS = { timeZone: 'America/New_York', preset: '60' as const };

let h: Harness;
let deps: ImportDeps;
beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  deps = {
    records: new RotationRecords(h.store),
    people: new People(h.store),
    roster: h.services.roster,
    clock: h.clock,
  };
});

const membersOf = async (name: string) =>
  (await h.services.roster.findGroup(name))?.members.map((m) => `${m.user}:${m.role}`).sort();

describe('roster plans', () => {
  const twoGroups = [ROSTER, 'PA A,PA,console:lee,leader', 'PA A,PA,console:ann,member', 'PA A,PA,console:bo,member'];
  const withB = [...twoGroups, 'PA B,PA,console:kim,leader', 'PA B,PA,console:cy,member'];

  it('moves a student the file moves, out of the old group, and removes who a named group no longer lists', async () => {
    await h.services.rotations.importRoster([...withB, 'Other,PA,console:zed,member'].join('\n'));
    const before = await h.snapshot();
    const file = [
      ROSTER,
      'PA A,PA,console:lee,leader',
      'PA B,PA,console:kim,leader',
      'PA B,PA,console:cy,member',
      'PA B,PA,console:ann,member',
    ].join('\n');
    const { plan } = await planRoster(deps, file, DEFAULTS);
    // Planning writes nothing.
    expect(await h.snapshot()).toBe(before);
    expect(plan).toMatchObject({
      groups: [expect.objectContaining({ name: 'PA A' }), expect.objectContaining({ name: 'PA B' })],
      moved: [{ user: 'console:ann', from: 'PA A', to: 'PA B', role: 'member' }],
      removed: [{ user: 'console:bo', group: 'PA A', role: 'member' }],
      added: [],
      unchanged: 3,
    });
    expect(rosterPlanRemoves(plan!)).toBe(true);

    await h.services.rotations.importRoster(file);
    expect(await membersOf('PA A')).toEqual(['console:lee:leader']);
    expect(await membersOf('PA B')).toEqual(['console:ann:member', 'console:cy:member', 'console:kim:leader']);
    // A group the file does not name is left alone.
    expect(await membersOf('Other')).toEqual(['console:zed:member']);
  });

  it('needs no yes for a plan that only adds or changes roles', async () => {
    await h.services.rotations.importRoster(twoGroups.join('\n'));
    const { plan } = await planRoster(
      deps,
      [...twoGroups, 'PA A,PA,console:dee,member'].join('\n').replace('console:bo,member', 'console:bo,co-leader'),
      DEFAULTS,
    );
    expect(plan).toMatchObject({
      added: [{ user: 'console:dee' }],
      roleChanged: [{ user: 'console:bo', role: 'co-leader' }],
    });
    expect(rosterPlanRemoves(plan!)).toBe(false);
  });

  it('takes a moved student’s pending invite to the new group, whose next session it invites them to', async () => {
    await h.services.rotations.importRoster(withB.join('\n'));
    await h.services.rotations.importRotations(`${CAL}\nconsole:ann,PA,Surgery,2027-02-01,2027-03-05\n`);
    // No session in group A: at 17:00 on the last day the invite waits for one.
    await h.clock.advanceTo(fivePm('2027-03-05') + 60_000);
    expect(invites(h)).toHaveLength(0);
    const file = [
      ROSTER,
      'PA A,PA,console:lee,leader',
      'PA A,PA,console:bo,member',
      'PA B,PA,console:kim,leader',
      'PA B,PA,console:cy,member',
      'PA B,PA,console:ann,member',
    ].join('\n');
    const { plan } = await planRoster(deps, file, DEFAULTS);
    expect(plan).toMatchObject({ invitesMoved: 1, invitesCancelled: 0 });
    await h.services.rotations.importRoster(file);
    const groupB = (await h.services.roster.findGroup('PA B'))!;
    await h.services.schedule.schedule(groupB, { date: '2027-03-10', time: '16:00', minutes: 60, mode: 'in-person' });
    await h.clock.advance(60_000);
    expect(invites(h).map((s) => s.user)).toEqual(['console:ann']);
    expect(invites(h)[0]?.text).toContain('PA B');
  });

  it('counts the pending invites of a removed student as cancelled', async () => {
    await h.services.rotations.importRoster(twoGroups.join('\n'));
    await h.services.rotations.importRotations(`${CAL}\nconsole:ann,PA,Surgery,2027-02-01,2027-03-05\n`);
    await h.clock.advanceTo(fivePm('2027-03-05') + 60_000);
    const { plan } = await planRoster(deps, twoGroups.filter((l) => !l.includes('ann')).join('\n'), DEFAULTS);
    expect(plan).toMatchObject({ removed: [{ user: 'console:ann' }], invitesCancelled: 1, invitesMoved: 0 });
  });
});

describe('rotation plans', () => {
  const rows = ['console:ann', 'console:bo', 'console:cy'].map((s) => `${s},PA,Surgery,2027-02-01,2027-03-05`);

  it('shows the rotations a shorter file removes, which then needs a yes', async () => {
    await h.services.rotations.importRoster(`${ROSTER}\nPA A,PA,console:ann,member\nPA A,PA,console:bo,member`);
    await h.services.rotations.importRotations([CAL, ...rows].join('\n'));
    const { plan } = await planRotations(deps, [CAL, rows[0]].join('\n'));
    expect(plan).toMatchObject({ programs: ['PA'], added: [], unchanged: 1 });
    expect(plan?.removed.map((r) => r.student)).toEqual(['console:bo', 'console:cy']);
    expect(rotationPlanRemoves(plan!)).toBe(true);
    // cy is in no group of PA: their row is named, by line, as one no invite can ever come from.
    expect((await planRotations(deps, [CAL, ...rows].join('\n'))).plan?.noGroup).toEqual([4]);
  });

  it('finds the same calendar written with emails once the emails are matched to users', async () => {
    await h.services.rotations.importRotations([CAL, ...rows].join('\n'));
    for (const s of ['ann', 'bo', 'cy']) {
      await deps.people.note(`${s}@example.edu`);
      await deps.people.resolved(personKey(`${s}@example.edu`), `console:${s}`, h.clock.now());
    }
    const byEmail = [CAL, ...rows.map((r) => r.replace(/^console:(\w+)/, '$1@example.edu'))].join('\n');
    const { plan } = await planRotations(deps, byEmail);
    expect(plan).toMatchObject({ added: [], changed: [], removed: [], unchanged: 3 });
  });
});
