// Signed Slack requests whose payload lacks a field the bot reads, or carries it with the wrong
// type: each is answered 400 with a `malformed_payload` log line, and nothing changes (no store
// write, no Web API call, no answer on a response_url). A forged copy of one is still a 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import type { KeyvStore } from '../../../src/adapters/store/keyv-store.js';
import { runServer, type RunningServer } from '../../../src/app/run-server.js';
import { CLAIMS } from '../../../src/core/plumbing/claim-once.js';
import { dumpStore, LogSink } from '../../support/harness.js';
import { FakeSlack, fixture, payloadBody, sendSigned, slackServerConfig, slashBody, type Kind } from './fake-slack.js';

const fake = new FakeSlack();
const logs = new LogSink();
let server: RunningServer;

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

/** How many signed requests the door has recorded as accepted (dumpStore leaves them out). */
async function claims(): Promise<number> {
  let count = 0;
  for await (const entry of server.store.entries(CLAIMS)) if (entry) count++;
  return count;
}

type Payload = Record<string, unknown>;
const press = (change: (p: Payload) => void): string => {
  const p = fixture<Payload>('block-actions-button.json');
  change(p);
  return payloadBody(p);
};
const submission = (change: (p: Payload) => void): string => {
  const p = fixture<Payload>('view-submission.json');
  change(p);
  return payloadBody(p);
};
const command = (change: (p: URLSearchParams) => void): string => {
  const form = new URLSearchParams(slashBody(fake, { text: 'group create Strict Group program PA' }));
  change(form);
  return form.toString();
};
const homeOpened = (change: (p: Payload) => void): string => {
  const p = fixture<Payload>('event-app-home-opened.json');
  change(p);
  return JSON.stringify(p);
};

const cases: Array<[string, Kind, string]> = [
  ['a command without user_id', 'slash-command', command((f) => f.delete('user_id'))],
  ['a command without team_id', 'slash-command', command((f) => f.delete('team_id'))],
  ['a command without channel_id', 'slash-command', command((f) => f.delete('channel_id'))],
  ['a press with user: null', 'interactivity', press((p) => (p.user = null))],
  ['a press whose user id is a number', 'interactivity', press((p) => (p.user = { id: 7, team_id: 'T0001' }))],
  ['a press whose actions are not an array', 'interactivity', press((p) => (p.actions = { action_id: 'x' }))],
  [
    'a press with neither team nor user.team_id',
    'interactivity',
    press((p) => {
      p.team = null;
      p.user = { id: 'U0002' };
    }),
  ],
  ['a view submission without a view', 'interactivity', submission((p) => delete p.view)],
  ['a view submission with user: null', 'interactivity', submission((p) => (p.user = null))],
  ['a view submission whose view is a string', 'interactivity', submission((p) => (p.view = 'V0001'))],
  ['a payload that is not an object', 'interactivity', payloadBody([1, 2])],
  ['an event without its event', 'events-api', homeOpened((p) => delete p.event)],
  ['an event without event_id', 'events-api', homeOpened((p) => delete p.event_id)],
  ['an event whose user is null', 'events-api', homeOpened((p) => ((p.event as Payload).user = null))],
];

describe('signed Slack payloads of the wrong shape', () => {
  it.each(cases)('answers %s with 400 and changes nothing', async (_name, kind, body) => {
    const before = await dumpStore(server.store as KeyvStore);
    const claimed = await claims();
    const calls = fake.calls.length;
    const hooks = fake.hooks.length;
    const lines = logs.lines.length;
    const sent = await sendSigned(server.port, kind, body);
    expect(sent.status).toBe(400);
    const logged = logs.lines.slice(lines).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.event === 'slack.request-refused')?.code).toBe('malformed_payload');
    expect(logged.filter((l) => (l.level as number) >= 50)).toEqual([]);
    // Give any work Bolt might have started time to show itself.
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls.length).toBe(calls);
    expect(fake.hooks.length).toBe(hooks);
    expect(await dumpStore(server.store as KeyvStore)).toBe(before);
    // Refused, so not consumed: the same request well-formed would still be taken.
    expect(await claims()).toBe(claimed);
  });

  it('answers a forged copy of a malformed payload 401, not 400', async () => {
    const sent = await sendSigned(
      server.port,
      'interactivity',
      press((p) => (p.user = null)),
      { secret: 'wrong' },
    );
    expect(sent.status).toBe(401);
  });

  it('still runs a well-formed command after all of them', async () => {
    const body = slashBody(fake, { text: 'help' });
    const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
    expect((await sendSigned(server.port, 'slash-command', body)).status).toBe(200);
    await fake.until(() => fake.hooks.some((h) => h.path === hook));
    expect(await claims()).toBe(1);
  });
});
