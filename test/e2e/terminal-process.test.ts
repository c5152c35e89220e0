// Drives the real process, `npm start`, through the terminal chat with piped input, on a real
// SQLite file, the way a person trying the bot would.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNpm } from '../support/run-npm.js';

const dir = mkdtempSync(join(tmpdir(), 'balint-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npmStart = (input: string, env: Record<string, string> = {}) => runNpm(['start', '--silent'], env, input);

describe('npm start (terminal chat)', () => {
  const storeFile = join(dir, 'data', 'balint.sqlite');
  const env = { STORE_URL: `sqlite://${storeFile}`, LOG_LEVEL: 'debug' };

  it('prints the help and exits at the end of piped input', async () => {
    const run = await npmStart('/balint help\n', env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('== Balint bot: what you can do ==');
    expect(run.stdout).toContain('/balint group create <name>');
  });

  it('keeps groups in the SQLite file across runs, and keeps free text out of logs and file', async () => {
    const marker = `cnry${randomBytes(6).toString('hex')}`;
    const first = await npmStart(
      [
        '/balint group create PA Cohort A program PA tz America/New_York',
        '/balint group add PA Cohort A @lee as leader',
        '/balint group add PA Cohort A @ann @bo',
        `/balint group add PA Cohort A @ann as ${marker}`,
        `/balint group set PA Cohort A tz ${marker}`,
        `/balint ${marker} ${marker}`,
        `${marker} said something about a patient`,
      ].join('\n') + '\n',
      env,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Added as leader  @lee');
    expect(first.stdout).toContain('not a time zone I know');

    const second = await npmStart(
      '/as ann\n/balint group show PA Cohort A\n/as pat\n/balint group show PA Cohort A\n',
      env,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Leader\s+@lee/);
    expect(second.stdout).toMatch(/Members\s+@ann, @bo/);
    expect(second.stdout).toContain('Only members of a Balint group can do that.');

    const logs = first.stderr + second.stderr;
    expect(logs).toContain('"event":"command.done"');
    expect(logs).not.toContain(marker);
    expect(first.stdout).not.toContain(marker);
    expect(readFileSync(storeFile).toString('latin1')).not.toContain(marker);
  });

  it('runs a whole session at BALINT_CLOCK_SPEED and exits when it has ended', async () => {
    const run = await npmStart(
      [
        '/balint group create Timer Group preset 45',
        '/balint group add Timer Group @lee as leader',
        '/balint group set Timer Group pacing strict',
        '/as lee',
        '/balint start Timer Group',
        '/balint next',
        '/as ann',
        '/press 1',
      ].join('\n') + '\n',
      { STORE_URL: 'memory://', BALINT_CLOCK_SPEED: '3600' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Only the facilitators can steer the timer.');
    const order = [
      'Welcome to the Balint group',
      '== Case call ==',
      '== Presentation ==',
      '== Clarifying questions ==',
      '== Push back ==',
      '== Presenter returns ==',
      '== Wrap up ==',
      '== Two minutes left ==',
      '== Thank you ==',
      'Session ended',
    ];
    const positions = order.map((text) => run.stdout.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(run.stdout.split('== Thank you ==')).toHaveLength(2);
  });

  it('refuses a bad configuration with one line per mistake and exit code 2', async () => {
    const run = await npmStart('', { STORE_URL: 'ftp://nope', BALINT_DEFAULT_TIMEZONE: 'Nowhere/Land' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'config error: STORE_URL: must be sqlite://<path> (e.g. sqlite://./data/balint.sqlite), memory://, redis://… or postgres://…',
      'config error: BALINT_DEFAULT_TIMEZONE: "Nowhere/Land" is not an IANA time zone (e.g. America/New_York)',
    ]);
  });
});
