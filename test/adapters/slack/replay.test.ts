// A signed Slack request acted on once, however often it arrives: sent twice to one server, or
// to three bot instances over one real Redis (and one real PostgreSQL), `/balint schedule`
// creates one session, and every repeat is answered 200 with nothing done and a
// `slack.replay-ignored` line. A forged request (the genuine signature headers over other
// bytes, or the genuine bytes under a wrong signature) is refused and consumes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../../src/adapters/log/pino-logger.js';
import { runServer, type RunningServer } from '../../../src/app/run-server.js';
import { LogSink } from '../../support/harness.js';
import { describeOnServices, dropPrefix, runPrefix, urlOf } from '../../support/services.js';
import { FakeSlack, sendSigned, sign, SIGNING_SECRET, slackServerConfig, slashBody } from './fake-slack.js';

const GROUP = 'Replay Group';
const fake = new FakeSlack();

beforeAll(() => fake.start());
afterAll(() => fake.stop());

const hookOf = (body: string) =>
  new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
const answersAt = (hook: string | undefined) => fake.hooks.filter((h) => h.path === hook);
const events = (logs: LogSink, event: string) => logs.lines.filter((l) => l.includes(`"event":"${event}"`));

async function sessions(server: RunningServer): Promise<number> {
  let count = 0;
  for await (const entry of server.store.entries('sessions')) if (entry) count++;
  return count;
}

/** A coordinator's command, signed now; answered on its response_url. */
async function run(port: number, text: string): Promise<void> {
  const body = slashBody(fake, { user_id: 'U0001', text });
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  await fake.until(() => answersAt(hookOf(body)).length > 0);
}

const scheduleBody = () => slashBody(fake, { user_id: 'U0001', text: `schedule ${GROUP} 2031-03-04 16:00` });

describe('one server', () => {
  const logs = new LogSink();
  let server: RunningServer;

  beforeAll(async () => {
    server = await runServer(slackServerConfig(fake), createPinoLogger('debug', logs));
    await run(server.port, `group create ${GROUP} program PA tz UTC`);
  });
  afterAll(() => server.stop());

  it('creates one session from a signed schedule command delivered twice, and answers the repeat empty', async () => {
    const body = scheduleBody();
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await sendSigned(server.port, 'slash-command', body, { timestamp });
    const again = await sendSigned(server.port, 'slash-command', body, { timestamp });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toBe('');
    await fake.until(() => answersAt(hookOf(body)).length > 0);
    // Anything the repeat had started would show by now: the first answer took longer.
    await new Promise((r) => setTimeout(r, 150));
    expect(await sessions(server)).toBe(1);
    expect(answersAt(hookOf(body))).toHaveLength(1);
    const ignored = events(logs, 'slack.replay-ignored');
    expect(ignored).toHaveLength(1);
    expect(JSON.parse(ignored[0] as string)).toEqual({
      level: 30,
      time: expect.any(String),
      event: 'slack.replay-ignored',
      platform: 'slack',
      action: 'command',
    });
  });

  it('lets a forged copy consume nothing: the genuine request sent after it still runs', async () => {
    const before = await sessions(server);
    const body = scheduleBody().replace('2031-03-04', '2031-03-11');
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = sign(SIGNING_SECRET, timestamp, body);
    // The genuine headers over other bytes (a week later), and the genuine bytes under a wrong key.
    const otherBytes = body.replace('2031-03-11', '2031-03-18');
    expect((await sendSigned(server.port, 'slash-command', otherBytes, { timestamp, signature })).status).toBe(401);
    expect((await sendSigned(server.port, 'slash-command', body, { timestamp, secret: 'not-the-secret' })).status).toBe(
      401,
    );
    const genuine = await sendSigned(server.port, 'slash-command', body, { timestamp, signature });
    expect(genuine.status).toBe(200);
    await fake.until(() => answersAt(hookOf(body)).length > 0);
    expect(await sessions(server)).toBe(before + 1);
    expect(events(logs, 'slack.replay-ignored')).toHaveLength(1);
  });

  it('takes two different requests signed in the same second as two', async () => {
    const before = await sessions(server);
    const timestamp = Math.floor(Date.now() / 1000);
    const a = scheduleBody().replace('2031-03-04', '2031-04-01');
    const b = scheduleBody().replace('2031-03-04', '2031-04-08');
    await Promise.all([a, b].map((body) => sendSigned(server.port, 'slash-command', body, { timestamp })));
    await fake.until(() => answersAt(hookOf(a)).length > 0 && answersAt(hookOf(b)).length > 0);
    expect(await sessions(server)).toBe(before + 2);
  });
});

await describeOnServices('three instances over one %s store', (kind) => {
  const prefix = runPrefix();
  const logs = [new LogSink(), new LogSink(), new LogSink()];
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    for (const sink of logs)
      servers.push(
        await runServer(
          slackServerConfig(fake, { storeUrl: urlOf(kind), storePrefix: prefix }),
          createPinoLogger('debug', sink),
        ),
      );
    await run((servers[0] as RunningServer).port, `group create ${GROUP} program PA tz UTC`);
  }, 30_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await dropPrefix(kind, prefix);
  }, 30_000);

  it('creates exactly one session when the same signed request reaches all three at once', async () => {
    const body = scheduleBody();
    const timestamp = Math.floor(Date.now() / 1000);
    const sent = await Promise.all(servers.map((s) => sendSigned(s.port, 'slash-command', body, { timestamp })));
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
    await fake.until(() => answersAt(hookOf(body)).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sessions(servers[0] as RunningServer)).toBe(1);
    expect(answersAt(hookOf(body))).toHaveLength(1);
    expect(logs.flatMap((sink) => events(sink, 'slack.replay-ignored'))).toHaveLength(2);
    // And sent again later to any of them, still nothing.
    expect((await sendSigned((servers[2] as RunningServer).port, 'slash-command', body, { timestamp })).body).toBe('');
    expect(logs.flatMap((sink) => events(sink, 'slack.replay-ignored'))).toHaveLength(3);
    expect(await sessions(servers[1] as RunningServer)).toBe(1);
  });
});
