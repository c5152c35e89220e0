// Attendance on Slack end to end on loopback: the real server, signed requests, the fake Web
// API. A leader's `attendance take` brings the card by direct message; a press on it updates
// that message in place (chat.update), and a member's press is refused privately.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import type { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { runServer, type RunningServer } from '../../../src/app/run-server.js';
import { dumpStore, LogSink } from '../../support/harness.js';
import { FakeSlack, fixture, payloadBody, sendSigned, slackServerConfig, slashBody } from './fake-slack.js';

const fake = new FakeSlack({ directChannelPerUser: true });
const logs = new LogSink();
let server: RunningServer;
let port = 0;

async function command(user: string, text: string): Promise<string> {
  const body = slashBody(fake, { user_id: user, text, channel_id: 'C0001' });
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  return fake.answersAt(new URLSearchParams(body).get('response_url') as string);
}

async function press(user: string, actionId: string, value: string, channel: string, ts: string): Promise<string> {
  const body = fixture<
    Record<string, unknown> & { user: Record<string, unknown>; actions: Array<Record<string, unknown>> }
  >('block-actions-button.json');
  body.user = { ...body.user, id: user };
  body.actions = [{ ...body.actions[0], action_id: actionId, value }];
  body.channel = { id: channel };
  body.container = { type: 'message', channel_id: channel, message_ts: ts };
  body.response_url = fake.hookUrl(`actions/${randomBytes(4).toString('hex')}`);
  const hook = (body.response_url as string).replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
  expect((await sendSigned(port, 'interactivity', payloadBody(body))).status).toBe(200);
  return hook;
}

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
  port = server.port;
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

describe('attendance on Slack', () => {
  it('sends the card by direct message and updates it in place on a press', async () => {
    await command('U0001', 'group create PA Group A program PA tz America/New_York');
    await command('U0001', 'group add PA Group A <@U0002> as leader');
    await command('U0001', 'group add PA Group A <@U0003> <@U0004>');
    expect(await command('U0002', 'attendance take PA Group A')).toMatch(/in your direct messages/);
    await fake.until(() => fake.callsOf('chat.postMessage').some((c) => c.params.channel === 'DU0002'));
    const post = fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'DU0002');
    const blocks = JSON.stringify(post?.params.blocks);
    expect(blocks).toContain('<@U0003>');
    expect(blocks).toContain('attendance:toggle');
    const ts = (post?.answer as { ts: string }).ts;
    const toggles = (
      post?.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id === 'attendance:toggle');
    expect(toggles).toHaveLength(2);

    // A member's press: a private refusal, nothing changed.
    const before = await dumpStore(server.store as KeyvStore);
    const refusedHook = await press('U0003', 'attendance:toggle', toggles[0]?.value ?? '', 'DU0003', ts);
    await fake.until(() => fake.hooks.some((h) => h.path === refusedHook));
    expect(String(fake.hooks.find((h) => h.path === refusedHook)?.body.text)).toMatch(/facilitators/);
    expect(await dumpStore(server.store as KeyvStore)).toBe(before);

    // The leader's press: the same message, updated.
    await press('U0002', 'attendance:toggle', toggles[0]?.value ?? '', 'DU0002', ts);
    await fake.until(() => fake.callsOf('chat.update').length === 1);
    const update = fake.callsOf('chat.update')[0]?.params;
    expect(update).toMatchObject({ channel: 'DU0002', ts });
    expect(String(update?.text)).toContain('1 of 2 present');
  });
});
