// The invite rule's edges: changed and removed rows, two rotations ending one day, duplicates,
// a late import, downtime across the invite time, failed deliveries, waiting that runs out,
// emails resolved later, and an import written by another process.
import { beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { importRotations } from '../../../src/core/rotations/import.js';
import { People } from '../../../src/core/rotations/people.js';
import { RotationRecords } from '../../../src/core/rotations/records.js';
import { Roster } from '../../../src/core/roster.js';
import type { Group } from '../../../src/core/model.js';
import { createHarness, type Harness } from '../../support/harness.js';
import { inviteInstant } from '../../../src/core/rotations/settings.js';
import { cohortGroup, digests, fivePm, invites, rotationCsv, sessionOn, type Row } from './cohort.js';

const HOUR = 3_600_000;
const END = '2027-03-05';
const row = (student: string, name: string, end = END, start = '2027-02-01'): Row => ({ student, name, start, end });

let h: Harness;
let group: Group;
beforeEach(async () => {
  h = createHarness(['console:coord']);
  await h.start();
  group = await cohortGroup(h);
});

const invitesOf = (user: string) => invites(h).filter((s) => s.user === user);

describe('changed and removed rows', () => {
  it('moves the invite with a changed end date, cancels it for a removed row, and never invites twice', async () => {
    await sessionOn(h, '2027-03-10');
    await sessionOn(h, '2027-03-17');
    const rows = [row('console:s01', 'Surgery'), row('console:s02', 'Surgery'), row('console:s03', 'Surgery')];
    await h.services.rotations.importRotations(rotationCsv(rows));
    // s01's rotation now ends a week later; s02's row is gone.
    const changed = await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery', '2027-03-12'), rows[2]!]),
    );
    expect(changed).toMatchObject({ accepted: true, changed: 1, removed: 1, unchanged: 1 });
    await h.clock.advanceTo(fivePm(END) + HOUR);
    expect(invites(h).map((s) => s.user)).toEqual(['console:s03']);
    await h.clock.advanceTo(fivePm('2027-03-12') + HOUR);
    expect(invitesOf('console:s01')).toHaveLength(1);
    expect(invitesOf('console:s01')[0]?.text).toContain('Wed 17 Mar 2027');
    expect(invitesOf('console:s02')).toHaveLength(0);

    // After the invite went out: removing the row and adding it back, or moving its end date,
    // earns no second invite.
    await h.services.rotations.importRotations(rotationCsv([row('console:s01', 'Surgery', '2027-03-12')]));
    await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery', '2027-03-12'), row('console:s03', 'Surgery', '2027-03-19')]),
    );
    await sessionOn(h, '2027-03-24');
    await h.clock.advanceTo(fivePm('2027-03-19') + HOUR);
    await h.restart();
    expect(invites(h)).toHaveLength(2);
  });
});

describe('one invite per student and day', () => {
  it('sends one message for two rotations ending the same day, and ignores repeated rows', async () => {
    const session = await sessionOn(h, '2027-03-10');
    const report = await h.services.rotations.importRotations(
      rotationCsv([
        row('console:s01', 'Pediatrics'),
        row('console:s01', 'Elective', END, '2027-02-15'),
        row('console:s01', 'Pediatrics'),
      ]),
    );
    expect(report).toMatchObject({ accepted: true, added: 2, duplicates: 1 });
    await h.clock.advanceTo(fivePm(END) + HOUR);
    await h.restart();
    await h.clock.advance(HOUR);
    expect(invitesOf('console:s01')).toHaveLength(1);
    expect(invitesOf('console:s01')[0]?.text).toContain('You have finished Pediatrics and Elective.');
    expect(invitesOf('console:s01')[0]?.text).toContain('Wed 10 Mar 2027');
    expect(JSON.stringify(invitesOf('console:s01')[0]?.card)).toContain(`yes:${session.id}`);
  });
});

describe('time', () => {
  it('does not invite for a rotation imported after its invite time', async () => {
    await sessionOn(h, '2027-01-20');
    await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery', '2027-01-14', '2027-01-04')]),
    );
    await h.clock.advance(48 * HOUR);
    expect(invites(h)).toHaveLength(0);
    expect(await h.say('coord', 'rotations @s01')).toContain('no invite (ended before it was known)');
  });

  it('catches up once after downtime across the invite time', async () => {
    await sessionOn(h, '2027-03-10');
    await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery'), row('console:s02', 'Surgery')]),
    );
    await h.clock.advanceTo(fivePm(END) - 60_000);
    await h.crash();
    await h.clock.advanceTo(fivePm(END) + 3 * HOUR);
    expect(invites(h)).toHaveLength(0);
    await h.restart();
    await h.clock.advance(HOUR);
    await h.restart();
    expect(
      invites(h)
        .map((s) => s.user)
        .sort(),
    ).toEqual(['console:s01', 'console:s02']);
  });

  it('uses the configured invite time in the group zone', async () => {
    // The default is 17:00 with a 14-day window; BALINT_ROTATION_INVITE_TIME reaches the app as this setting.
    expect(h.services.rotations.settings).toMatchObject({ inviteTime: '17:00', windowDays: 14 });
    const late = createHarness(['console:coord'], undefined, { rotations: { inviteTime: '18:30' } });
    await late.start();
    await cohortGroup(late);
    await sessionOn(late, '2027-03-10');
    await late.services.rotations.importRotations(rotationCsv([row('console:s01', 'Surgery')]));
    await late.clock.advanceTo(DateTime.fromISO(`${END}T18:29`, { zone: 'America/New_York' }).toMillis());
    expect(invites(late)).toHaveLength(0);
    await late.clock.advanceTo(DateTime.fromISO(`${END}T18:30`, { zone: 'America/New_York' }).toMillis());
    await late.clock.advance(0);
    expect(invites(late)).toHaveLength(1);
  });
});

describe('delivery failures', () => {
  it('records refusals at once, retries a transient failure until the session starts, then reports it', async () => {
    // Issue 15: a transient failure is retried for as long as the invite is useful (until its
    // session starts), not four times; it is then given up with `job.expired` and a late digest.
    const session = await sessionOn(h, '2027-03-10');
    await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery'), row('console:s02', 'Surgery'), row('console:s03', 'Surgery')]),
    );
    const direct = h.chat.direct.bind(h.chat);
    let flaky = 0;
    h.chat.direct = async (user, card) => {
      if (user === 'console:s01') throw Object.assign(new Error('x'), { code: 'user_not_found', retryable: false });
      if (user === 'console:s02') {
        flaky++;
        throw Object.assign(new Error('x'), { code: 'http_503' });
      }
      return direct(user, card);
    };
    await h.clock.advanceTo(fivePm(END) + 2 * HOUR);
    await h.restart();
    await h.clock.advance(24 * HOUR);
    // Still retrying a day later, backing off to a few minutes between attempts.
    expect(flaky).toBeGreaterThan(100);
    expect(flaky).toBeLessThan(24 * 60);
    expect(invites(h).map((s) => s.user)).toEqual(['console:s03']);
    const [digest] = digests(h);
    expect(digests(h)).toHaveLength(1);
    expect(digest?.text).toContain('3 students of PA Cohort A finish Surgery on 5 March.');
    expect(digest?.text).toContain('Invited: 1');
    expect(digest?.text).toContain('Not reached: not found on the platform: @s01');
    expect(digest?.text).toContain('Still being sent');
    expect(await h.say('coord', 'rotations @s01')).toContain('invite not delivered (user_not_found)');

    await h.clock.advanceTo(session.start + HOUR);
    const tried = flaky;
    await h.clock.advance(24 * HOUR);
    expect(flaky).toBe(tried);
    expect(invites(h).map((s) => s.user)).toEqual(['console:s03']);
    const expired = h.logs.lines.filter((l) => l.includes('"job.expired"') && l.includes('"rotations.invite"'));
    expect(expired).toHaveLength(1);
    expect(expired[0]).toContain('"code":"http_503"');
    expect(digests(h)).toHaveLength(2);
    expect(digests(h)[1]?.text).toContain('Not reached: could not be delivered (http_503): @s02');
  });
});

describe('waiting for a session', () => {
  it('lets the wait run out after 28 days, and then does not invite', async () => {
    await h.services.rotations.importRotations(rotationCsv([row('console:s01', 'Surgery')]));
    await h.clock.advanceTo(fivePm(END) + HOUR);
    expect(digests(h)).toHaveLength(1);
    await h.clock.advance(29 * 24 * HOUR);
    await h.services.rotations.poll();
    await sessionOn(h, '2027-04-20');
    expect(await h.services.rotations.onSessionScheduled(group.id)).toBe(0);
    await h.clock.advance(HOUR);
    expect(invites(h)).toHaveLength(0);
    expect(await h.say('coord', 'rotations @s01')).toContain('no session was scheduled in time');
  });

  it('drops a waiting invite whose row was removed', async () => {
    await h.services.rotations.importRotations(
      rotationCsv([row('console:s01', 'Surgery'), row('console:s02', 'Surgery')]),
    );
    await h.clock.advanceTo(fivePm(END) + HOUR);
    await h.services.rotations.importRotations(rotationCsv([row('console:s01', 'Surgery')]));
    await sessionOn(h, '2027-03-25'); // scheduling invites the one still waiting
    expect(await h.services.rotations.onSessionScheduled(group.id)).toBe(0);
    await h.clock.advance(HOUR);
    expect(invites(h).map((s) => s.user)).toEqual(['console:s01']);
  });
});

describe('students named by email', () => {
  it('keeps them pending until the platform knows them, then adds and invites them', async () => {
    const known: Record<string, string> = {};
    (h.chat as unknown as { userByEmail: (e: string) => Promise<string | undefined> }).userByEmail = async (email) =>
      known[email];
    const roster = await h.services.rotations.importRoster(
      'group,program,student,role\nPA Cohort A,PA,Nia.Late@Example.edu,member\n',
    );
    expect(roster).toMatchObject({ accepted: true, unresolved: [2] });
    const cal = await h.services.rotations.importRotations(rotationCsv([row('nia.late@example.edu', 'Surgery')]));
    expect(cal).toMatchObject({ accepted: true, unresolved: [2] });
    expect(await h.say('coord', 'rotations')).toContain('nia.late@example.edu');
    known['nia.late@example.edu'] = 'console:nia';
    await h.clock.advance(2 * HOUR); // past the hourly retry of a lookup
    await sessionOn(h, '2027-03-10');
    await h.services.rotations.poll();
    expect((await h.services.roster.findGroup('PA Cohort A'))?.members).toContainEqual({
      user: 'console:nia',
      role: 'member',
    });
    expect(await h.say('coord', 'rotations')).not.toContain('nia.late@example.edu');
    // Once resolved, the email is no longer kept.
    expect(await h.snapshot()).not.toContain('nia.late@example.edu');
    await h.clock.advanceTo(fivePm(END) + HOUR);
    expect(invitesOf('console:nia')).toHaveLength(1);
  });
});

describe('an import made by another process (the CLI)', () => {
  it('is picked up by the minute poll', async () => {
    await sessionOn(h, '2027-03-10');
    const cli = {
      records: new RotationRecords(h.store),
      people: new People(h.store),
      roster: new Roster(h.store, []),
      clock: h.clock,
    };
    expect(await importRotations(cli, rotationCsv([row('console:s01', 'Surgery')]))).toMatchObject({
      accepted: true,
      added: 1,
    });
    expect(await h.jobs.pending('rotations.day')).toHaveLength(0);
    await h.services.rotations.poll();
    expect(await h.jobs.pending('rotations.day')).toHaveLength(1);
    await h.clock.advanceTo(fivePm(END) + HOUR);
    expect(invitesOf('console:s01')).toHaveLength(1);
  });
});

describe('the invite time across clock changes', () => {
  it('follows the scheduling policy: a repeated time is the first, a skipped one moves forward', () => {
    // 01:30 happens twice on 2027-11-07 in New York: the first (EDT, UTC−4), not luxon's default.
    expect(inviteInstant('2027-11-07', 'America/New_York', '01:30')).toBe(Date.UTC(2027, 10, 7, 5, 30));
    // 02:30 does not exist on 2027-03-14: it becomes 03:30 EDT.
    expect(inviteInstant('2027-03-14', 'America/New_York', '02:30')).toBe(Date.UTC(2027, 2, 14, 7, 30));
  });
});
