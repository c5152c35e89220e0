// npm run bench -- startup: how fast the compiled bot starts and how much memory it holds idle.
// 1. `npm start` (the terminal chat, on a fresh SQLite file) until the answer to a piped
//    `/balint help` is printed: what a person trying the bot waits for (and `node dist/main.js`
//    alone, without npm and the staleness check).
// 2. `node dist/main.js` in Slack mode, against the fake Slack Web API on loopback (one
//    auth.test), until its `bot.start` log line; then its resident memory after two idle seconds.
// Figures are the median of RUNS starts; the load average is printed with them, since other
// work on the machine slows start-up.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET } from '../test/adapters/slack/fake-slack.js';
import { ROOT, startBotProcess } from '../test/support/bot-process.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const FIRST_ANSWER_TARGET_MS = 1_500;
const IDLE_RSS_TARGET_MB = 100;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Milliseconds from spawning the command (`npm start`, or node alone) to the help's heading on its stdout. */
function firstAnswer(command: string, args: string[], storeFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), STORE_URL: `sqlite://${storeFile}` },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    let answeredAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (answeredAt === undefined && out.includes('== Balint bot: what you can do ==')) {
        answeredAt = performance.now() - began;
        child.stdin.end();
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      answeredAt !== undefined && code === 0 ? resolve(answeredAt) : reject(new Error(`${command} ended with ${code}`)),
    );
    child.stdin.write('/balint help\n');
  });
}

/** Milliseconds a bare command takes to run here now: the floor under every start-up figure. */
function bareRun(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - began));
  });
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? NaN) / 1024;
}

async function slackStart(fake: FakeSlack, storeFile: string): Promise<{ startMs: number; rssMb: number }> {
  const bot = await startBotProcess('startup', {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    STORE_URL: `sqlite://${storeFile}`,
    BALINT_COORDINATORS: 'slack:T0001:U0001',
    LOG_LEVEL: 'info',
    PORT: '0',
  });
  try {
    await sleep(2_000);
    return { startMs: bot.readyAt - bot.startedAt, rssMb: rssMb(bot.pid) };
  } finally {
    await bot.stop();
  }
}

export async function startupBench(): Promise<void> {
  // A compile is not a start: bring dist/ up to date first, and let one untimed start warm the disk cache.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'balint-bench-startup-'));
  const fake = new FakeSlack();
  await fake.start();
  try {
    const load = loadavg().map((l) => l.toFixed(2));
    await firstAnswer(process.execPath, ['dist/main.js'], join(dir, 'warm-up.sqlite'));
    const answers: number[] = [];
    const nodeAnswers: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      answers.push(await firstAnswer('npm', ['start', '--silent'], join(dir, `npm-${i}.sqlite`)));
      // The same without npm's own start-up and the staleness check, to show what each costs.
      nodeAnswers.push(await firstAnswer(process.execPath, ['dist/main.js'], join(dir, `node-${i}.sqlite`)));
    }
    const starts: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await slackStart(fake, join(dir, `slack-${i}.sqlite`));
      starts.push(run.startMs);
      rss.push(run.rssMb);
    }
    const bareNode: number[] = [];
    const bareNpm: number[] = [];
    for (let i = 0; i < 3; i++) {
      bareNode.push(await bareRun(process.execPath, ['-e', '0']));
      bareNpm.push(await bareRun('npm', ['--version']));
    }
    const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
    console.log(`startup (median of ${RUNS}; load average at the start ${load.join(' ')}):`);
    console.log(
      `  npm start to the first answer of a piped /balint help: ${median(answers).toFixed(0)} ms ` +
        `(runs ${answers.map((a) => a.toFixed(0)).join(', ')}; target < ${FIRST_ANSWER_TARGET_MS} ms, ` +
        `${verdict(median(answers) < FIRST_ANSWER_TARGET_MS)})`,
    );
    console.log(`  node dist/main.js to the same answer: ${median(nodeAnswers).toFixed(0)} ms`);
    console.log(
      `  node dist/main.js to bot.start, Slack mode: ${median(starts).toFixed(0)} ms ` +
        `(runs ${starts.map((s) => s.toFixed(0)).join(', ')})`,
    );
    console.log(
      `  idle resident memory, Slack mode, 2 s after bot.start: ${median(rss).toFixed(1)} MB ` +
        `(target < ${IDLE_RSS_TARGET_MB} MB, ${verdict(median(rss) < IDLE_RSS_TARGET_MB)})`,
    );
    console.log(
      `  for scale, on this machine now: node -e 0 takes ${median(bareNode).toFixed(0)} ms, ` +
        `npm --version ${median(bareNpm).toFixed(0)} ms`,
    );
    console.log(
      `  load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
