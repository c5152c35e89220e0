// Two real bot processes over one Redis, and again over one PostgreSQL: a room display page
// (an SSE client) streaming from instance A follows a session started and steered through
// instance B, promptly: B's change reaches A by the store's room signals, not by A's 5 s poll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOT_TOKEN, FakeSlack, sendSigned, SIGNING_SECRET, slashBody } from '../adapters/slack/fake-slack.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { describeOnServices, dropPrefix, runPrefix, urlOf } from '../support/services.js';
import { openSse, type SseClient, type SseEvent } from '../support/sse-client.js';

const TEAM = 'T0001';
const COORDINATOR = 'U0001';
const LEADER = 'U0002';
const CHANNEL = 'C0R01';
/** Well under the 5 s poll: only a signal gets the change there this fast. */
const PROMPT_MS = 2_500;

const viewOf = (e: SseEvent) => (JSON.parse(e.data) as { view: { status: string; phase?: string } }).view;

await describeOnServices('the room display on two instances', (kind) => {
  const prefix = runPrefix();
  const fake = new FakeSlack({ directChannelPerUser: true });
  const dir = mkdtempSync(join(tmpdir(), 'balint-room-cluster-'));
  let a: BotProcess;
  let b: BotProcess;
  let page: SseClient | undefined;

  const command = async (text: string, user = LEADER, answered = true): Promise<string> => {
    const body = slashBody(fake, { user_id: user, text, channel_id: CHANNEL, team_id: TEAM });
    const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
    const sent = await sendSigned(b.port, 'slash-command', body);
    expect(sent.status).toBe(200);
    if (!answered) return '';
    await fake.until(() => fake.hooks.some((h) => h.path === hook), 10_000);
    return JSON.stringify(fake.hooks.find((h) => h.path === hook)?.body ?? '');
  };

  beforeAll(async () => {
    await fake.start();
    const env = {
      NODE_ENV: 'test',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      STORE_URL: urlOf(kind),
      BALINT_STORE_PREFIX: prefix,
      BALINT_COORDINATORS: `slack:${TEAM}:${COORDINATOR}`,
      BALINT_DEFAULT_TIMEZONE: 'UTC',
      BALINT_PUBLIC_URL: 'https://balint.example.edu',
      LOG_LEVEL: 'info',
    };
    [a, b] = await Promise.all([startBotProcess('room-a', env), startBotProcess('room-b', env)]);
  }, 60_000);

  afterAll(async () => {
    page?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await fake.stop();
    await dropPrefix(kind, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${kind}: a page on one instance follows changes made through the other`, { timeout: 60_000 }, async () => {
    await command('group create Cluster Room tz UTC preset 45', COORDINATOR);
    await command(`group add Cluster Room <@${LEADER}> as leader`, COORDINATOR);
    const path = /https:\/\/balint\.example\.edu(\/room\/[A-Za-z0-9_-]{32})/.exec(await command('room'))?.[1];
    expect(path).toBeDefined();
    page = await openSse(`http://127.0.0.1:${a.port}${path}/events`);
    expect(page.status).toBe(200);
    await page.next((e) => e.event === 'view' && viewOf(e).status === 'none');
    const follows = async (text: string, test: (v: ReturnType<typeof viewOf>) => boolean) => {
      const from = page!.events.length;
      const sentAt = Date.now();
      await command(text, LEADER, false);
      const shown = await page!.next((e) => e.event === 'view' && test(viewOf(e)), 10_000, from);
      return shown.receivedAt - sentAt;
    };
    expect(await follows('start', (v) => v.phase === 'case-call')).toBeLessThan(PROMPT_MS);
    expect(await follows('next', (v) => v.phase === 'presentation')).toBeLessThan(PROMPT_MS);
    expect(await follows('pause', (v) => v.status === 'paused')).toBeLessThan(PROMPT_MS);
    expect(await follows('end', (v) => v.status === 'ended')).toBeLessThan(PROMPT_MS);
  });
});
