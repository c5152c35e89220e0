// `npm run balint -- import …` as a real process on a temporary SQLite file: a roster and a
// calendar go in, a broken file is rejected with every bad row listed and nothing written, and
// a bad configuration exits with 2. Then the bot over that file arms the invites it finds.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { createApp } from '../../src/app/compose.js';
import { silentLogger } from '../../src/core/plumbing/logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { RecordingChat } from '../support/recording-chat.js';
import { runNpm } from '../support/run-npm.js';

const dir = mkdtempSync(join(tmpdir(), 'balint-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const balint = (args: string[], env: Record<string, string>) =>
  runNpm(['run', '--silent', 'balint', '--', ...args], env);

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('npm run balint -- import', () => {
  const storeFile = join(dir, 'balint.sqlite');
  const env = { STORE_URL: `sqlite://${storeFile}`, BALINT_DEFAULT_TIMEZONE: 'America/New_York' };
  const marker = `cnry${randomBytes(6).toString('hex')}`;

  it('imports a roster and a calendar, rejects a broken file whole, and refuses a bad configuration', async () => {
    const roster = file(
      'roster.csv',
      '\uFEFFgroup,program,student,role\r\nPA Cohort A,PA,console:lee,leader\r\nPA Cohort A,PA,console:ann,member\r\nPA Cohort A,PA,console:bo,member\r\n',
    );
    const first = await balint(['import', 'roster', roster], env);
    expect(first.stderr).toBe('');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain(
      'Plan: 1 group created, 3 people added, 0 moved, 0 roles changed, 0 removed, 0 unchanged.',
    );
    expect(first.stdout).toContain('New groups are in the time zone America/New_York, the configured default');
    expect(first.stdout).toContain('Applied.');

    const calendar = file(
      'rotations.csv',
      [
        'student,program,rotation,start,end',
        'console:ann,PA,Family Medicine,2030-02-01,2030-03-01',
        'console:bo,PA,"Surgery, General",2030-02-01,2030-03-01',
        'Cy@Example.edu,PA,Pediatrics,2030-02-01,2030-03-01',
      ].join('\r\n'),
    );
    const imported = await balint(['import', 'rotations', calendar], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('The file covers the program PA');
    expect(imported.stdout).toContain('Plan: 3 rotations added, 0 changed, 0 removed, 0 unchanged.');
    expect(imported.stdout).toContain('1 row names a student by an email no platform user is known for yet (line 4).');
    const again = await balint(['import', 'rotations', calendar], env);
    expect(again.stdout).toContain('0 rotations added, 0 changed, 0 removed, 3 unchanged');
    expect(again.stdout).toContain('Nothing to change');

    // A plan that removes is printed and refused without --yes (not a terminal here); with
    // --dry-run it is only printed; with --yes it is applied.
    const shorter = file(
      'shorter.csv',
      'student,program,rotation,start,end\nconsole:ann,PA,Family Medicine,2030-02-01,2030-03-01\n',
    );
    const unchanged = readFileSync(storeFile);
    const refused = await balint(['import', 'rotations', shorter], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Plan: 0 rotations added, 0 changed, 2 removed, 1 unchanged.');
    expect(refused.stdout).toContain('remove Surgery, General, 2030-02-01 to 2030-03-01 (console:bo)');
    expect(refused.stderr).toContain(
      'Not applied: this plan removes, moves or cancels something. Run again with --yes',
    );
    const dry = await balint(['import', 'rotations', shorter, '--dry-run'], env);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('Dry run: nothing was changed.');
    expect(readFileSync(storeFile).equals(unchanged)).toBe(true);
    expect((await balint(['import', 'rotations', shorter, '--yes'], env)).stdout).toContain('Applied.');
    expect((await balint(['import', 'rotations', calendar], env)).stdout).toContain('Plan: 2 rotations added');

    const before = readFileSync(storeFile);
    const broken = file(
      'broken.csv',
      [
        'student,program,rotation,start,end',
        'console:ann,PA,Family Medicine,2030-02-01,2030-03-01',
        `console:bo,${marker},Surgery,2030-02-01,2030-03-01`,
        `console:cy,PA,Surgery,2030-02-30,${marker}`,
        `console:dee,PA,"${marker}`,
      ].join('\n'),
    );
    const rejected = await balint(['import', 'rotations', broken], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).toBe(
      [
        'Rejected: nothing was imported. 4 problems to fix:',
        '  line 3, column program: is not a program; use one of PA, PT, OT, GC, CSD',
        '  line 4, column start: does not exist (check the month and the day)',
        '  line 4, column end: is not a date written YYYY-MM-DD',
        '  line 5, column rotation: a quoted cell is never closed (a " is missing)',
        '',
      ].join('\n'),
    );
    expect(readFileSync(storeFile).equals(before)).toBe(true);
    expect(readFileSync(storeFile).toString('latin1')).not.toContain(marker);

    // A file over the size limit is refused before it is read; a UTF-16 file is refused too.
    const big = join(dir, 'big.csv');
    writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0x61));
    const tooBig = await balint(['import', 'rotations', big], env);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toContain('The file is 21 MB; an import may be at most 20 MB and 50,000 rows.');
    const utf16 = join(dir, 'utf16.csv');
    writeFileSync(utf16, Buffer.from('\uFEFFstudent,program,rotation,start,end\r\n', 'utf16le'));
    const wide = await balint(['import', 'rotations', utf16], env);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toContain('save it as CSV UTF-8');
    expect(readFileSync(storeFile).equals(before)).toBe(true);

    expect((await balint(['import', 'rotations', join(dir, 'missing.csv')], env)).code).toBe(2);
    expect((await balint(['import', 'roster', roster, '--tz', 'EST'], env)).stderr).toContain(
      'EST has no daylight saving time; did you mean America/New_York?',
    );
    expect((await balint(['import', 'everything', calendar], env)).code).toBe(2);
    const badConfig = await balint(['import', 'rotations', calendar], { ...env, BALINT_DEFAULT_TIMEZONE: 'Mars/Base' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('config error: BALINT_DEFAULT_TIMEZONE');
  }, 60_000);

  it('leaves the invites for the bot over the same file, which arms them at its first poll', async () => {
    const store = openStore(`sqlite://${storeFile}`);
    const clock = new FakeClock(Date.UTC(2030, 0, 15));
    const app = createApp({
      store,
      chat: new RecordingChat(),
      clock,
      logger: silentLogger,
      coordinators: [],
      defaultTimeZone: 'UTC',
    });
    await app.jobs.start();
    await app.services.rotations.poll();
    const armed = await app.jobs.pending('rotations.day');
    expect(armed.map((j) => j.payload)).toEqual([{ group: expect.stringMatching(/^grp_/), date: '2030-03-01' }]);
    expect(armed[0]?.dueAt).toBe(Date.parse('2030-03-01T22:00:00Z'));
    await app.jobs.stop();
    await store.close();
  });
});
