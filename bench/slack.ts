// Slash-command ack latency: the Balint app (runServer, with a fake Web API on loopback taking
// the work after the ack) against a bare Bolt app that acks an empty command, on the same kind
// of server, in the same run, rounds interleaved so drift hits both alike. Then idle memory.
// Run: npm run bench -- slack   (figures are printed; nothing is asserted)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { App, HTTPReceiver } from '@slack/bolt';
import { createHttpServer, listen } from '../src/adapters/http/server.js';
import { createPinoLogger } from '../src/adapters/log/pino-logger.js';
import { sdkLogger } from '../src/adapters/slack/sdk-logger.js';
import { silentLogger } from '../src/core/plumbing/logger.js';
import { runServer } from '../src/app/run-server.js';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET, slashBody } from '../test/adapters/slack/fake-slack.js';

const REQUESTS = Number(process.env.BENCH_SLACK_REQUESTS ?? 2000);
const ROUNDS = 4;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// The client runs in a worker thread with its own event loop: in one loop, the bot's work after
// an ack would delay the client noticing the ack, which Slack (another machine) never sees.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
parentPort.on('message', async ({ id, port, secret, body }) => {
  const ts = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex');
  const started = performance.now();
  const response = await fetch('http://127.0.0.1:' + port + '/slack/events', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  await response.text();
  parentPort.postMessage({ id, ms: performance.now() - started, status: response.status });
});`;

let client: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, (result: { ms: number; status: number }) => void>();

function startClient(): Worker {
  const worker = new Worker(CLIENT, { eval: true });
  worker.on('message', (m: { id: number; ms: number; status: number }) => waiting.get(m.id)?.(m));
  return worker;
}

async function post(port: number, body: string): Promise<number> {
  const id = nextId++;
  const result = await new Promise<{ ms: number; status: number }>((resolve) => {
    waiting.set(id, resolve);
    client ??= startClient();
    client.postMessage({ id, port, secret: SIGNING_SECRET, body });
  });
  waiting.delete(id);
  if (result.status !== 200) throw new Error(`status ${result.status}`);
  return result.ms;
}

async function bareBolt(): Promise<{ port: number; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    endpoints: '/slack/events',
    logger: sdkLogger(silentLogger),
  });
  const app = new App({
    token: BOT_TOKEN,
    botId: 'B0001',
    botUserId: 'U0999',
    receiver,
    logger: sdkLogger(silentLogger),
    convoStore: false,
  });
  app.command('/balint', async ({ ack }) => {
    await ack();
  });
  const server = createHttpServer(
    [{ method: 'POST', path: '/slack/events', handler: (req, res) => receiver.requestListener(req, res) }],
    silentLogger,
  );
  const port = await listen(server, 0, '127.0.0.1');
  return { port, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function slackBench(): Promise<void> {
  const fake = new FakeSlack();
  await fake.start();
  const sink = new Writable({ write: (_c, _e, done) => done() });
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  const bot = await runServer(
    {
      storeUrl: 'memory://',
      coordinators: ['slack:T0001:U0001'],
      defaultTimeZone: 'America/New_York',
      logLevel: 'info',
      clockSpeed: 1,
      port: 0,
      production: false,
      slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
    },
    createPinoLogger('info', sink),
  );
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
  const idle = process.memoryUsage();
  const bare = await bareBolt();
  // A group for `start`, made through the app like any other command.
  await post(bot.port, slashBody(fake, { user_id: 'U0001', text: 'group create PA Group A preset 60' }));
  let started = 0;

  const hookOf = (body: string) =>
    new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '') ?? '';
  const answered = (body: string) => () => fake.hooks.some((h) => h.path === hookOf(body));
  const posted = (count: number) => () => fake.callsOf('chat.postMessage').length >= count;
  // Each case: the request, and when its follow-up (the answer after the ack) is out.
  const cases: Record<string, (i: number) => { body: string; done: () => boolean }> = {
    'bare Bolt (empty ack)': () => ({ body: slashBody(fake, { text: '' }), done: () => true }),
    '/balint help': () => {
      const body = slashBody(fake, { user_id: 'U0002', text: 'help' });
      return { body, done: answered(body) };
    },
    // One channel per request: one timer may run per channel. Its answer is two channel posts.
    '/balint start': (i) => ({
      body: slashBody(fake, {
        user_id: 'U0001',
        text: 'start PA Group A',
        channel_id: `C${String(i).padStart(6, '0')}`,
      }),
      done: posted(fake.callsOf('chat.postMessage').length + 2),
    }),
    '/balint schedule <…>': () => {
      const body = slashBody(fake, { user_id: 'U0001', text: 'schedule PA Group A 2026-02-05 16:30 weekly 8' });
      return { body, done: answered(body) };
    },
  };
  const figures = (times: Record<string, number[]>, title: string) => {
    const base = [...(times['bare Bolt (empty ack)'] as number[])].sort((a, b) => a - b);
    console.log(title);
    for (const [name, list] of Object.entries(times)) {
      const sorted = [...list].sort((a, b) => a - b);
      const ratio = name.startsWith('bare')
        ? ''
        : `   ratio to bare: p50 ${(percentile(sorted, 50) / percentile(base, 50)).toFixed(2)}  p99 ${(percentile(sorted, 99) / percentile(base, 99)).toFixed(2)}`;
      console.log(
        `  ${name.padEnd(24)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms${ratio}`,
      );
    }
  };
  // Paced: the next request goes once the previous one's answer is out, as commands come from
  // people (the ack path alone). Back to back: the next goes as soon as the ack is in, so the
  // bot's follow-up work for earlier commands shares the one event loop with later acks.
  for (const mode of ['paced', 'back to back'] as const) {
    const total = mode === 'paced' ? REQUESTS : REQUESTS / 2;
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of Object.entries(cases)) {
        const port = name.startsWith('bare') ? bare.port : bot.port;
        const list = times[name] as number[];
        for (let i = 0; i < total / ROUNDS; i++) {
          const request = make(started++);
          list.push(await post(port, request.body));
          if (mode === 'paced') {
            await fake.until(request.done, 10_000, 1);
            // Its last store writes after the answer (the timer's tick job): people are not faster.
            await new Promise((r) => setTimeout(r, 5));
          }
        }
      }
    }
    figures(
      times,
      `slack: ack latency, ${mode}, over ${total} signed slash commands each (loopback, ${ROUNDS} interleaved rounds)`,
    );
  }
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `  in this process: heap used ${mb(baseline.heapUsed)} before the bot, ${mb(idle.heapUsed)} with it started and idle`,
  );
  console.log(`  idle \`npm start\` process on Slack (memory store), resident: ${await idleProcessRss(fake.apiUrl)}`);
  console.log(`  Web API calls made after the acks: ${fake.calls.length}, response_url answers: ${fake.hooks.length}`);
  await client?.terminate();
  client = undefined;
  await bare.stop();
  await bot.stop();
  await fake.stop();
}

/** Starts the real bot (src/main.ts) against the fake Web API and reads its resident memory once idle. */
async function idleProcessRss(apiUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: apiUrl,
      PORT: '0',
      STORE_URL: 'memory://',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"bot.start"')) resolve();
      });
      child.once('exit', () => reject(new Error('bot exited')));
    });
    await new Promise((r) => setTimeout(r, 2_000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return `${(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024).toFixed(1)} MB (after 2 s idle)`;
  } finally {
    child.kill('SIGTERM');
  }
}
