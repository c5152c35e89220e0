// Rotation calendars. (1) Importing 5,000 rows, into memory and into a SQLite file: time and
// memory. (2) Fanning out 1,000 post-rotation invites through the real Slack adapter to a fake
// Slack API on loopback that enforces its rate limit with 429 and Retry-After: the achieved
// rate against the limit, and how many invites were lost or sent twice.
// Run: npm run bench -- rotations   (figures are printed; nothing is asserted)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { createClients } from '../src/adapters/slack/clients.js';
import { SlackChat } from '../src/adapters/slack/slack-chat.js';
import { TimeZoneCache } from '../src/adapters/slack/time-zones.js';
import { KeyvStore } from '../src/adapters/store/keyv-store.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { createApp } from '../src/app/compose.js';
import { silentLogger } from '../src/core/plumbing/logger.js';
import type { Clock, Store } from '../src/core/ports.js';
import { startFakeSlack } from './fake-slack.js';

const ROWS = Number(process.env.BENCH_ROTATION_ROWS ?? 5_000);
const INVITES = Number(process.env.BENCH_INVITES ?? 1_000);
/** Calls per second the fake API allows, per method (a token bucket with one second of burst). */
const LIMIT = Number(process.env.BENCH_SLACK_LIMIT ?? 50);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const user = (i: number) => `slack:TBENCH:U${String(i).padStart(7, '0')}`;

function calendar(rows: number): string {
  const lines = ['student,program,rotation,start,end'];
  const students = Math.ceil(rows / 9);
  for (let i = 0; i < rows; i++) {
    const k = Math.floor(i / students);
    const start = DateTime.fromISO('2027-02-01').plus({ weeks: 5 * k });
    lines.push(
      `${user(i % students)},PA,Rotation ${k + 1},${start.toISODate()},${start.plus({ days: 32 }).toISODate()}`,
    );
  }
  return lines.join('\r\n');
}

async function timeImport(label: string, store: Store): Promise<void> {
  const clock: Clock = { now: () => Date.parse('2027-01-15T12:00:00Z'), at: () => () => undefined };
  const { services } = createApp({
    store,
    chat: new SlackChatless(),
    clock,
    logger: silentLogger,
    coordinators: [],
    defaultTimeZone: 'UTC',
  });
  const text = calendar(ROWS);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const began = performance.now();
  const report = await services.rotations.importRotations(text);
  const took = performance.now() - began;
  const heapPeak = process.memoryUsage().heapUsed - heapBefore;
  const again = performance.now();
  const second = await services.rotations.importRotations(text);
  console.log(
    `  ${label}: ${report.added} rows imported in ${took.toFixed(0)} ms (heap +${mb(heapPeak)}); the same file again: ${second.unchanged} unchanged in ${(performance.now() - again).toFixed(0)} ms`,
  );
  await store.close();
}

/** The import bench needs no chat at all. */
class SlackChatless {
  post = async () => ({ place: 'x', id: '1' });
  update = async () => undefined;
  ephemeral = async () => undefined;
  direct = async () => ({ place: 'x', id: '1' });
}

async function fanOut(): Promise<void> {
  const slack = await startFakeSlack(LIMIT);
  const clients = createClients({ token: 'xoxb-bench', apiUrl: slack.url, logger: silentLogger });
  const chat = new SlackChat(clients, new TimeZoneCache(clients.interactive, silentLogger));
  // A real clock, set to two seconds before 17:00 on the rotations' last day.
  const end = '2027-03-05';
  const offset = DateTime.fromISO(`${end}T16:59:58`, { zone: 'UTC' }).toMillis() - Date.now();
  const clock: Clock = {
    now: () => Date.now() + offset,
    at: (time, fn) => {
      const t = setTimeout(fn, Math.max(0, time - (Date.now() + offset)));
      return () => clearTimeout(t);
    },
  };
  const store = new KeyvStore();
  const { services, jobs } = createApp({
    store,
    chat,
    clock,
    logger: silentLogger,
    coordinators: [],
    defaultTimeZone: 'UTC',
  });
  const roster = [
    'group,program,student,role',
    ...Array.from({ length: INVITES }, (_, i) => `Bench Cohort,PA,${user(i)},member`),
  ].join('\n');
  await services.rotations.importRoster(roster);
  const group = (await services.roster.findGroup('Bench Cohort'))!;
  await services.schedule.schedule(group, { date: '2027-03-10', time: '16:00', minutes: 60, mode: 'online' });
  const rows = Array.from({ length: INVITES }, (_, i) => `${user(i)},PA,Family Medicine,2027-02-01,${end}`);
  await services.rotations.importRotations(['student,program,rotation,start,end', ...rows].join('\n'));
  await jobs.start();
  const began = Date.now();
  const deadline = began + 10 * 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    if ((await jobs.pending('rotations.invite')).length === 0 && slack.posts.size > 0) break;
  }
  await jobs.stop();
  const sent = [...slack.posts.values()];
  const lost = INVITES - slack.posts.size;
  const duplicated = sent.filter((n) => n > 1).reduce((a, n) => a + n - 1, 0);
  const seconds = ((slack.lastPostAt ?? 0) - (slack.firstPostAt ?? 0)) / 1000;
  const rate = (sent.reduce((a, b) => a + b, 0) - 1) / seconds;
  console.log(
    `  fan-out: ${INVITES} invites through the Slack adapter to a fake API allowing ${LIMIT}/s per method (429 + Retry-After)`,
  );
  console.log(
    `    ${sent.reduce((a, b) => a + b, 0)} posts in ${seconds.toFixed(1)} s: ${rate.toFixed(1)}/s = ${((rate / LIMIT) * 100).toFixed(0)}% of the limit; 429s answered: ${slack.refused}; lost ${lost}, duplicated ${duplicated}`,
  );
  await store.close();
  await slack.close();
}

export async function rotationsBench(): Promise<void> {
  console.log(`rotations: importing ${ROWS} calendar rows`);
  await timeImport('memory store', new KeyvStore());
  const dir = mkdtempSync(join(tmpdir(), 'balint-bench-'));
  try {
    await timeImport('SQLite file', openStore(`sqlite://${join(dir, 'bench.sqlite')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await fanOut();
}
