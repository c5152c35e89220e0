// The App Home on the real route: a coordinator with many groups gets a picker and, once a
// group is picked, its detail on the Home (the Home is the answer: no message); and Homes stay
// current for everyone they concern, not only whoever made the change: a cancelled session,
// someone added to a group, a timer starting and moving on. Every view within Block Kit limits.
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
const COORDINATOR = 'U0001';
const LEADER = 'U0002';
const STUDENT = 'U0003';
const NEWCOMER = 'U0004';

async function command(user: string, text: string, channel = 'C0001'): Promise<string> {
  const body = slashBody(fake, { user_id: user, text, channel_id: channel });
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  return fake.answersAt(new URLSearchParams(body).get('response_url') as string);
}

async function send(user: string, text: string, channel: string): Promise<void> {
  const body = slashBody(fake, { user_id: user, text, channel_id: channel });
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
}

const publishesFor = (user: string) => fake.callsOf('views.publish').filter((c) => c.params.user_id === user);
const lastHome = (user: string) => JSON.stringify(publishesFor(user).at(-1)?.params.view ?? {});

async function openHome(user: string): Promise<void> {
  const before = publishesFor(user).length;
  const event = fixture<Record<string, unknown>>('event-app-home-opened.json');
  const opened = {
    ...event,
    event_id: `Ev${randomBytes(4).toString('hex')}`,
    event: { ...(event.event as object), user },
  };
  expect((await sendSigned(port, 'events-api', JSON.stringify(opened))).status).toBe(200);
  await fake.until(() => publishesFor(user).length === before + 1);
}

/** Waits until `user`'s Home has been published again and shows `text`. */
async function republished(user: string, before: number, text: string): Promise<void> {
  await fake.until(() => publishesFor(user).length > before && lastHome(user).includes(text), 5_000);
}

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
  port = server.port;
  for (let i = 0; i < 12; i++) await command(COORDINATOR, `group create Cohort ${String(i).padStart(2, '0')} tz UTC`);
  await command(COORDINATOR, `group add Cohort 05 <@${LEADER}|lee> as leader`);
  await command(COORDINATOR, `group add Cohort 05 <@${STUDENT}|ann> as member`);
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

describe('the coordinator Home with many groups', () => {
  it('has a group picker instead of a list, and shows the group picked on the Home itself', async () => {
    await openHome(COORDINATOR);
    const view = publishesFor(COORDINATOR).at(-1)?.params.view as { blocks: Array<Record<string, unknown>> };
    const picker = view.blocks.find((b) => (b.accessory as { type?: string } | undefined)?.type === 'static_select');
    const options = (picker?.accessory as { options: Array<{ value: string }> }).options;
    expect(options).toHaveLength(13);
    expect(lastHome(COORDINATOR)).not.toContain('No session planned');

    const cohort05 = options.find((o) => JSON.stringify(o).includes('"Cohort 05"'))?.value as string;
    expect(cohort05).toMatch(/^grp_/);
    const posted = fake.callsOf('chat.postMessage').length + fake.callsOf('chat.postEphemeral').length;
    const before = publishesFor(COORDINATOR).length;
    const body = fixture<Record<string, unknown>>('block-actions-button.json');
    const pick: Record<string, unknown> = {
      ...body,
      user: { ...(body.user as object), id: COORDINATOR },
      container: { type: 'view', view_id: 'VHOME9' },
      view: { id: 'VHOME9', type: 'home', callback_id: 'home', private_metadata: '', state: { values: {} } },
      actions: [
        {
          type: 'static_select',
          action_id: 'home:group',
          block_id: 'home:5:select:3',
          selected_option: { text: { type: 'plain_text', text: 'Cohort 05' }, value: cohort05 },
        },
      ],
    };
    delete pick.response_url;
    delete pick.channel;
    expect((await sendSigned(port, 'interactivity', payloadBody(pick))).status).toBe(200);
    await republished(COORDINATOR, before, '"text":"Cohort 05","emoji":true}}');
    const home = lastHome(COORDINATOR);
    expect(home).toContain('"initial_option"');
    expect(home).toContain(`<@${LEADER}>`);
    expect(home).toContain('*Members*\\n1');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsOf('chat.postMessage').length + fake.callsOf('chat.postEphemeral').length).toBe(posted);
  });
});

describe('Homes kept current for everyone they concern', () => {
  let sessionId = '';

  it('republishes a member’s Home when a coordinator schedules and cancels their session', async () => {
    await openHome(STUDENT);
    let before = publishesFor(STUDENT).length;
    const year = new Date().getUTCFullYear() + 1;
    await command(COORDINATOR, `schedule Cohort 05 ${year}-03-04 4pm`);
    await republished(STUDENT, before, 'rsvp:yes');
    sessionId = /ses_[0-9a-f]{12}/.exec(await dumpStore(server.store as KeyvStore))?.[0] ?? '';
    before = publishesFor(STUDENT).length;
    expect(await command(COORDINATOR, `cancel ${sessionId}`)).toMatch(/ancel/);
    await republished(STUDENT, before, 'Nothing is scheduled yet.');
  });

  it('republishes the Home of someone added to a group, showing the group', async () => {
    await openHome(NEWCOMER);
    expect(lastHome(NEWCOMER)).toContain('not in a Balint group yet');
    const before = publishesFor(NEWCOMER).length;
    await command(COORDINATOR, `group add Cohort 07 <@${NEWCOMER}|nia> as member`);
    await republished(NEWCOMER, before, 'Cohort 07');
    expect(lastHome(NEWCOMER)).toContain('Member · No program set');
  });

  it('republishes the facilitators’ and coordinators’ Homes when a timer starts and moves on, not the students’', async () => {
    await openHome(LEADER);
    const leader = publishesFor(LEADER).length;
    const coordinator = publishesFor(COORDINATOR).length;
    const student = publishesFor(STUDENT).length;
    // The timer answers in the channel (its card), not privately.
    await send(LEADER, 'start Cohort 05', 'C0005');
    await republished(LEADER, leader, 'Running now');
    await republished(COORDINATOR, coordinator, 'Cohort 05');
    const phase = lastHome(LEADER);
    const afterStart = publishesFor(LEADER).length;
    await send(LEADER, 'next', 'C0005');
    await fake.until(() => publishesFor(LEADER).length > afterStart && lastHome(LEADER) !== phase, 5_000);
    expect(lastHome(LEADER)).toContain('Running now');
    await new Promise((r) => setTimeout(r, 1_200));
    // The student's Home shows no timer: nothing to republish for them.
    expect(publishesFor(STUDENT).length).toBe(student);
  });

  it('kept every Home and message within Block Kit limits', () => {
    expect(allPayloadProblems(fake)).toEqual([]);
  });
});
