// The attendance export: the same figures as the chat, documented columns, filters, and cells a
// spreadsheet can never run as formulas.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../../src/commands/actions.js';
import { exportAttendanceCommand, readExportFlags } from '../../../src/cli/export-attendance.js';
import { csvCell, EXPORT_COLUMNS, exportAttendance } from '../../../src/core/attendance/export.js';
import type { Button } from '../../../src/core/cards.js';
import { createHarness, type Harness } from '../../support/harness.js';

const MIN = 60_000;

async function pressAll(h: Harness, actor: string, pick: (b: Button) => boolean): Promise<void> {
  const sent = h.chat.sent.filter((s) => s.user === `console:${actor}` && s.text.startsWith('Attendance: ')).at(-1);
  for (const b of sent?.card.blocks.flatMap((x) => (x.type === 'actions' ? x.buttons : [])) ?? [])
    if (pick(b))
      await handleButton(h.services, { actionId: b.actionId, value: b.value, actor: `console:${actor}`, place: 'dm' });
}

/** Three sessions of PA Cohort A: ann at all, bo at the first only; one of PT Group. */
async function world(): Promise<Harness> {
  const h = createHarness(['console:coord']);
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @ann @bo',
    'group set PA Cohort A attendance 6 of 8',
    'group create PT Group program PT',
    'group add PT Group @pia as leader',
    'group add PT Group @pat',
  ])
    await h.run('coord', line);
  for (const [date, boThere] of [
    ['2027-01-16', true],
    ['2027-01-23', false],
    ['2027-01-30', false],
  ] as const) {
    await h.run('coord', `schedule PA Cohort A ${date} 10:00`);
    await h.run('coord', `schedule PT Group ${date} 12:00`);
    const group = await h.services.roster.findGroup('PA Cohort A');
    const session = (await h.services.schedule.upcoming(group?.id ?? '')).find((s) => s.date === date);
    await h.services.schedule.rsvp(session?.id ?? '', 'console:ann', 'yes');
    if (boThere) await h.services.schedule.rsvp(session?.id ?? '', 'console:bo', 'yes');
    await h.clock.advanceTo(session?.start ?? 0);
    await h.run('lee', 'start PA Cohort A');
    await h.run('lee', 'end');
    await h.clock.advance(0);
    await pressAll(h, 'lee', (b) => b.actionId === 'attendance:submit');
    if (date === '2027-01-16') {
      await h.clock.advance(2 * 3_600_000);
      await h.run('pia', 'attendance take PT Group');
      await pressAll(h, 'pia', (b) => b.actionId === 'attendance:submit');
    }
    await h.clock.advance(10 * MIN);
  }
  return h;
}

const rowsOf = (csv: string): Array<Record<string, string>> =>
  parse(csv, { columns: true }) as Array<Record<string, string>>;

describe('the attendance export', () => {
  it('writes one row per member and session and a summary per member, matching the chat', async () => {
    const h = await world();
    const { csv, groups } = await exportAttendance({ store: h.store, roster: h.services.roster });
    expect(groups).toBe(2);
    expect(csv.split('\r\n')[0]).toBe(EXPORT_COLUMNS.join(','));
    const rows = rowsOf(csv);
    const sessions = rows.filter((r) => r.row === 'session' && r.group === 'PA Cohort A');
    expect(sessions.map((r) => [r.member, r.date, r.status])).toEqual([
      ['console:ann', '2027-01-16', 'present'],
      ['console:ann', '2027-01-23', 'present'],
      ['console:ann', '2027-01-30', 'present'],
      ['console:bo', '2027-01-16', 'present'],
      ['console:bo', '2027-01-23', 'absent'],
      ['console:bo', '2027-01-30', 'absent'],
    ]);
    expect(sessions.every((r) => r.marked_by === 'console:lee' && /^2027-01-\d\dT/.test(r.marked_at ?? ''))).toBe(true);
    const view = await h.say('lee', 'attendance PA Cohort A');
    for (const summary of rows.filter((r) => r.row === 'summary' && r.group === 'PA Cohort A')) {
      const shown = `attended ${summary.attended} of ${summary.expected}${summary.below_pace === 'yes' ? ' (below pace)' : ''}`;
      expect(view).toContain(`Member: @${(summary.member ?? '').split(':')[1]}\nAttendance: ${shown}\n`);
      expect(summary.requirement).toBe('6 of 8');
      expect(summary.requirement_from).toBe('group');
    }
    expect(
      rows.filter((r) => r.row === 'summary').map((r) => [r.group, r.member, r.attended, r.expected, r.below_pace]),
    ).toEqual([
      ['PA Cohort A', 'console:ann', '3', '3', 'no'],
      ['PA Cohort A', 'console:bo', '1', '3', 'yes'],
      ['PT Group', 'console:pat', '0', '1', ''],
    ]);
  });

  it("applies a program's requirement where a group has none of its own, as the chat does", async () => {
    const h = await world();
    await h.run('coord', 'program set PT attendance 1 of 2');
    await h.run('coord', 'program set PA attendance 7 of 8');
    const summaries = rowsOf((await exportAttendance({ store: h.store, roster: h.services.roster })).csv).filter(
      (r) => r.row === 'summary',
    );
    // PA Cohort A keeps its own 6 of 8; PT Group follows its program's 1 of 2 (pat: 0 of 1).
    expect(summaries.map((r) => [r.group, r.member, r.requirement, r.requirement_from, r.below_pace])).toEqual([
      ['PA Cohort A', 'console:ann', '6 of 8', 'group', 'no'],
      ['PA Cohort A', 'console:bo', '6 of 8', 'group', 'yes'],
      ['PT Group', 'console:pat', '1 of 2', 'program', 'yes'],
    ]);
    const view = await h.say('pia', 'attendance PT Group');
    expect(view).toContain("Requirement: 1 of 2 (the PT program's).");
    expect(view).toContain('Member: @pat\nAttendance: attended 0 of 1 (below pace)\n');
  });

  it('filters by program, group and dates', async () => {
    const h = await world();
    const deps = { store: h.store, roster: h.services.roster };
    const pt = rowsOf((await exportAttendance(deps, { program: 'PT' })).csv);
    expect(new Set(pt.map((r) => r.group))).toEqual(new Set(['PT Group']));
    const one = rowsOf(
      (await exportAttendance(deps, { group: 'pa cohort a', from: '2027-01-20', to: '2027-01-25' })).csv,
    );
    expect(one.filter((r) => r.row === 'session').map((r) => r.date)).toEqual(['2027-01-23', '2027-01-23']);
    expect(one.filter((r) => r.row === 'summary').map((r) => `${r.attended}/${r.expected}`)).toEqual(['1/1', '0/1']);
  });

  it('makes every cell formula-safe and quotes what CSV needs quoted', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('PA Cohort A')).toBe('PA Cohort A');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(3)).toBe('3');
  });

  it('reads its flags and refuses bad ones without echoing them', async () => {
    expect(readExportFlags(['--program', 'pa', '--from', '2027-01-01'])).toEqual({ program: 'PA', from: '2027-01-01' });
    for (const bad of [
      ['--program', 'XX'],
      ['--from', '01/02/2027'],
      ['--group'],
      ['--colour', 'red'],
      ['--from', '2027-02-01', '--to', '2027-01-01'],
    ]) {
      const answer = readExportFlags(bad);
      expect(typeof answer).toBe('string');
      expect(answer).not.toContain(bad[1] ?? '\u0000');
    }
    const h = await world();
    let out = '';
    const errs: string[] = [];
    const code = await exportAttendanceCommand(['--group', 'PT Group'], {
      store: h.store,
      coordinators: ['console:coord'],
      write: (t) => (out += t),
      err: (l) => errs.push(l),
    });
    expect(code).toBe(0);
    expect(rowsOf(out).map((r) => r.row)).toEqual(['session', 'summary']);
    expect(errs).toEqual(['2 rows from 1 group.']);
  });
});
