// Every command and button, tried by a coordinator, a group's leader, its co-leader, one of its
// members, a member of another group and a stranger. What each may do is the table in the
// docs/security.md ("Authorization matrix"); this test runs them all and fails where the bot and the
// table disagree, or where a command or button has no row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleButton } from '../../src/commands/actions.js';
import { buttons, commands } from '../../src/commands/registry.js';
import { createHarness, type Harness } from '../support/harness.js';

const ROLES = {
  coordinator: 'coord',
  leader: 'lee',
  'co-leader': 'cal',
  member: 'ann',
  "other group's member": 'pat',
  // Leads PT Group, which has met in #general before: may end (or take over) a timer there.
  'leader of a group meeting here': 'tia',
  stranger: 'zed',
} as const;
type Role = keyof typeof ROLES;

interface World {
  h: Harness;
  session: string;
  timer: string;
  groupId: string;
  sheet: string;
  survey: string;
}

async function world(withTimer: boolean): Promise<World> {
  const h = createHarness(['console:coord'], undefined, { publicUrl: 'https://balint.example.edu' });
  await h.start();
  for (const line of [
    'group create PA Cohort A program PA tz America/New_York',
    'group add PA Cohort A @lee as leader',
    'group add PA Cohort A @cal as co-leader',
    'group add PA Cohort A @ann',
    'group create PT Group program PT',
    'group add PT Group @pat',
    'group add PT Group @tia as leader',
    'schedule PA Cohort A 2027-02-01 16:00',
    'survey add PA Cohort A https://survey.example.edu/pre before first',
  ])
    await h.run('coord', line);
  // PT Group has met in #general: its session there has ended.
  await h.run('tia', 'start PT Group');
  await h.run('tia', 'end');
  const group = await h.services.roster.findGroup('PA Cohort A');
  if (!group) throw new Error('setup failed');
  const sheet = await h.services.attendance.open(group, undefined, h.clock.now());
  const [survey] = await h.services.surveys.records.all();
  const [session] = await h.services.schedule.upcoming(group.id);
  if (withTimer) await h.run('lee', 'start PA Cohort A');
  const timer = await h.services.timers.inChannel('console:#general');
  return {
    h,
    session: session?.id ?? '',
    timer: timer?.id ?? '',
    groupId: group.id,
    sheet: sheet.id,
    survey: survey?.id ?? '',
  };
}

type Trial =
  | { kind: 'command'; line: (w: World) => string; timer?: boolean }
  | { kind: 'button'; actionId: string; value: (w: World) => string };

/** One row per command verb and button action id: a use that is valid for whoever may make it. */
const TRIALS: Record<string, Trial> = {
  help: { kind: 'command', line: () => 'help' },
  groups: { kind: 'command', line: () => 'groups' },
  'group show': { kind: 'command', line: () => 'group show PA Cohort A' },
  'group create': { kind: 'command', line: () => 'group create New Group' },
  'group add': { kind: 'command', line: () => 'group add PA Cohort A @nina' },
  'group remove': { kind: 'command', line: () => 'group remove PA Cohort A @ann' },
  'group set': { kind: 'command', line: () => 'group set PA Cohort A tz Europe/Budapest' },
  'coordinator add': { kind: 'command', line: () => 'coordinator add @nina' },
  forget: { kind: 'command', line: () => 'forget @ann' },
  start: { kind: 'command', line: () => 'start PA Cohort A' },
  next: { kind: 'command', line: () => 'next', timer: true },
  pause: { kind: 'command', line: () => 'pause', timer: true },
  resume: { kind: 'command', line: () => 'resume', timer: true },
  extend: { kind: 'command', line: () => 'extend 2', timer: true },
  end: { kind: 'command', line: () => 'end', timer: true },
  status: { kind: 'command', line: () => 'status', timer: true },
  schedule: { kind: 'command', line: () => 'schedule PA Cohort A 2027-03-01 16:00' },
  sessions: { kind: 'command', line: () => 'sessions PA Cohort A' },
  move: { kind: 'command', line: (w) => `move ${w.session} 2027-02-02 16:00` },
  cancel: { kind: 'command', line: (w) => `cancel ${w.session}` },
  calendar: { kind: 'command', line: () => 'calendar' },
  'calendar reset': { kind: 'command', line: () => 'calendar reset' },
  room: { kind: 'command', line: () => 'room PA Cohort A' },
  'room reset': { kind: 'command', line: () => 'room reset PA Cohort A' },
  'rotation add': { kind: 'command', line: () => 'rotation add @ann Surgery 2027-01-04 2027-02-05' },
  rotations: { kind: 'command', line: () => 'rotations PA Cohort A' },
  'timer:next': { kind: 'button', actionId: 'timer:next', value: (w) => w.timer },
  'timer:pause': { kind: 'button', actionId: 'timer:pause', value: (w) => w.timer },
  'timer:resume': { kind: 'button', actionId: 'timer:resume', value: (w) => w.timer },
  'timer:extend': { kind: 'button', actionId: 'timer:extend', value: (w) => `${w.timer}:2` },
  'timer:end': { kind: 'button', actionId: 'timer:end', value: (w) => w.timer },
  'rsvp:yes': { kind: 'button', actionId: 'rsvp:yes', value: (w) => `yes:${w.session}` },
  'rsvp:no': { kind: 'button', actionId: 'rsvp:no', value: (w) => `no:${w.session}` },
  'forget:confirm': { kind: 'button', actionId: 'forget:confirm', value: () => 'console:ann' },
  'digest:schedule': { kind: 'button', actionId: 'digest:schedule', value: (w) => w.groupId },
  attendance: { kind: 'command', line: () => 'attendance PA Cohort A' },
  'attendance take': { kind: 'command', line: () => 'attendance take PA Cohort A' },
  'program set': { kind: 'command', line: () => 'program set PA attendance 6 of 8' },
  'survey add': { kind: 'command', line: () => 'survey add PA Cohort A https://survey.example.edu/post after last' },
  'survey list': { kind: 'command', line: () => 'survey list' },
  'survey remove': { kind: 'command', line: (w) => `survey remove ${w.survey}` },
  'attendance:toggle': { kind: 'button', actionId: 'attendance:toggle', value: (w) => `${w.sheet}/console:ann` },
  'attendance:submit': { kind: 'button', actionId: 'attendance:submit', value: (w) => w.sheet },
  'home:schedule': { kind: 'button', actionId: 'home:schedule', value: () => 'home' },
  'home:calendar': { kind: 'button', actionId: 'home:calendar', value: () => 'home' },
  'home:add-people': { kind: 'button', actionId: 'home:add-people', value: () => 'home' },
  'home:import-help': { kind: 'button', actionId: 'home:import-help', value: () => 'home' },
  'session:move': { kind: 'button', actionId: 'session:move', value: (w) => w.session },
  'session:cancel': { kind: 'button', actionId: 'session:cancel', value: (w) => w.session },
  'session:cancel-one': { kind: 'button', actionId: 'session:cancel-one', value: (w) => w.session },
  'session:cancel-all': { kind: 'button', actionId: 'session:cancel-all', value: (w) => w.session },
  'session:keep': { kind: 'button', actionId: 'session:keep', value: (w) => w.session },
  'home:group': { kind: 'button', actionId: 'home:group', value: (w) => w.groupId },
};

const ALLOWED = new Set(['ok', 'invalid', 'conflict']);
const REFUSED = new Set(['refused', 'not-found']);

async function attempt(name: string, role: Role): Promise<'yes' | 'no'> {
  const trial = TRIALS[name] as Trial;
  const w = await world(trial.kind === 'button' ? name.startsWith('timer:') : Boolean(trial.timer));
  const actor = ROLES[role];
  // Setting up the world may end a timer, whose attendance jobs then run in the background.
  await w.h.jobs.idle();
  const before = await w.h.snapshot();
  if (trial.kind === 'command') await w.h.run(actor, trial.line(w));
  else
    await handleButton(w.h.services, {
      actionId: trial.actionId,
      value: trial.value(w),
      actor: `console:${actor}`,
      place: 'console:#general',
    });
  const outcome = (JSON.parse(w.h.logs.lines.at(-1) ?? '{}') as { outcome?: string }).outcome ?? 'none';
  await w.h.crash();
  if (ALLOWED.has(outcome)) return 'yes';
  if (!REFUSED.has(outcome)) throw new Error(`${name} by ${role}: unexpected outcome ${outcome}`);
  expect(await w.h.snapshot(), `${name} by ${role} was refused but changed the store`).toBe(before);
  return 'no';
}

/** docs/security.md's table: command → role → yes/no. */
function readmeMatrix(): Map<string, Record<Role, string>> {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'security.md'), 'utf8');
  const section = readme.split('### Authorization matrix')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  const roles = Object.keys(ROLES) as Role[];
  return new Map(
    rows.map((row) => {
      const cells = row
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const name = (cells[0] ?? '')
        .replace(/`/g, '')
        .replace(/^\/balint /, '')
        .replace(/ button$/, '');
      return [name, Object.fromEntries(roles.map((r, i) => [r, cells[i + 1] ?? ''])) as Record<Role, string>];
    }),
  );
}

describe('the authorization matrix', () => {
  it('has a row for every command and every button', () => {
    const names = [...commands.map((c) => c.verb), ...buttons.flatMap((b) => b.actionIds)];
    expect(Object.keys(TRIALS).sort()).toEqual([...names].sort());
    expect([...readmeMatrix().keys()].sort()).toEqual([...names].sort());
  });

  it('matches what the bot does, for every row and role', { timeout: 120_000 }, async () => {
    const table = readmeMatrix();
    const actual: Record<string, Record<string, string>> = {};
    const expected: Record<string, Record<string, string>> = {};
    for (const name of Object.keys(TRIALS)) {
      actual[name] = {};
      for (const role of Object.keys(ROLES) as Role[]) actual[name][role] = await attempt(name, role);
      expected[name] = { ...(table.get(name) ?? {}) };
    }
    if (process.env.PRINT_MATRIX) {
      for (const [name, cells] of Object.entries(actual)) {
        const label = TRIALS[name]?.kind === 'button' ? `\`${name}\` button` : `\`/balint ${name}\``;
        console.log(`| ${label} | ${Object.values(cells).join(' | ')} |`);
      }
    }
    expect(actual).toEqual(expected);
  });
});
