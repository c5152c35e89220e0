// A deploy stops the bot with SIGTERM. Work Slack was already told about (acknowledged) must
// still be done before the store closes.
import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/adapters/platform/in-flight.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { runServer } from '../../../src/app/run-server.js';
import { FakeSlack, fixture, sendSigned, slackServerConfig, slashBody } from './fake-slack.js';

describe('InFlight', () => {
  it('waits for running work, and gives up after its grace period', async () => {
    const inFlight = new InFlight();
    let finished = false;
    void inFlight.run(async () => {
      await new Promise((r) => setTimeout(r, 30));
      finished = true;
    });
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(1_000)).toBe(0);
    expect(finished).toBe(true);
    void inFlight.run(() => new Promise(() => undefined));
    expect(await inFlight.drain(20)).toBe(1);
  });
});

describe('a clean stop', () => {
  it('answers a command acknowledged just before the stop', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const server = await runServer(slackServerConfig(fake, { logLevel: 'silent' }), silentLogger);
    const body = slashBody(fake, { user_id: 'U0001', text: 'group create Stop Group', channel_id: 'C0001' });
    const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
    const sent = await sendSigned(server.port, 'slash-command', body);
    expect(sent.status).toBe(200);
    await server.stop();
    expect(
      fake.hooks
        .filter((h) => h.path === hook)
        .map((h) => String(h.body.text))
        .join('\n'),
    ).toContain('Group created: Stop Group');
    await fake.stop();
  });

  it('publishes an App Home whose event was acknowledged just before the stop', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const server = await runServer(slackServerConfig(fake, { logLevel: 'silent' }), silentLogger);
    // Bolt answers the event at once; the Home is built and published after, slowly here.
    fake.delayNext('views.publish', 300);
    expect(
      (await sendSigned(server.port, 'events-api', JSON.stringify(fixture('event-app-home-opened.json')))).status,
    ).toBe(200);
    await server.stop();
    expect(fake.callsOf('views.publish').map((c) => c.params.user_id)).toEqual(['U0001']);
    await fake.stop();
  });
});
