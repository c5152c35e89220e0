// npm run bench -- room: the room display's live stream under load. One real bot process (Slack
// mode, SQLite, a 60× test clock), 200 open pages (SSE clients, not browsers) on 4 channels'
// links (50 each: the per-link limit); a phase change by the clock, then one by a facilitator's
// command, reaches every page. Prints p50/p99 latency from the change to each page's receipt,
// and the server's resident memory per open page (VmRSS before and after opening them).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeSlack, sendSigned, slashBody } from '../test/adapters/slack/fake-slack.js';
import { ROOT, startBotProcess, type BotProcess } from '../test/support/bot-process.js';
import { roomBotEnv } from '../test/support/room-bot-env.js';
import { openSse, type SseClient, type SseEvent } from '../test/support/sse-client.js';

const PAGES = Number(process.env.BENCH_ROOM_PAGES ?? 200);
const CHANNELS = 4;
const SPEED = 60;
const TEAM = 'T0001';
const COORDINATOR = 'U0001';
const LEADER = 'U0002';

interface View {
  phase?: string;
  deadline?: number;
}
const viewOf = (e: SseEvent) => (JSON.parse(e.data) as { view: View }).view;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

export async function roomBench(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'balint-room-bench-'));
  const fake = new FakeSlack({ directChannelPerUser: true });
  await fake.start();
  const origin = Date.now();
  const realOf = (sim: number) => origin + (sim - origin) / SPEED;
  let bot: BotProcess | undefined;
  const clients: SseClient[] = [];
  try {
    bot = await startBotProcess(
      'room-bench',
      roomBotEnv({ apiUrl: fake.apiUrl, dir, coordinator: `slack:${TEAM}:${COORDINATOR}`, speed: SPEED, origin }),
    );
    const port = bot.port;
    const command = async (user: string, channel: string, text: string, answered = true): Promise<string> => {
      const body = slashBody(fake, { user_id: user, text, channel_id: channel, team_id: TEAM });
      const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
      await sendSigned(port, 'slash-command', body);
      if (!answered) return '';
      await fake.until(() => fake.hooks.some((h) => h.path === hook), 10_000);
      return JSON.stringify(fake.hooks.find((h) => h.path === hook)?.body ?? '');
    };
    await command(COORDINATOR, 'C0001', 'group create Bench Group tz UTC preset 45');
    await command(COORDINATOR, 'C0001', `group add Bench Group <@${LEADER}> as leader`);
    const channels = Array.from({ length: CHANNELS }, (_, i) => `C000${i + 1}`);
    const paths: string[] = [];
    for (const channel of channels) {
      const answer = await command(LEADER, channel, 'room');
      paths.push(/https:\/\/balint\.example\.edu(\/room\/[A-Za-z0-9_-]{32})/.exec(answer)?.[1] ?? '');
    }
    // Warm up: one page opened and closed, so the first stream's one-off costs are not counted.
    const warm = await openSse(`http://127.0.0.1:${port}${paths[0]}/events`);
    await warm.next((e) => e.event === 'view');
    warm.close();
    await sleep(500);
    const before = rssKb(bot.pid);
    for (let i = 0; i < PAGES; i++) {
      const c = await openSse(`http://127.0.0.1:${port}${paths[i % CHANNELS]}/events`);
      if (c.status !== 200) throw new Error(`page ${i} refused with ${c.status}`);
      clients.push(c);
    }
    await Promise.all(clients.map((c) => c.next((e) => e.event === 'view')));
    await sleep(1_000);
    const after = rssKb(bot.pid);

    // 1. By the clock: every channel starts a 45-minute session; its 2-minute case call ends by
    // the clock (2 s of real time at 60×) and every page must show the presentation.
    const marks = clients.map((c) => c.events.length);
    for (const channel of channels) await command(LEADER, channel, 'start', false);
    const caseCalls = await Promise.all(
      clients.map((c, i) => c.next((e) => e.event === 'view' && viewOf(e).phase === 'case-call', 10_000, marks[i])),
    );
    const byClock = await Promise.all(
      clients.map(async (c, i) => {
        const shown = await c.next((e) => e.event === 'view' && viewOf(e).phase === 'presentation', 15_000, marks[i]);
        return shown.receivedAt - realOf(viewOf(caseCalls[i] as SseEvent).deadline ?? 0);
      }),
    );

    // 2. By a command: `next` in each channel, from the moment it is sent to each page's receipt.
    const marks2 = clients.map((c) => c.events.length);
    const sentAt = new Map<string, number>();
    for (const channel of channels) {
      sentAt.set(channel, performance.timeOrigin + performance.now());
      await command(LEADER, channel, 'next', false);
    }
    const byCommand = await Promise.all(
      clients.map(async (c, i) => {
        const shown = await c.next((e) => e.event === 'view' && viewOf(e).phase === 'clarifying', 15_000, marks2[i]);
        return shown.receivedAt - (sentAt.get(channels[i % CHANNELS] as string) ?? 0);
      }),
    );

    const line = (name: string, times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return `  ${name.padEnd(34)} p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`;
    };
    console.log(
      `room display: ${PAGES} open pages on ${CHANNELS} links, one bot process (SQLite, ${SPEED}× test clock)`,
    );
    console.log(line('phase change by the clock', byClock));
    console.log(line('phase change by a command (next)', byCommand));
    console.log(
      `  server memory: ${before} KB → ${after} KB resident, ${(((after - before) * 1024) / PAGES / 1024).toFixed(1)} KB per open page`,
    );
  } finally {
    for (const c of clients) c.close();
    await bot?.stop();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
