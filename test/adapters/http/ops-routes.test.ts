// GET /healthz, /readyz and /metrics over real HTTP on loopback: the readiness checks and their
// reason codes, and metrics fed by log events and sends, whose labels never carry a person, a
// group name or typed text.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { opsRoutes } from '../../../src/adapters/http/ops-routes.js';
import { Readiness } from '../../../src/adapters/http/readiness.js';
import { createHttpServer, listen } from '../../../src/adapters/http/server.js';
import { countingChat } from '../../../src/adapters/metrics/counting-chat.js';
import { countingLogger } from '../../../src/adapters/metrics/counting-logger.js';
import { Metrics } from '../../../src/adapters/metrics/metrics.js';
import { card, text } from '../../../src/core/cards.js';
import { silentLogger } from '../../../src/core/plumbing/logger.js';
import { NotSupported, type ChatPort } from '../../../src/core/ports.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(readiness: Readiness, metrics: Metrics): Promise<(path: string) => Promise<Response>> {
  server = createHttpServer(opsRoutes(readiness, metrics), silentLogger);
  const port = await listen(server, 0, '127.0.0.1');
  return (path) => fetch(`http://127.0.0.1:${port}${path}`);
}

const quietMetrics = () => new Metrics({ processMetrics: false });

describe('GET /healthz and /readyz', () => {
  it('says the process is up while readiness still waits for a check', async () => {
    const readiness = new Readiness();
    readiness.expect('jobs');
    const get = await serve(readiness, quietMetrics());
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, checks: { jobs: 'not_reported' }, reason: 'jobs:not_reported' });
  });

  it('is ready once every check reported success, and 503 with the reason when one reports a problem', async () => {
    const readiness = new Readiness();
    readiness.expect('jobs');
    readiness.expect('platform.slack');
    readiness.report('jobs', undefined);
    readiness.report('platform.slack', undefined);
    const get = await serve(readiness, quietMetrics());
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { jobs: 'ok', 'platform.slack': 'ok' } });

    readiness.report('platform.slack', 'invalid_auth');
    const refused = await get('/readyz');
    expect(refused.status).toBe(503);
    expect((await refused.json()) as unknown).toMatchObject({ reason: 'platform.slack:invalid_auth' });
  });

  it('never publishes a problem that is not a code', async () => {
    const readiness = new Readiness();
    readiness.report('platform.teams', 'the token for Dr Smith was refused');
    const body = await (await (await serve(readiness, quietMetrics()))('/readyz')).text();
    expect(JSON.parse(body)).toMatchObject({ reason: 'platform.teams:failed' });
    expect(body).not.toContain('Smith');
  });

  it('asks the store on every request: unreachable, slow, then answering again', async () => {
    const readiness = new Readiness(100);
    let store: 'down' | 'slow' | 'up' = 'down';
    readiness.probe('store', async () => {
      if (store === 'down') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (store === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_000));
    });
    const get = await serve(readiness, quietMetrics());
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ checks: { store: 'unreachable' }, reason: 'store:unreachable' });
    store = 'slow';
    expect(await (await get('/readyz')).json()).toMatchObject({ reason: 'store:timeout' });
    store = 'up';
    const up = await get('/readyz');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ready: true, checks: { store: 'ok' } });
  });
});

describe('GET /metrics', () => {
  it('counts job outcomes and command durations from the log events, and passes each line on', async () => {
    const metrics = quietMetrics();
    const passed: string[] = [];
    const inner = { ...silentLogger, debug: (e: string) => passed.push(e), warn: (e: string) => passed.push(e) };
    const logger = countingLogger({ ...inner, info: (e: string) => passed.push(e) }, metrics);
    logger.debug('job.done', { job: 'job_1', jobKind: 'timer.tick', attempt: 1, durationMs: 4 });
    logger.debug('job.done', { job: 'job_2', jobKind: 'timer.tick', attempt: 1, durationMs: 3 });
    logger.warn('job.failed', { job: 'job_3', jobKind: 'schedule.reminder', code: 'channel_not_found', attempt: 5 });
    logger.info('command.done', { actor: 'slack:T1:U1', command: 'group.create', outcome: 'ok', durationMs: 30 });
    logger.info('action.done', { actor: 'slack:T1:U1', action: 'timer.next', outcome: 'refused', durationMs: 2 });
    expect(passed).toEqual(['job.done', 'job.done', 'job.failed', 'command.done', 'action.done']);

    const response = await (await serve(new Readiness(), metrics))('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toContain('balint_job_outcomes_total{kind="timer.tick",outcome="done",code="none"} 2');
    expect(body).toContain(
      'balint_job_outcomes_total{kind="schedule.reminder",outcome="failed",code="channel_not_found"} 1',
    );
    expect(body).toContain('balint_command_duration_seconds_count{kind="command",name="group.create",outcome="ok"} 1');
    expect(body).toContain(
      'balint_command_duration_seconds_bucket{le="0.05",kind="command",name="group.create",outcome="ok"} 1',
    );
    expect(body).toContain(
      'balint_command_duration_seconds_count{kind="button",name="timer.next",outcome="refused"} 1',
    );
    expect(body).not.toContain('U1');
  });

  it('counts deliveries by platform, operation and outcome, with no id in a label', async () => {
    const metrics = quietMetrics();
    const fails = new Set(['teams:conv-2']);
    const platformChat: ChatPort = {
      post: async (place) => {
        if (fails.has(place)) throw Object.assign(new Error('gone'), { code: 'ConversationNotFound' });
        return { place, id: 'm1' };
      },
      update: async () => undefined,
      ephemeral: async () => {
        throw new NotSupported('ephemeral');
      },
      direct: async (user) => ({ place: user, id: 'm2' }),
    };
    const chat = countingChat(platformChat, metrics);
    const hello = card(text('hello'));
    await chat.post('slack:T1:C1', hello);
    await chat.update({ place: 'slack:T1:C1', id: 'm1' }, hello);
    await expect(chat.post('teams:conv-2', hello)).rejects.toThrow('gone');
    await expect(chat.ephemeral('teams:conv-1', 'teams:user-1', hello)).rejects.toBeInstanceOf(NotSupported);
    await chat.direct('teams:user-1', hello);
    expect(chat.userByEmail).toBeUndefined();

    const body = await (await (await serve(new Readiness(), metrics))('/metrics')).text();
    expect(body).toContain('balint_deliveries_total{platform="slack",operation="post",outcome="ok"} 1');
    expect(body).toContain('balint_deliveries_total{platform="slack",operation="update",outcome="ok"} 1');
    expect(body).toContain('balint_deliveries_total{platform="teams",operation="post",outcome="failed"} 1');
    expect(body).toContain('balint_deliveries_total{platform="teams",operation="ephemeral",outcome="not_supported"} 1');
    expect(body).toContain('balint_deliveries_total{platform="teams",operation="direct",outcome="ok"} 1');
    for (const id of ['T1', 'C1', 'conv-', 'user-1', 'hello']) expect(body).not.toContain(id);
  });

  it('reads jobs pending by kind and the running timers from the store at each scrape', async () => {
    const metrics = quietMetrics();
    let kinds = ['timer.tick', 'timer.tick', 'schedule.reminder'];
    let scans = 0;
    metrics.readPendingFrom(async () => (scans++, kinds), 'timer.tick');
    const get = await serve(new Readiness(), metrics);
    const first = await (await get('/metrics')).text();
    expect(first).toContain('balint_jobs_pending{kind="timer.tick"} 2');
    expect(first).toContain('balint_jobs_pending{kind="schedule.reminder"} 1');
    expect(first).toContain('balint_timers_running 2');
    expect(scans).toBe(1); // both gauges of one scrape share one scan of the store
    kinds = ['schedule.reminder'];
    const second = await (await get('/metrics')).text();
    expect(second).not.toContain('balint_jobs_pending{kind="timer.tick"}');
    expect(second).toContain('balint_timers_running 0');
    expect(scans).toBe(2);
  });

  it('folds a label value that is not a code constant into "other", and caps how many values a label takes', async () => {
    const metrics = quietMetrics();
    const marker = `cnry${randomBytes(6).toString('hex')}`;
    const logger = countingLogger(silentLogger, metrics);
    // A cast could smuggle anything into a field: a group name, a person, typed text.
    const smuggled = { command: `group show PA Cohort A ${marker}`, outcome: 'ok', durationMs: 1 } as never;
    logger.info('command.done', smuggled);
    logger.debug('job.done', { jobKind: `Dr ${marker}`, durationMs: 1 } as never);
    for (let i = 0; i < 150; i++) logger.info('command.done', { command: `verb${i}`, outcome: 'ok', durationMs: 1 });
    const body = await (await (await serve(new Readiness(), metrics))('/metrics')).text();
    expect(body).not.toContain(marker);
    expect(body).toContain('balint_command_duration_seconds_count{kind="command",name="other",outcome="ok"} 51');
    expect(body).toContain('balint_job_outcomes_total{kind="other",outcome="done",code="none"} 1');
    expect(body).not.toContain('verb120');
  });

  it('includes the process figures (resident memory) unless told not to', async () => {
    const body = await (await (await serve(new Readiness(), new Metrics()))('/metrics')).text();
    expect(body).toContain('balint_process_resident_memory_bytes');
  });
});
