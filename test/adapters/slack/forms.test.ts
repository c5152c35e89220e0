// Modals end to end: a command that answers with a form opens a modal with the command's
// trigger_id; the submitted modal is judged field by field, errors shown beside their fields;
// an accepted one is answered in the channel it was opened from. The bot is composed in-process
// (as runServer composes it) so the test can bring its own form and command specs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import { RoutingChat } from '../../../src/adapters/platform/routing-chat.js';
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.js';
import { FORM_FAILED } from '../../../src/adapters/slack/handlers.js';
import { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { createApp } from '../../../src/app/compose.js';
import type { FormSpec } from '../../../src/commands/plumbing/form-spec.js';
import { commands } from '../../../src/commands/registry.js';
import type { CommandSpec } from '../../../src/commands/plumbing/spec.js';
import { card, ephemeral, facts, openForm, text, type Form } from '../../../src/core/cards.js';
import { systemClock } from '../../../src/adapters/clock/system-clock.js';
import { dumpStore, LogSink } from '../../support/harness.js';
import { allPayloadProblems } from './block-kit-limits.js';
import { BOT_TOKEN, FakeSlack, fixture, payloadBody, sendSigned, SIGNING_SECRET, slashBody } from './fake-slack.js';

const MARKER = `cnry${randomBytes(6).toString('hex')}`;
const fake = new FakeSlack();
const logs = new LogSink();
const store = new KeyvStore();
let server: ReturnType<typeof createHttpServer>;
let port = 0;

// A stand-in for the scheduling form: the same field kinds, and field-by-field validation.
const planForm = (): Form => ({
  formId: 'plan_session',
  title: 'Schedule a session',
  submitLabel: 'Schedule',
  context: 'grp_1',
  fields: [
    {
      id: 'group',
      label: 'Group',
      kind: 'select',
      options: [
        { value: 'grp_1', label: 'PA Group A' },
        { value: 'grp_2', label: 'PT Group B' },
      ],
    },
    { id: 'date', label: 'Date', kind: 'date', initial: '2026-01-22' },
    { id: 'time', label: 'Start time', kind: 'time', initial: '16:00' },
    { id: 'length', label: 'Length (minutes)', kind: 'number', min: 30, max: 120, initial: '60' },
    {
      id: 'format',
      label: 'Format',
      kind: 'choice',
      options: [
        { value: 'in_person', label: 'In person' },
        { value: 'online', label: 'Online' },
        { value: 'hybrid', label: 'Hybrid' },
      ],
    },
    { id: 'place', label: 'Place or meeting link', kind: 'text', optional: true, maxLength: 200 },
  ],
});
const planCommand: CommandSpec = {
  verb: 'plan',
  args: '',
  summary: 'Open the plan form.',
  audience: 'anyone',
  run: async () => [openForm(planForm(), card(text('Use the form.')))],
};
// A form whose work waits until the test lets it go: the ack must not wait for it.
let slowRuns = 0;
let releaseSlow: () => void = () => undefined;
const slowSpec: FormSpec = {
  formId: 'slow_form',
  async check() {
    return {
      accepted: true,
      run: async () => {
        slowRuns++;
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        return [ephemeral(card(text('Slow work done.')))];
      },
    };
  },
};
const planSpec: FormSpec = {
  formId: 'plan_session',
  async submit(_services, submission) {
    const errors: Record<string, string> = {};
    if (submission.values.group !== 'grp_1') errors.group = 'Choose one of your groups.';
    if (!/^2026-\d\d-\d\d$/.test(submission.values.date ?? '')) errors.date = 'Pick a date in 2026.';
    if (submission.context !== 'grp_1') errors._form = 'This form is out of date.';
    if (Object.keys(errors).length > 0) return { accepted: false, errors };
    return {
      accepted: true,
      replies: [
        ephemeral(card(text('Session planned.'), facts({ label: 'Time', value: submission.values.time ?? '' }))),
      ],
    };
  },
};

beforeAll(async () => {
  await fake.start();
  const logger = createPinoLogger('debug', logs);
  const adapter = createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
    {
      logger,
      store,
      identity: { botId: 'B0001', botUserId: 'U0999' },
      commands: [...commands, planCommand],
      forms: [planSpec, slowSpec],
    },
  );
  const { services } = createApp({
    store,
    chat: new RoutingChat({ slack: adapter.chat }),
    clock: systemClock,
    logger,
    coordinators: [],
    defaultTimeZone: 'UTC',
  });
  server = createHttpServer(await adapter.connect(services), logger);
  port = await listen(server, 0, '127.0.0.1');
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fake.stop();
});

type View = {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ block_id: string; element: { type: string } }>;
};

let views = 0;

/** The fixture's submission, re-aimed at our form, with some inputs changed; a fresh view id unless given. */
function submission(
  values: Record<string, Record<string, unknown>>,
  metadata?: string,
  view: { id?: string; callbackId?: string } = {},
): string {
  const body = fixture<{
    view: Record<string, unknown> & { id: string; state: { values: Record<string, Record<string, unknown>> } };
  }>('view-submission.json');
  const opened = fake.callsOf('views.open')[0]?.params.view as View;
  body.view.callback_id = view.callbackId ?? 'plan_session';
  body.view.id = view.id ?? `VFORM${++views}`;
  body.view.private_metadata = metadata ?? opened.private_metadata;
  body.view.blocks = opened.blocks;
  for (const [block, value] of Object.entries(values)) body.view.state.values[block] = { [block]: value };
  return payloadBody(body);
}

describe('Slack modals', () => {
  it('opens the form as a modal with the command trigger_id, one input block per field', async () => {
    expect(fake.callsOf('auth.test')).toHaveLength(0);
    const body = slashBody(fake, { user_id: 'U0003', text: 'plan' });
    expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
    await fake.until(() => fake.callsOf('views.open').length === 1);
    const call = fake.callsOf('views.open')[0]?.params as { trigger_id: string; view: View & { type: string } };
    expect(call.trigger_id).toBe(fixture<{ trigger_id: string }>('slash-command.json').trigger_id);
    expect(call.view.type).toBe('modal');
    expect(call.view.callback_id).toBe('plan_session');
    expect(call.view.blocks.map((b) => [b.block_id, b.element.type])).toEqual([
      ['group', 'static_select'],
      ['date', 'datepicker'],
      ['time', 'timepicker'],
      ['length', 'number_input'],
      ['format', 'radio_buttons'],
      ['place', 'plain_text_input'],
    ]);
    expect(JSON.parse(call.view.private_metadata)).toEqual({ v: 1, place: 'slack:T0001:C0001', context: 'grp_1' });
  });

  it('shows each error beside its field, and one that belongs to no field beside the first', async () => {
    const before = await dumpStore(store);
    const sent = await sendSigned(
      port,
      'interactivity',
      submission(
        {
          group: { type: 'static_select', selected_option: { value: 'grp_2' } },
          date: { type: 'datepicker', selected_date: '2027-01-01' },
        },
        JSON.stringify({ v: 1, place: 'slack:T0001:C0001', context: 'old' }),
      ),
    );
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toEqual({
      response_action: 'errors',
      errors: { group: 'Choose one of your groups. This form is out of date.', date: 'Pick a date in 2026.' },
    });
    expect(await dumpStore(store)).toBe(before);
  });

  it('closes an accepted modal and answers in the channel it was opened from', async () => {
    const sent = await sendSigned(port, 'interactivity', submission({}));
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('');
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === 1);
    const answer = fake.callsOf('chat.postEphemeral')[0]?.params;
    expect(answer).toMatchObject({ channel: 'C0001', user: 'U0003' });
    // The fixture's time picker said 16:30: read from state.values, not from the initial value.
    expect(String(answer?.text)).toContain('Time: 16:30');
  });

  it('tells the person when the modal cannot be opened (429 on views.open)', async () => {
    fake.failNext('views.open', {
      status: 429,
      headers: { 'Retry-After': '30' },
      body: { ok: false, error: 'ratelimited' },
    });
    const body = slashBody(fake, { user_id: 'U0003', text: 'plan' });
    const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
    await sendSigned(port, 'slash-command', body);
    await fake.until(() => fake.hooks.some((h) => h.path === hook));
    expect(fake.hooks.filter((h) => h.path === hook).map((h) => h.body.text)).toEqual([FORM_FAILED]);
  });

  it('keeps a marker typed into modal fields out of the logs and the store', async () => {
    const sent = await sendSigned(
      port,
      'interactivity',
      submission({
        place: { type: 'plain_text_input', value: MARKER },
        group: { type: 'static_select', selected_option: { value: MARKER } },
      }),
    );
    expect(JSON.parse(sent.body).response_action).toBe('errors');
    expect(sent.body).not.toContain(MARKER);
    expect(logs.lines.some((l) => l.includes('"form.done"'))).toBe(true);
    expect(logs.lines.filter((l) => l.includes(MARKER))).toEqual([]);
    expect(await dumpStore(store)).not.toContain(MARKER);
  });

  it('acknowledges before the work is done, and a second submit of the same view does nothing', async () => {
    const before = slowRuns;
    const body = submission({}, undefined, { id: 'VSLOW1', callbackId: 'slow_form' });
    // The work is held until released: the ack comes back while it still waits.
    const first = await sendSigned(port, 'interactivity', body);
    expect(first).toEqual({ status: 200, body: '' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(slowRuns).toBe(before + 1);
    // A second submit is a new signed request (a second later), not the same one replayed.
    const again = await sendSigned(port, 'interactivity', body, { timestamp: Math.floor(Date.now() / 1000) + 1 });
    expect(again).toEqual({ status: 200, body: '' });
    expect(logs.lines.some((l) => l.includes('"slack.view-repeat"'))).toBe(true);
    const answers = fake.callsOf('chat.postEphemeral').length;
    releaseSlow();
    await fake.until(() => fake.callsOf('chat.postEphemeral').length === answers + 1);
    expect(slowRuns).toBe(before + 1);
    expect(String(fake.callsOf('chat.postEphemeral').at(-1)?.params.text)).toContain('Slow work done.');
  });

  it('answers in direct messages when the ephemeral cannot be posted where the modal was opened', async () => {
    fake.failNext('chat.postEphemeral', fake.fixtureError('user_not_in_channel'));
    const posted = fake.callsOf('chat.postMessage').length;
    const sent = await sendSigned(port, 'interactivity', submission({}));
    expect(sent).toEqual({ status: 200, body: '' });
    await fake.until(() => fake.callsOf('chat.postMessage').length === posted + 1);
    const dm = fake.callsOf('chat.postMessage').at(-1)?.params;
    const opened = fake.callsOf('conversations.open').at(-1)?.params;
    expect(opened).toMatchObject({ users: 'U0003' });
    expect(dm?.channel).not.toBe('C0001');
    expect(String(dm?.text)).toContain('Session planned.');
    expect(logs.lines.some((l) => l.includes('"slack.form-answer-direct"') && l.includes('user_not_in_channel'))).toBe(
      true,
    );
  });

  it('kept every payload (modals, answers) within Block Kit limits', () => {
    expect(allPayloadProblems(fake)).toEqual([]);
  });
});
