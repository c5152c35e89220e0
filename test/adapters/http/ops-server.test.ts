// The operations routes on the real server (runServer in Slack mode, against the fake Slack on
// loopback): ready once the token was accepted and the jobs loaded, and metrics that count a
// real command and its answer without naming the person or the group.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, type RunningServer } from '../../../src/app/run-server.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { FakeSlack, sendSigned, slackServerConfig, slashBody } from '../slack/fake-slack.js';

const fake = new FakeSlack();
let server: RunningServer;
const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

beforeAll(async () => {
  await fake.start();
  server = await runServer(slackServerConfig(fake), silentLogger);
});

afterAll(async () => {
  await server?.stop();
  await fake.stop();
});

describe("the server's health, readiness and metrics", () => {
  it('is up and ready: store answering, Slack token accepted, jobs loaded', async () => {
    expect(fake.callsOf('auth.test')).toHaveLength(1);
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { jobs: 'ok', 'platform.slack': 'ok', store: 'ok' } });
  });

  it('turns not ready with a reason code when a platform reports its credentials refused', async () => {
    server.readiness.report('platform.slack', 'invalid_auth');
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, reason: 'platform.slack:invalid_auth' });
    server.readiness.report('platform.slack', undefined);
    expect((await get('/readyz')).status).toBe(200);
  });

  it('counts a command, its duration and the post it made, with no person or group name in a label', async () => {
    const group = `Cohort ${randomBytes(4).toString('hex')}`;
    const created = slashBody(fake, { user_id: 'U0001', text: `group create ${group}`, channel_id: 'C0001' });
    expect((await sendSigned(server.port, 'slash-command', created)).status).toBe(200);
    const start = slashBody(fake, { user_id: 'U0001', text: `start ${group}`, channel_id: 'C0001' });
    expect((await sendSigned(server.port, 'slash-command', start)).status).toBe(200);
    await fake.until(() => fake.callsOf('chat.postMessage').length >= 2);

    // The command is logged when its answer is out, a moment after the acknowledgement.
    let body = '';
    for (let tries = 0; tries < 100 && !body.includes('name="start",outcome="ok"} 1'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      body = await (await get('/metrics')).text();
    }
    expect(body).toContain('balint_command_duration_seconds_count{kind="command",name="group.create",outcome="ok"} 1');
    expect(body).toMatch(/balint_deliveries_total\{platform="slack",operation="post",outcome="ok"\} [2-9]/);
    expect(body).toContain('balint_timers_running 1');
    expect(body).toContain('balint_jobs_pending{kind="timer.tick"} 1');
    expect(body).toContain('balint_process_resident_memory_bytes');
    for (const secret of [group, 'U0001', 'T0001', 'C0001']) expect(body).not.toContain(secret);
  });
});
