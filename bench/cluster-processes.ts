// Real bot processes (`node --import tsx src/main.ts`, Slack mode) over one Redis, behind one
// fake Slack Web API: signed slash commands and RSVP presses per second, and their ack latency,
// with 1 and 3 instances driven by the same client; then the lease's takeover time when its
// holder is killed with SIGKILL, read from the processes' own `lease.gained` log lines.
// Part of `npm run bench -- cluster` (needs Redis on loopback; figures are printed).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { createClient } from '@keyv/redis';
import {
  BOT_TOKEN,
  FakeSlack,
  fixture,
  payloadBody,
  SIGNING_SECRET,
  slashBody,
} from '../test/adapters/slack/fake-slack.js';
import { leaseHolder, startBotProcess, type BotProcess } from '../test/support/bot-process.js';

const REDIS = process.env.BENCH_REDIS_URL ?? process.env.BALINT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REQUESTS = Number(process.env.BENCH_CLUSTER_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CLUSTER_CONCURRENCY ?? 32);
const LEASE_TTL = Number(process.env.BENCH_LEASE_TTL_MS ?? 8_000);
const TAKEOVERS = Number(process.env.BENCH_TAKEOVERS ?? 3);
const MEMBERS = 200;
const TEAM = 'T0001';

// The client runs in a worker thread with its own event loop, so the fake Slack in this thread
// (taking every answer the bots send after their acks) does not delay its view of the acks.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
parentPort.on('message', async ({ requests, concurrency, secret }) => {
  const times = new Array(requests.length);
  let next = 0;
  let failed = 0;
  const began = performance.now();
  const lane = async () => {
    while (next < requests.length) {
      const i = next++;
      const { port, body } = requests[i];
      const ts = Math.floor(Date.now() / 1000);
      const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex');
      const started = performance.now();
      try {
        const response = await fetch('http://127.0.0.1:' + port + '/slack/events', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
          body,
        });
        await response.text();
        if (response.status !== 200) failed++;
      } catch {
        failed++;
      }
      times[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  parentPort.postMessage({ times, failed, ms: performance.now() - began });
});`;

interface Request {
  port: number;
  body: string;
  hook: string;
}
interface Run {
  times: number[];
  failed: number;
  ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const hookPath = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');

function drive(requests: readonly Request[]): Promise<Run> {
  const worker = new Worker(CLIENT, { eval: true });
  return new Promise<Run>((resolve, reject) => {
    worker.once('message', (run: Run) => resolve(run));
    worker.once('error', reject);
    worker.postMessage({
      requests: requests.map(({ port, body }) => ({ port, body })),
      concurrency: CONCURRENCY,
      secret: SIGNING_SECRET,
    });
  }).finally(() => void worker.terminate());
}

async function dropRedisPrefix(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}.*`, COUNT: 1000 }))
    if (keys.length) await client.del(keys);
  await client.close();
}

function botEnv(fake: FakeSlack, prefix: string, ttl: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: REDIS,
    BALINT_STORE_PREFIX: prefix,
    BALINT_LEASE_TTL_MS: String(ttl),
    BALINT_COORDINATORS: `slack:${TEAM}:U0001`,
    BALINT_DEFAULT_TIMEZONE: 'UTC',
    LOG_LEVEL: 'info',
    PORT: '0',
  };
}

/** Sends `requests`, then waits for every answer at its response_url: acks/s, p99 ack, answers/s. */
async function measure(fake: FakeSlack, requests: Request[]): Promise<string> {
  const wanted = new Set(requests.map((r) => r.hook));
  const seen = () => fake.hooks.reduce((n, h) => n + (wanted.has(h.path) ? 1 : 0), 0);
  const began = performance.now();
  const run = await drive(requests);
  while (seen() < requests.length && performance.now() - began < 120_000) await sleep(2);
  const done = performance.now() - began;
  const sorted = [...run.times].sort((a, b) => a - b);
  return `acks ${Math.round(requests.length / (run.ms / 1000))}/s, answered ${Math.round(seen() / (done / 1000))}/s (${seen()}/${requests.length}), ack p50 ${percentile(sorted, 50).toFixed(1)} ms p99 ${percentile(sorted, 99).toFixed(1)} ms${run.failed ? `, ${run.failed} failed` : ''}`;
}

async function throughput(fake: FakeSlack, count: 1 | 3): Promise<void> {
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const bots: BotProcess[] = [];
  try {
    bots.push(
      ...(await Promise.all(
        Array.from({ length: count }, (_, i) => startBotProcess(`bench-${i}`, botEnv(fake, prefix, LEASE_TTL))),
      )),
    );
    const portOf = (i: number) => (bots[i % bots.length] as BotProcess).port;
    const command = (i: number, user: string, text: string): Request => {
      const body = slashBody(fake, { user_id: user, text, team_id: TEAM });
      return { port: portOf(i), body, hook: hookPath(new URLSearchParams(body).get('response_url') ?? '') };
    };
    // Set up one group of 200 and a session next week, through the bot.
    const members = Array.from({ length: MEMBERS }, (_, i) => `U1${String(i).padStart(4, '0')}`);
    const setup = [
      command(0, 'U0001', 'group create Bench Group program PA tz UTC preset 60'),
      command(0, 'U0001', 'group set Bench Group reminders none'),
    ];
    for (let i = 0; i < MEMBERS; i += 25)
      setup.push(
        command(
          0,
          'U0001',
          `group add Bench Group ${members
            .slice(i, i + 25)
            .map((m) => `<@${m}>`)
            .join(' ')}`,
        ),
      );
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    setup.push(command(0, 'U0001', `schedule Bench Group ${day} 16:00`));
    for (const request of setup) {
      await drive([request]);
      await fake.until(() => fake.hooks.some((h) => h.path === request.hook), 10_000, 2);
    }
    const client = createClient({ url: REDIS });
    await client.connect();
    let sessionId = '';
    // The only session in this deployment: its id is in its document's key.
    for await (const keys of client.scanIterator({ MATCH: `${prefix}.sessions*`, COUNT: 1000 })) {
      for (const key of keys) sessionId ||= /ses_[0-9a-f]{12}/.exec(key)?.[0] ?? '';
    }
    await client.close();

    const help = Array.from({ length: REQUESTS }, (_, i) =>
      command(i, `U${String(2 + (i % 50)).padStart(4, '0')}`, 'help'),
    );
    // Every press changes an answer (each member alternates), so each is a write to the one session.
    const press = fixture<
      Record<string, unknown> & { user: Record<string, unknown>; actions: Array<Record<string, unknown>> }
    >('block-actions-button.json');
    const rsvps = Array.from({ length: REQUESTS }, (_, i): Request => {
      const answer = Math.floor(i / MEMBERS) % 2 === 0 ? 'yes' : 'no';
      const url = fake.hookUrl(`bench/${prefix}/${i}`);
      const payload = {
        ...press,
        user: { ...press.user, id: members[i % MEMBERS] },
        response_url: url,
        actions: [{ ...press.actions[0], action_id: `rsvp:${answer}`, value: `${answer}:${sessionId}` }],
      };
      return { port: portOf(i), body: payloadBody(payload), hook: hookPath(url) };
    });
    // Warm up the processes' code paths (answers at their own response_urls, not counted below).
    await drive(Array.from({ length: 100 }, (_, i) => command(i, 'U0002', 'help')));
    const label = `${count} instance${count === 1 ? ' ' : 's'}`;
    console.log(`  redis, ${label}: /balint help      ${await measure(fake, help)}`);
    console.log(
      `  redis, ${label}: RSVP press        ${sessionId ? await measure(fake, rsvps) : 'skipped: no session found'}`,
    );
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await dropRedisPrefix(prefix).catch(() => undefined);
  }
}

/** Kills the lease holder at a random point between renewals; ms until another says it gained it. */
async function takeovers(fake: FakeSlack): Promise<number[]> {
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const env = botEnv(fake, prefix, LEASE_TTL);
  const bots = await Promise.all([0, 1, 2].map((i) => startBotProcess(`lease-${i}`, env)));
  const times: number[] = [];
  try {
    for (let round = 0; round < TAKEOVERS; round++) {
      while (!leaseHolder(bots)) await sleep(10);
      await sleep(Math.random() * (LEASE_TTL / 3));
      const holder = leaseHolder(bots) as BotProcess;
      await holder.kill9();
      const killedAt = Date.now();
      const others = bots.filter((b) => b !== holder);
      while (!leaseHolder(others)) await sleep(5);
      const gained = others
        .flatMap((b) => b.lines.filter((l) => l.event === 'lease.gained' && l.seenAt >= killedAt))
        .map((l) => l.seenAt);
      times.push(Math.min(...gained) - killedAt);
      bots[bots.indexOf(holder)] = await startBotProcess(`lease-${round}-again`, env);
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await dropRedisPrefix(prefix).catch(() => undefined);
  }
  return times;
}

export async function clusterProcessesBench(): Promise<void> {
  console.log(
    `\ncluster, real processes on Redis: ${REQUESTS} signed requests per case, ${CONCURRENCY} in flight, round-robin; lease ttl ${LEASE_TTL} ms`,
  );
  const fake = new FakeSlack();
  await fake.start();
  try {
    await throughput(fake, 1);
    await throughput(fake, 3);
    await sleep(1_000);
    const t = await takeovers(fake);
    console.log(`  redis, 3 processes: takeover ms after the holder got SIGKILL ${JSON.stringify(t)}`);
  } catch (error) {
    console.log(`  skipped: ${(error as Error).message.slice(0, 200)}`);
  } finally {
    await fake.stop();
  }
}
