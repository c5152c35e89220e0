// Answers in place, end to end on the real route: an RSVP pressed on a private card (a direct
// message with the bot) turns that card into the answer, with a button to change it; a press
// on the App Home republishes the Home showing the answer, and sends no message. Every payload
// the bot sent stays within Block Kit's limits.
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
let sessionId = '';

const path = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');

async function command(user: string, text: string): Promise<string> {
  const body = slashBody(fake, { user_id: user, text });
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  return fake.answersAt(new URLSearchParams(body).get('response_url') as string);
}

type Press = Record<string, unknown> & { user: Record<string, unknown>; actions: Array<Record<string, unknown>> };

function press(user: string, answer: 'yes' | 'no', where: Partial<Press>): { body: string; hook: string } {
  const body = fixture<Press>('block-actions-button.json');
  body.user = { ...body.user, id: user };
  body.actions = [{ ...body.actions[0], action_id: `rsvp:${answer}`, value: `${answer}:${sessionId}` }];
  body.response_url = fake.hookUrl(`actions/${randomBytes(4).toString('hex')}`);
  Object.assign(body, where);
  return { body: payloadBody(body), hook: path(body.response_url as string) };
}

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
  port = server.port;
  expect(await command('U0001', 'group create PA Group A program PA tz America/New_York preset 60')).toContain(
    'Group created',
  );
  await command('U0001', 'group add PA Group A <@U0003|user.three> as member');
  const year = new Date().getUTCFullYear() + 1;
  expect(await command('U0001', `schedule PA Group A ${year}-03-04 4pm`)).toContain('PA Group A');
  sessionId = /ses_[0-9a-f]{12}/.exec(await dumpStore(server.store as KeyvStore))?.[0] ?? '';
  expect(sessionId).not.toBe('');
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

describe('answers in place', () => {
  it('turns the pressed reminder in a direct message into the answer, with a button to change it', async () => {
    const dm = { channel: { id: 'D0003' }, container: { type: 'message', channel_id: 'D0003', is_ephemeral: false } };
    const going = press('U0003', 'yes', dm);
    expect((await sendSigned(port, 'interactivity', going.body)).status).toBe(200);
    await fake.until(() => fake.hooks.some((h) => h.path === going.hook));
    const answer = fake.hooks.find((h) => h.path === going.hook)?.body as Record<string, unknown>;
    expect(answer.replace_original).toBe(true);
    expect(String(answer.text)).toMatch(/^Thanks, you're down as going/);
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain(`"value":"no:${sessionId}"`);
    expect(blocks).toContain("Change to: Can't make it");
    expect(blocks).not.toContain(`"value":"yes:${sessionId}"`);

    // And back: the changed card offers Going again.
    const notGoing = press('U0003', 'no', dm);
    await sendSigned(port, 'interactivity', notGoing.body);
    await fake.until(() => fake.hooks.some((h) => h.path === notGoing.hook));
    const changed = fake.hooks.find((h) => h.path === notGoing.hook)?.body as Record<string, unknown>;
    expect(changed.replace_original).toBe(true);
    expect(JSON.stringify(changed.blocks)).toContain(`"value":"yes:${sessionId}"`);
    expect(await dumpStore(server.store as KeyvStore)).toContain('"slack:T0001:U0003":"no"');
  });

  it('never replaces a card in a channel: everyone would see it change', async () => {
    const inChannel = press('U0003', 'yes', {});
    await sendSigned(port, 'interactivity', inChannel.body);
    await fake.until(() => fake.hooks.some((h) => h.path === inChannel.hook));
    const answer = fake.hooks.find((h) => h.path === inChannel.hook)?.body as Record<string, unknown>;
    expect(answer.replace_original).toBe(false);
    expect(answer.response_type).toBe('ephemeral');
  });

  it('republishes the Home after a press on it, showing the answer, and sends no message', async () => {
    const published = fake.callsOf('views.publish').length;
    const posted = fake.callsOf('chat.postMessage').length + fake.callsOf('chat.postEphemeral').length;
    // As Slack sends a press on the Home: a view container, no channel and no response_url.
    const onHome = press('U0003', 'no', {
      container: { type: 'view', view_id: 'VHOME1' },
      view: { id: 'VHOME1', type: 'home', callback_id: 'home', private_metadata: '', state: { values: {} } },
    });
    const body = JSON.parse(decodeURIComponent(onHome.body.slice('payload='.length))) as Record<string, unknown>;
    delete body.response_url;
    delete body.channel;
    expect((await sendSigned(port, 'interactivity', payloadBody(body))).status).toBe(200);
    await fake.until(() => fake.callsOf('views.publish').length === published + 1);
    const view = fake.callsOf('views.publish').at(-1)?.params as { user_id: string; view: unknown };
    expect(view.user_id).toBe('U0003');
    expect(JSON.stringify(view.view)).toContain("Can't make it");
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsOf('chat.postMessage').length + fake.callsOf('chat.postEphemeral').length).toBe(posted);
  });

  it("republishes an opened Home when the group's sessions change, once for a burst of changes", async () => {
    const event = fixture<Record<string, unknown>>('event-app-home-opened.json');
    const opened = { ...event, event_id: 'EvHOME3', event: { ...(event.event as object), user: 'U0003' } };
    const before = fake.callsOf('views.publish').length;
    expect((await sendSigned(port, 'events-api', JSON.stringify(opened))).status).toBe(200);
    await fake.until(() => fake.callsOf('views.publish').length === before + 1);
    const year = new Date().getUTCFullYear() + 1;
    // Two changes in quick succession by the coordinator (who has no Home open).
    await command('U0001', `schedule PA Group A ${year}-04-01 4pm`);
    await command('U0001', `schedule PA Group A ${year}-04-08 4pm`);
    await fake.until(() => fake.callsOf('views.publish').length === before + 2, 5_000);
    const republished = fake.callsOf('views.publish').at(-1)?.params as { user_id: string };
    expect(republished.user_id).toBe('U0003');
    await new Promise((r) => setTimeout(r, 1_300));
    expect(fake.callsOf('views.publish').filter((c) => c.params.user_id === 'U0003').length).toBeGreaterThan(0);
    expect(fake.callsOf('views.publish').length).toBe(before + 2);
  });

  it('republishes the Home of someone who has it open after their own press elsewhere', async () => {
    const before = fake.callsOf('views.publish').length;
    const dm = { channel: { id: 'D0003' }, container: { type: 'message', channel_id: 'D0003', is_ephemeral: false } };
    const going = press('U0003', 'yes', dm);
    await sendSigned(port, 'interactivity', going.body);
    await fake.until(() => fake.callsOf('views.publish').length === before + 1, 5_000);
    expect(fake.callsOf('views.publish').at(-1)?.params.user_id).toBe('U0003');
    // The answer was "Can't make it" (pressed on the Home above); the Home now says Going.
    expect(JSON.stringify(fake.callsOf('views.publish').at(-1)?.params.view)).toContain('*Your answer*\\nGoing');
  });

  it('turns link previews off on a message carrying a meeting link, and only there', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const body = slashBody(fake, {
      user_id: 'U0001',
      text: `schedule PA Group A ${year}-05-06 4pm link https://meet.example.org/abc`,
    });
    const hook = path(new URLSearchParams(body).get('response_url') as string);
    await sendSigned(port, 'slash-command', body);
    await fake.until(() => fake.hooks.some((h) => h.path === hook));
    const answer = fake.hooks.find((h) => h.path === hook)?.body as Record<string, unknown>;
    expect(JSON.stringify(answer.blocks)).toContain('https://meet.example.org/abc');
    expect(answer).toMatchObject({ unfurl_links: false, unfurl_media: false });
    const help = slashBody(fake, { user_id: 'U0001', text: 'help' });
    const helpHook = path(new URLSearchParams(help).get('response_url') as string);
    await sendSigned(port, 'slash-command', help);
    await fake.until(() => fake.hooks.some((h) => h.path === helpHook));
    expect(fake.hooks.find((h) => h.path === helpHook)?.body).not.toHaveProperty('unfurl_links');
  });

  it('kept every payload within Block Kit limits', () => {
    expect(allPayloadProblems(fake)).toEqual([]);
  });
});

describe('request size', () => {
  it('refuses a body over 64 KB with 413 before any work, with the code in the log', async () => {
    const before = await dumpStore(server.store as KeyvStore);
    const big = slashBody(fake, { user_id: 'U0001', text: `help ${'x'.repeat(70_000)}` });
    const calls = fake.calls.length;
    expect((await sendSigned(port, 'slash-command', big)).status).toBe(413);
    expect(logs.lines.some((l) => l.includes('"slack.request-refused"') && l.includes('"code":"body_too_large"'))).toBe(
      true,
    );
    // Just under the limit is read and answered as usual.
    const fits = slashBody(fake, { user_id: 'U0001', text: `help ${'x'.repeat(60_000)}` });
    expect((await sendSigned(port, 'slash-command', fits)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.slice(calls).every((c) => c.method !== 'views.open')).toBe(true);
    expect(await dumpStore(server.store as KeyvStore)).toBe(before);
  });
});

describe('malformed requests', () => {
  it('answers a signed body that is not a payload with 400, and the log line carries its code only', async () => {
    const before = await dumpStore(server.store as KeyvStore);
    const body = `payload=${encodeURIComponent('{not json cnry-malformed')}`;
    expect((await sendSigned(port, 'interactivity', body)).status).toBe(400);
    const line = logs.lines.find((l) => l.includes('"code":"malformed_body"'));
    expect(line).toBeDefined();
    expect(logs.lines.filter((l) => l.includes('cnry-malformed'))).toEqual([]);
    expect(await dumpStore(server.store as KeyvStore)).toBe(before);
  });
});

// Last: it stops the workspace for the rest of the file.
describe('uninstalling', () => {
  it('stops every send to a workspace that uninstalled the app, not retried, and records it', async () => {
    const base = fixture<Record<string, unknown>>('event-app-home-opened.json');
    const revoked = { ...base, event_id: 'EvREVOKE', event: { type: 'tokens_revoked', tokens: { oauth: ['U0001'] } } };
    expect((await sendSigned(port, 'events-api', JSON.stringify(revoked))).status).toBe(200);
    // Only a user token was revoked: the bot still works.
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.lines.some((l) => l.includes('"slack.workspace-stopped"'))).toBe(false);

    const uninstalled = { ...base, event_id: 'EvUNINSTALL', event: { type: 'app_uninstalled' } };
    expect((await sendSigned(port, 'events-api', JSON.stringify(uninstalled))).status).toBe(200);
    await fake.until(() => logs.lines.some((l) => l.includes('"slack.workspace-stopped"')));
    expect(logs.lines.find((l) => l.includes('"slack.workspace-stopped"'))).toContain('"code":"app_uninstalled"');
    const webApiCalls = fake.calls.length;
    // A timer start would post in the channel: nothing reaches the Web API now.
    await command('U0001', 'start PA Group A');
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.slice(webApiCalls).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(logs.lines.some((l) => l.includes('"code":"workspace_uninstalled"'))).toBe(true);
  });
});
