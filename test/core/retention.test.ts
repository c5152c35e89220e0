// Retention: a daily durable job deletes sessions (with their RSVP answers and attendance), finished timers
// and rotations that ended longer ago than BALINT_RETENTION_DAYS, and nothing younger. Driven
// on the fake clock: months pass in a test, and the job chain survives a restart.
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { ConfigError, readConfig } from '../../src/app/config.js';
import type { Group } from '../../src/core/model.js';
import { RETENTION_JOB } from '../../src/core/retention.js';
import { createHarness, type Harness } from '../support/harness.js';

const DAY = 86_400_000;

async function world(retentionDays?: number): Promise<{ h: Harness; group: Group; old: string; later: string }> {
  const h = createHarness(['console:coord'], undefined, retentionDays ? { retentionDays } : {});
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @ann @bo',
    'schedule PA Cohort A 2027-01-25 16:00',
    'schedule PA Cohort A 2027-09-01 16:00',
    'rotation add @ann Surgery 2027-01-04 2027-01-25',
  ])
    await h.run('coord', line);
  const group = (await h.services.roster.findGroup('PA Cohort A')) as Group;
  const [old, later] = (await h.services.schedule.upcoming(group.id)).map((s) => s.id) as [string, string];
  for (const who of ['ann', 'bo']) {
    for (const id of [old, later])
      await handleButton(h.services, {
        actionId: 'rsvp:yes',
        value: `yes:${id}`,
        actor: `console:${who}`,
        place: 'console:#general',
      });
  }
  // The old session happens: its timer runs in the channel, and the rotation's day comes.
  await h.clock.advanceTo(Date.UTC(2027, 0, 25, 21, 0));
  await h.run('lee', 'start PA Cohort A preset 45');
  await h.run('lee', 'end');
  await h.clock.advanceTo(Date.UTC(2027, 0, 26));
  await h.retention.arm();
  return { h, group, old, later };
}

const count = async (h: Harness, namespace: string): Promise<number> =>
  Object.keys((JSON.parse(await h.snapshot()) as Record<string, Record<string, unknown>>)[namespace] ?? {}).length;

describe('the retention purge', () => {
  it('deletes sessions, timers and rotations older than the period, daily, and nothing younger', async () => {
    const { h, group, old, later } = await world(90);
    expect(await h.jobs.pending(RETENTION_JOB)).toHaveLength(1);
    const ended = Date.UTC(2027, 0, 25, 22, 30); // the old session's end, 17:30 New York
    // 89 days on, everything is still there.
    await h.clock.advanceTo(ended + 89 * DAY);
    expect(await h.services.schedule.get(old)).toBeDefined();
    expect(await count(h, 'timers')).toBe(1);
    expect(await count(h, 'rotations')).toBe(1);
    expect(await count(h, 'rotation-invites')).toBe(1);
    expect(await count(h, 'attendance')).toBe(1);
    // A day after the period ran out (the daily run fell between), the old data is gone.
    await h.clock.advanceTo(ended + 91 * DAY);
    expect(await h.services.schedule.get(old)).toBeUndefined();
    expect(await count(h, 'timers')).toBe(0);
    expect(await count(h, 'channel-timers')).toBe(0);
    expect(await count(h, 'rotations')).toBe(0);
    expect(await count(h, 'rotation-invites')).toBe(0);
    expect(await count(h, 'rotation-days')).toBe(0);
    expect(await count(h, 'rotation-waiting')).toBe(0);
    // The old session's attendance goes with it.
    expect(await count(h, 'attendance')).toBe(0);
    expect(await count(h, 'attendance-groups')).toBe(0);
    const dump = await h.snapshot();
    expect(dump).not.toContain(old);
    // The younger session keeps its answers, and stays listed.
    expect((await h.services.schedule.get(later))?.rsvps).toEqual({ 'console:ann': 'yes', 'console:bo': 'yes' });
    expect((await h.services.schedule.upcoming(group.id)).map((s) => s.id)).toEqual([later]);
    // One run a day at 03:17 UTC (27 January to 27 April: 91 runs), and exactly one next run armed.
    const runs = h.logs.lines.filter((l) => l.includes('"retention.purged"')).length;
    expect(runs).toBe(91);
    const [next] = await h.jobs.pending(RETENTION_JOB);
    expect(next?.dueAt).toBe(Date.UTC(2027, 3, 27, 3, 17));
  });

  it('keeps its daily chain across a restart, with no second run armed', async () => {
    const { h } = await world();
    await h.clock.advance(3 * DAY);
    await h.restart();
    await h.retention.arm();
    await h.retention.arm();
    expect(await h.jobs.pending(RETENTION_JOB)).toHaveLength(1);
    await h.clock.advance(2 * DAY);
    expect(await h.jobs.pending(RETENTION_JOB)).toHaveLength(1);
    expect(h.logs.lines.filter((l) => l.includes('"retention.purged"'))).toHaveLength(5);
  });

  it('by default keeps a year', async () => {
    const { h, old } = await world();
    expect(h.retention.days).toBe(365);
    await h.clock.advanceTo(Date.UTC(2027, 0, 25) + 364 * DAY);
    expect(await h.services.schedule.get(old)).toBeDefined();
    await h.clock.advanceTo(Date.UTC(2027, 0, 25) + 367 * DAY);
    expect(await h.services.schedule.get(old)).toBeUndefined();
  }, 30_000);

  it('a purge run by hand twice changes nothing the second time', async () => {
    const { h } = await world(90);
    await h.crash();
    await h.clock.advance(200 * DAY);
    expect(await count(h, 'rotation-invites')).toBe(1);
    expect(await h.retention.purge()).toEqual({ sessions: 1, timers: 1, rotations: 1, invites: 1, attendance: 1 });
    const after = await h.snapshot();
    expect(await h.retention.purge()).toEqual({ sessions: 0, timers: 0, rotations: 0, invites: 0, attendance: 0 });
    expect(await h.snapshot()).toBe(after);
  });
});

describe('BALINT_RETENTION_DAYS', () => {
  it('is read as a whole number of days from 90 to 3650', () => {
    expect(readConfig({}).retentionDays).toBeUndefined();
    expect(readConfig({ BALINT_RETENTION_DAYS: '730' }).retentionDays).toBe(730);
    for (const bad of ['30', '3651', '1.5', 'a year', '-365']) {
      expect(() => readConfig({ BALINT_RETENTION_DAYS: bad }), bad).toThrow(ConfigError);
      try {
        readConfig({ BALINT_RETENTION_DAYS: bad });
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([
          'BALINT_RETENTION_DAYS: must be a whole number of days from 90 to 3650 (default 365)',
        ]);
      }
    }
  });
});
