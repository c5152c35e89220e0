// Forms instead of ids, end to end on the real route with the fake Web API: `group add` (typed
// bare, or the Home's "Add people") opens a modal with a people picker and a role; a session's
// overflow menu in `sessions` opens the move form or asks before cancelling; `cancel … all`
// typed asks first; the schedule modal hides the series fields for a one-off and redraws them
// (views.update) when Repeat changes; beyond 100 groups its group list is searched
// (block_suggestion). Every payload the bot sent stays within Block Kit's limits.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import type { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { runServer, type RunningServer } from '../../../src/app/run-server.js';
import { dumpStore, LogSink } from '../../support/harness.js';
import { allPayloadProblems } from './block-kit-limits.js';
import { FakeSlack, fixture, payloadBody, sendSigned, slackServerConfig, slashBody } from './fake-slack.js';

const fake = new FakeSlack();
const logs = new LogSink();
let server: RunningServer;
let port = 0;
let groupId = '';
const year = new Date().getUTCFullYear() + 1;

const path = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
type Json = Record<string, unknown>;
interface View {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ block_id: string; dispatch_action?: boolean; element: Json; label: { text: string } }>;
}

/** Runs a slash command; resolves with what its response_url got (text and blocks). */
async function command(user: string, text: string): Promise<Json[]> {
  const body = slashBody(fake, { user_id: user, text });
  const hook = path(new URLSearchParams(body).get('response_url') as string);
  const opened = fake.callsOf('views.open').length;
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  await fake.until(() => fake.hooks.some((h) => h.path === hook) || fake.callsOf('views.open').length > opened);
  return fake.hooks.filter((h) => h.path === hook).map((h) => h.body);
}

/** A press as Slack sends it (the fixture re-aimed), resolving with what its response_url got. */
async function press(user: string, action: Json, where: Json = {}): Promise<Json[]> {
  const body = fixture<Json & { user: Json; actions: Json[] }>('block-actions-button.json');
  body.user = { ...body.user, id: user };
  body.actions = [{ ...body.actions[0], ...action }];
  body.response_url = fake.hookUrl(`actions/${randomBytes(4).toString('hex')}`);
  const hook = path(body.response_url as string);
  Object.assign(body, where);
  const opened = fake.callsOf('views.open').length;
  expect((await sendSigned(port, 'interactivity', payloadBody(body))).status).toBe(200);
  await fake.until(() => fake.hooks.some((h) => h.path === hook) || fake.callsOf('views.open').length > opened);
  return fake.hooks.filter((h) => h.path === hook).map((h) => h.body);
}

/** A submission of the last modal opened, with these inputs (block id → Slack's state value). */
async function submit(user: string, values: Record<string, Json>, viewId = `V${randomBytes(4).toString('hex')}`) {
  const opened = fake.callsOf('views.open').at(-1)?.params.view as View;
  const body = fixture<Json & { user: Json; view: Json }>('view-submission.json');
  body.user = { ...body.user, id: user };
  body.view = {
    ...body.view,
    id: viewId,
    callback_id: opened.callback_id,
    private_metadata: opened.private_metadata,
    blocks: opened.blocks,
    state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { [k]: v }])) },
  };
  return sendSigned(port, 'interactivity', payloadBody(body));
}

const lastModal = () => fake.callsOf('views.open').at(-1)?.params.view as View;
const store = async () => dumpStore(server.store as KeyvStore);
const sessionIds = async () => [...new Set((await store()).match(/ses_[0-9a-f]{12}/g) ?? [])];
/** Every stored record with this id (a session, a group), found in the store's dump. */
async function record(id: string): Promise<Json | undefined> {
  const all = JSON.parse(await store()) as Record<string, Record<string, unknown>>;
  for (const docs of Object.values(all))
    for (const value of Object.values(docs))
      if (value && typeof value === 'object' && (value as Json).id === id && 'status' in (value as Json))
        return value as Json;
  for (const docs of Object.values(all))
    for (const value of Object.values(docs))
      if (value && typeof value === 'object' && (value as Json).id === id) return value as Json;
  return undefined;
}

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
  port = server.port;
  await command('U0001', 'group create PA Group A program PA tz America/New_York preset 60');
  await command('U0001', 'group add PA Group A <@U0002|lee> as leader');
  groupId = /grp_[0-9a-f]{16}/.exec(await store())?.[0] ?? '';
  expect(groupId).toMatch(/^grp_/);
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

describe('group add as a form', () => {
  it('opens a modal with a people picker and a role when typed with nothing after it', async () => {
    const before = fake.callsOf('views.open').length;
    await command('U0001', 'group add');
    await fake.until(() => fake.callsOf('views.open').length === before + 1);
    const view = lastModal();
    expect(view.callback_id).toBe('group-add');
    expect(view.blocks.map((b) => [b.block_id, b.element.type])).toEqual([
      ['group', 'static_select'],
      ['people', 'multi_users_select'],
      ['role', 'radio_buttons'],
    ]);
  });

  it('shows each problem beside its field and changes nothing', async () => {
    const before = await store();
    const sent = await submit('U0001', {
      group: { type: 'static_select', selected_option: { value: 'grp_0000000000000000' } },
      people: { type: 'multi_users_select', selected_users: [] },
      role: { type: 'radio_buttons', selected_option: { value: 'boss' } },
    });
    expect(JSON.parse(sent.body)).toEqual({
      response_action: 'errors',
      errors: {
        group: 'Pick one of the groups.',
        people: 'Pick at least one person.',
        role: 'Pick a role: member, co-leader or leader.',
      },
    });
    expect(await store()).toBe(before);
  });

  it('adds the people picked, in the role picked, as the typed command does', async () => {
    const answers = fake.callsOf('chat.postEphemeral').length;
    const sent = await submit('U0001', {
      group: { type: 'static_select', selected_option: { value: groupId } },
      people: { type: 'multi_users_select', selected_users: ['U0003', 'U0004'] },
      role: { type: 'radio_buttons', selected_option: { value: 'co-leader' } },
    });
    expect(sent).toEqual({ status: 200, body: '' });
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === answers + 1);
    expect(String(fake.callsOf('chat.postEphemeral').at(-1)?.params.text)).toContain(
      'Added as co-leader: <@U0003>, <@U0004>',
    );
    const group = (await record(groupId)) as { members: Array<{ user: string; role: string }> } | undefined;
    expect(group?.members.filter((m) => m.role === 'co-leader').map((m) => m.user)).toEqual([
      'slack:T0001:U0003',
      'slack:T0001:U0004',
    ]);
  });

  it("refuses the form to someone who is not a coordinator, beside the form's first field", async () => {
    const before = await store();
    const sent = await submit('U0002', {
      group: { type: 'static_select', selected_option: { value: groupId } },
      people: { type: 'multi_users_select', selected_users: ['U0005'] },
      role: { type: 'radio_buttons', selected_option: { value: 'leader' } },
    });
    expect(JSON.parse(sent.body)).toEqual({
      response_action: 'errors',
      errors: { group: 'Only coordinators add people to groups.' },
    });
    expect(await store()).toBe(before);
  });

  it("opens the same form from the Home's Add people", async () => {
    const before = fake.callsOf('views.open').length;
    await press(
      'U0001',
      { action_id: 'home:add-people', value: 'home' },
      {
        container: { type: 'view', view_id: 'VHOME1' },
        view: { id: 'VHOME1', type: 'home', callback_id: 'home', private_metadata: '', state: { values: {} } },
        channel: undefined,
      },
    );
    await fake.until(() => fake.callsOf('views.open').length === before + 1);
    expect(lastModal().callback_id).toBe('group-add');
  });
});

describe('sessions with a menu instead of ids', () => {
  let series: string[] = [];

  it('puts an overflow (Move…, Cancel…) on each session for its planner, none for a member', async () => {
    await command('U0001', `schedule PA Group A ${year}-03-04 4pm every week for 3 sessions`);
    series = await sessionIds();
    expect(series).toHaveLength(3);
    const [listed] = await command('U0002', 'sessions PA Group A');
    const overflows = JSON.stringify(listed?.blocks).match(/"type":"overflow"/g) ?? [];
    expect(overflows).toHaveLength(3);
    expect(JSON.stringify(listed?.blocks)).toContain(`"value":"session:move ${series[0]}"`);
    const [member] = await command('U0003', 'sessions PA Group A');
    expect(JSON.stringify(member?.blocks)).not.toContain('overflow');
  });

  it('Move… opens the move form in the group’s zone; submitting moves the session', async () => {
    const first = series[0] as string;
    const before = fake.callsOf('views.open').length;
    await press('U0002', { type: 'overflow', action_id: 'menu', selected_option: { value: `session:move ${first}` } });
    await fake.until(() => fake.callsOf('views.open').length === before + 1);
    const view = lastModal();
    expect(view.callback_id).toBe('session-move');
    const time = view.blocks.find((b) => b.block_id === 'time');
    expect(time?.element).toMatchObject({ type: 'timepicker', timezone: 'America/New_York', initial_time: '16:00' });
    // A time in the past is refused beside the date, and nothing moves.
    const past = await submit('U0002', {
      date: { type: 'datepicker', selected_date: '2020-01-01' },
      time: { type: 'timepicker', selected_time: '10:00' },
    });
    expect(JSON.parse(past.body).errors.date).toMatch(/already passed/);
    const answers = fake.callsOf('chat.postEphemeral').length;
    const sent = await submit('U0002', {
      date: { type: 'datepicker', selected_date: `${year}-03-05` },
      time: { type: 'timepicker', selected_time: '17:30' },
    });
    expect(sent).toEqual({ status: 200, body: '' });
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === answers + 1);
    expect(String(fake.callsOf('chat.postEphemeral').at(-1)?.params.text)).toContain('Session moved: PA Group A');
    expect(await record(first)).toMatchObject({ date: `${year}-03-05`, time: '17:30' });
  });

  it('Cancel… asks first; its button cancels, the other keeps it', async () => {
    const second = series[1] as string;
    const [question] = await press('U0002', {
      type: 'overflow',
      action_id: 'menu',
      selected_option: { value: `session:cancel ${second}` },
    });
    expect(String(question?.text)).toContain('Cancel this session?');
    expect(JSON.stringify(question?.blocks)).toContain(`"action_id":"session:cancel-all"`);
    expect((await record(second))?.status).toBe('scheduled');
    const [kept] = await press('U0002', { action_id: 'session:keep', value: second });
    expect(String(kept?.text)).toBe('Nothing was cancelled.');
    expect((await record(second))?.status).toBe('scheduled');
    const [done] = await press('U0002', { action_id: 'session:cancel-one', value: second });
    expect(String(done?.text)).toContain('Session cancelled: PA Group A');
    expect((await record(second))?.status).toBe('cancelled');
  });

  it('refuses a menu press by a member and changes nothing', async () => {
    // The session itself (earlier changes' notice jobs may still be writing elsewhere).
    const before = JSON.stringify(await record(series[2] as string));
    const [answer] = await press('U0003', {
      type: 'overflow',
      action_id: 'menu',
      selected_option: { value: `session:cancel ${series[2]}` },
    });
    expect(String(answer?.text)).toContain("Only coordinators and the group's leader");
    expect(JSON.stringify(await record(series[2] as string))).toBe(before);
  });

  it('typed `cancel … all` answers with a confirmation whose button does it', async () => {
    const third = series[2] as string;
    const [question] = await command('U0002', `cancel ${third} all`);
    expect(String(question?.text)).toContain('Cancel this session?');
    expect((await record(third))?.status).toBe('scheduled');
    const button = JSON.stringify(question?.blocks);
    expect(button).toContain('"action_id":"session:cancel-all"');
    expect(button).not.toContain('"action_id":"session:cancel-one"');
    await press('U0002', { action_id: 'session:cancel-all', value: third });
    expect((await record(third))?.status).toBe('cancelled');
  });
});

describe('the schedule modal', () => {
  it('hides the series fields for a one-off and redraws them, values kept, when Repeat changes', async () => {
    const before = fake.callsOf('views.open').length;
    await command('U0002', 'schedule');
    await fake.until(() => fake.callsOf('views.open').length === before + 1);
    const view = lastModal();
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).not.toContain('count');
    expect(ids).not.toContain('until');
    expect(ids).not.toContain('except');
    expect(view.blocks.find((b) => b.block_id === 'every')?.dispatch_action).toBe(true);
    // One group: chosen already; the time picker names its zone.
    expect(view.blocks.find((b) => b.block_id === 'group')?.element.initial_option).toMatchObject({ value: groupId });
    expect(view.blocks.find((b) => b.block_id === 'time')?.element.timezone).toBe('America/New_York');

    const body = fixture<Json & { user: Json; actions: Json[] }>('block-actions-button.json');
    body.user = { ...body.user, id: 'U0002' };
    body.container = { type: 'view', view_id: 'VSCHED1' };
    delete body.channel;
    body.actions = [
      { type: 'radio_buttons', action_id: 'every', block_id: 'every', selected_option: { value: 'week' } },
    ];
    body.view = {
      id: 'VSCHED1',
      hash: '1768489380.AbCd1234',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      blocks: view.blocks,
      state: {
        values: {
          date: { date: { type: 'datepicker', selected_date: `${year}-05-03` } },
          place: { place: { type: 'plain_text_input', value: 'Room 12' } },
          every: { every: { type: 'radio_buttons', selected_option: { value: 'week' } } },
        },
      },
    };
    const updates = fake.callsOf('views.update').length;
    expect((await sendSigned(port, 'interactivity', payloadBody(body))).status).toBe(200);
    await fake.until(() => fake.callsOf('views.update').length === updates + 1);
    const update = fake.callsOf('views.update').at(-1)?.params as { view_id: string; hash: string; view: View };
    expect(update.view_id).toBe('VSCHED1');
    expect(update.hash).toBe('1768489380.AbCd1234');
    const redrawn = update.view.blocks;
    expect(redrawn.map((b) => b.block_id)).toEqual(expect.arrayContaining(['count', 'until', 'except']));
    expect(redrawn.find((b) => b.block_id === 'date')?.element.initial_date).toBe(`${year}-05-03`);
    expect(redrawn.find((b) => b.block_id === 'place')?.element.initial_value).toBe('Room 12');
    expect(redrawn.find((b) => b.block_id === 'every')?.element.initial_option).toMatchObject({ value: 'week' });
  });

  it('searches every group beyond 100 with an external select, only the groups the person may plan', async () => {
    for (let i = 0; i <= 100; i++) await command('U0001', `group create Cohort ${String(i).padStart(3, '0')}`);
    const before = fake.callsOf('views.open').length;
    await command('U0001', 'schedule');
    await fake.until(() => fake.callsOf('views.open').length === before + 1);
    const view = lastModal();
    expect(view.blocks.find((b) => b.block_id === 'group')?.element).toMatchObject({
      type: 'external_select',
      min_query_length: 1,
    });
    const suggest = (user: string, value: string) => {
      const body = {
        type: 'block_suggestion',
        user: { id: user, team_id: 'T0001' },
        team: { id: 'T0001' },
        action_id: 'group',
        block_id: 'group',
        value,
        view: { id: 'VSCHED2', type: 'modal', callback_id: 'schedule', private_metadata: view.private_metadata },
      };
      return sendSigned(port, 'interactivity', payloadBody(body));
    };
    const found = JSON.parse((await suggest('U0001', 'cohort 10')).body) as { options: Json[] };
    // Every word matched, names starting with the query first; 101 groups plus PA Group A are searched.
    expect(found.options.map((o) => (o.text as Json).text)).toEqual(['Cohort 100', 'Cohort 010']);
    // The leader plans one group: only it is found, whatever the query.
    const leader = JSON.parse((await suggest('U0002', 'o')).body) as { options: Json[] };
    expect(leader.options.map((o) => o.value)).toEqual([groupId]);
  });
});

it('kept every payload (modals, redraws, menus, answers) within Block Kit limits', () => {
  expect(allPayloadProblems(fake)).toEqual([]);
});
