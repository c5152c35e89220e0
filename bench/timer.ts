// 500 concurrent sessions in one process, on the real clock compressed 60×: how late phase
// boundaries are posted, how many card refreshes are issued against Slack's chat.update budget
// (about 50 a minute per workspace), and memory per running session.
// Run: npm run bench -- timer   (figures are printed; nothing is asserted)
import { scaledClock } from '../src/adapters/clock/scaled-clock.js';
import { KeyvStore } from '../src/adapters/store/keyv-store.js';
import { createApp } from '../src/app/compose.js';
import type { Card } from '../src/core/cards.js';
import type { LogFields, Logger } from '../src/core/ports.js';
import { RateBudget } from '../src/core/plumbing/rate-budget.js';
import type { ChatPort, MessageRef } from '../src/core/ports.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 500);
const SPEED = Number(process.env.BENCH_SPEED ?? 60);
const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 50);
/** Sessions start spread over this many simulated minutes (groups meet "at 4 pm", give or take). 0: all at once. */
const SPREAD_MINUTES = Number(process.env.BENCH_SPREAD_MINUTES ?? 10);
const SLACK_UPDATES_PER_MINUTE = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function timerBench(): Promise<void> {
  const clock = scaledClock(SPEED);
  const lateness: number[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (event: string, fields?: LogFields) => {
      if (event === 'timer.announced' && fields?.lateMs !== undefined) lateness.push(fields.lateMs / SPEED);
    },
    warn: () => undefined,
    error: () => undefined,
  };
  // Updates per workspace per simulated minute.
  const updates = new Map<string, number>();
  let posts = 0;
  let seq = 0;
  const chat: ChatPort = {
    post: async (place): Promise<MessageRef> => {
      posts++;
      return { place, id: String(++seq) };
    },
    update: async (ref: MessageRef, _card: Card) => {
      const minute = Math.floor(clock.now() / 60_000);
      const key = `${ref.place.split(':').slice(0, 2).join(':')}@${minute}`;
      updates.set(key, (updates.get(key) ?? 0) + 1);
    },
    ephemeral: async () => undefined,
    direct: async (user) => ({ place: user, id: String(++seq) }),
  };
  const store = new KeyvStore();
  const { services, jobs } = createApp({
    store,
    chat,
    clock,
    logger,
    coordinators: ['console:coord'],
    defaultTimeZone: 'UTC',
    refreshBudget: new RateBudget(SLACK_UPDATES_PER_MINUTE),
  });
  await jobs.start();
  const groups = [];
  for (let i = 0; i < SESSIONS; i++) {
    groups.push(await services.roster.createGroup({ name: `Group ${i}`, timeZone: 'UTC', preset: '45' }, clock.now()));
  }
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const began = Date.now();
  const gapMs = (SPREAD_MINUTES * 60_000) / SPEED / SESSIONS;
  await Promise.all(
    groups.map(async (g, i) => {
      await new Promise((r) => setTimeout(r, i * gapMs));
      await services.timers.start(g, `slack:T${i % WORKSPACES}:C${i}`, '45');
    }),
  );
  globalThis.gc?.();
  const heapPerSession = (process.memoryUsage().heapUsed - heapBefore) / SESSIONS;
  console.log(
    `timer: ${SESSIONS} sessions of 45 min at ${SPEED}×, started over ${SPREAD_MINUTES} simulated minutes (${Date.now() - began} ms real) across ${WORKSPACES} workspaces`,
  );
  while (await services.timers.anyRunning()) await new Promise((r) => setTimeout(r, 250));
  await jobs.stop();
  lateness.sort((a, b) => a - b);
  const perMinute = [...updates.values()];
  const over = perMinute.filter((n) => n > SLACK_UPDATES_PER_MINUTE).length;
  console.log(
    `  announcements posted: ${lateness.length} (expected ${SESSIONS * 7}: five phase changes, a warning and a closing each); posts in all: ${posts}`,
  );
  console.log(
    `  boundary lateness (real ms): p50 ${percentile(lateness, 50).toFixed(1)}  p99 ${percentile(lateness, 99).toFixed(1)}  max ${(lateness.at(-1) ?? NaN).toFixed(1)}`,
  );
  console.log(
    `  card updates: ${perMinute.reduce((a, b) => a + b, 0)} issued; busiest workspace-minute ${Math.max(...perMinute)} (budget ${SLACK_UPDATES_PER_MINUTE}); minutes over budget: ${over}`,
  );
  console.log(
    `  heap per running session: ${(heapPerSession / 1024).toFixed(1)} KB${globalThis.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
  );
}
