// Turn latency of a Teams command against an echo bot on the same CloudAdapter, same run: each
// is an activity POSTed to /api/messages over loopback whose answer is one POST to a fake
// connector on 127.0.0.1. The command (`help` in the personal chat) goes through first-contact
// bookkeeping, the dispatcher, the Adaptive Card renderer and the 1:1 fallback for private answers.
// Run: npm run bench -- teams   (figures are printed; nothing is asserted; target ratio ≤ 1.3)
import { createServer } from 'node:http';
import { createHttpServer, listen } from '../src/adapters/http/server.js';
import { RoutingChat } from '../src/adapters/platform/routing-chat.js';
import { KeyvStore } from '../src/adapters/store/keyv-store.js';
import { createCloudAdapter } from '../src/adapters/teams/bot-adapter.js';
import { ownRetries } from '../src/adapters/teams/connector.js';
import { createTeamsAdapter } from '../src/adapters/teams/index.js';
import { messagesRoute } from '../src/adapters/teams/messages-route.js';
import { createApp } from '../src/app/compose.js';
import { silentLogger } from '../src/core/plumbing/logger.js';
import type { Cancel, Clock } from '../src/core/ports.js';

const TURNS = Number(process.env.BENCH_TEAMS_TURNS ?? 2000);
/**
 * People talking to the bot, each in their own 1:1 chat. Teams allows a bot 60 messages per 30 s
 * in one conversation (the adapter paces to that), so one chat would measure the pacing; each
 * person here gets a turn every USERS turns, as in a real deployment.
 */
const USERS = 250;
const WARMUP = USERS;
const TENANT = '00000000-0000-0000-0000-000000000001';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function fakeConnector(): Promise<{ url: string; calls: () => number; close: () => void }> {
  let calls = 0;
  let id = 1;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(id++) }));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/`, calls: () => calls, close: () => server.close() };
}

function activity(serviceUrl: string, text: string, n: number): string {
  const who = String(n % USERS).padStart(3, '0');
  return JSON.stringify({
    type: 'message',
    id: String(n),
    text,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:1UsEr${who}`, aadObjectId: `00000000-0000-0000-0000-000000000${who}`, name: `User ${who}` },
    recipient: { id: '28:00000000-0000-0000-0000-0000000000b1', name: 'Balint' },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: `a:1PeRsOnAl${who}` },
    channelData: { tenant: { id: TENANT } },
    localTimezone: 'America/New_York',
  });
}

export async function teamsBench(): Promise<void> {
  const connector = await fakeConnector();
  const clock: Clock = { now: () => Date.now(), at: (): Cancel => () => undefined };
  const store = new KeyvStore();
  const config = { appType: 'SingleTenant' as const };

  const teams = createTeamsAdapter(config, { store, logger: silentLogger, clock });
  const app = createApp({
    store,
    chat: new RoutingChat({ teams: teams.chat }),
    clock,
    logger: silentLogger,
    coordinators: [],
    defaultTimeZone: 'UTC',
  });
  const bot = createHttpServer(await teams.connect(app.services), silentLogger);
  const botPort = await listen(bot, 0, '127.0.0.1');

  // The echo bot: the same adapter class, route and connector policy; it answers with the text.
  const echoAdapter = createCloudAdapter(config);
  ownRetries(echoAdapter);
  const echo = createHttpServer(
    [
      messagesRoute(
        echoAdapter,
        async (context) => void (await context.sendActivity({ type: 'message', text: context.activity.text })),
        silentLogger,
      ),
    ],
    silentLogger,
  );
  const echoPort = await listen(echo, 0, '127.0.0.1');

  const turn = async (port: number, text: string, n: number): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: activity(connector.url, text, n),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`turn answered ${response.status}`);
    return performance.now() - started;
  };

  for (let i = 0; i < WARMUP; i++) {
    await turn(echoPort, 'hello', i);
    await turn(botPort, 'help', i);
  }
  const before = connector.calls();
  const echoTimes: number[] = [];
  const commandTimes: number[] = [];
  // Alternate, so both see the same machine at the same moments.
  for (let i = 0; i < TURNS; i++) {
    echoTimes.push(await turn(echoPort, 'hello', i));
    commandTimes.push(await turn(botPort, 'help', i));
  }
  const sent = connector.calls() - before;
  echoTimes.sort((a, b) => a - b);
  commandTimes.sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(`teams: ${TURNS} turns each, ${sent} connector calls (expected ${2 * TURNS})`);
  console.log(`  echo bot      p50 ${f(percentile(echoTimes, 50))}  p99 ${f(percentile(echoTimes, 99))}`);
  console.log(`  help command  p50 ${f(percentile(commandTimes, 50))}  p99 ${f(percentile(commandTimes, 99))}`);
  console.log(
    `  ratio         p50 ${(percentile(commandTimes, 50) / percentile(echoTimes, 50)).toFixed(2)}  p99 ${(percentile(commandTimes, 99) / percentile(echoTimes, 99)).toFixed(2)}  (target ≤ 1.3)`,
  );

  await new Promise<void>((resolve) => bot.close(() => resolve()));
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  connector.close();
  await teams.stop();
  await store.close();
}
