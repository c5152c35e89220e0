// The room display in real Chromium (Debian's, driven by playwright-core) against the real bot
// process on a scaled test clock: the page shows each phase as the timer enters it (when the
// facilitator sends `next`; the wrap up by the clock), the facilitator-led phases counting up, the
// colour thresholds at the right moments, pause and the end, and recovers after the bot is killed
// and restarted mid-session. Screenshots at 1920×1080 and 390×844 go to test/artifacts/; axe-core
// must find no serious or critical violation.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, sendSigned, slashBody } from '../adapters/slack/fake-slack.js';
import { ROOT, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { roomBotEnv } from '../support/room-bot-env.js';

const TEAM = 'T0001';
const CHANNEL = 'C0001';
const COORDINATOR = 'U0001';
const LEADER = 'U0002';
/**
 * 20×: the 45-minute preset's session takes 135 s, its 3-minute wrap up 9 s (its last two
 * minutes 6 s), which is long enough to look at each state and short enough to wait for.
 */
const SPEED = 20;
const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'room');

let fake: FakeSlack;
let bot: BotProcess | undefined;
let browser: Browser;
let dir: string;
let env: Record<string, string>;
let wide: Page;
let phone: Page;
let roomPath = '';
const origin = Date.now();

async function command(user: string, text: string, answered = true): Promise<string> {
  if (!bot) throw new Error('no bot');
  const body = slashBody(fake, { user_id: user, text, channel_id: CHANNEL, team_id: TEAM });
  const hook = new URLSearchParams(body).get('response_url')?.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
  const sent = await sendSigned(bot.port, 'slash-command', body);
  if (sent.status !== 200) throw new Error(`"${text}" refused with ${sent.status}`);
  if (!answered) return '';
  await fake.until(() => fake.hooks.some((h) => h.path === hook), 10_000);
  return JSON.stringify(fake.hooks.find((h) => h.path === hook)?.body ?? '');
}

const count = (event: string) => bot?.lines.filter((l) => l.event === event).length ?? 0;

/**
 * Sends a facilitator's command and waits until the bot stored it. A typed `next` moves on from
 * the phase the channel's card shows (service.ts, typedStep): one sent before the bot recorded the
 * card's redraw is refused as a stale press, by design, and answered "already moved on"; a
 * facilitator reading the card would send it again, and so does this, at most five times.
 */
async function steer(text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const steered = count('timer.steered') + count('timer.started');
    const stale = count('timer.stale-press');
    await command(LEADER, text, false);
    await fake
      .until(
        () => count('timer.steered') + count('timer.started') > steered || count('timer.stale-press') > stale,
        10_000,
      )
      .catch((error: unknown) => {
        // Say what the bot did instead (event names and codes only: its logs carry nothing typed).
        const last = bot?.lines.slice(-15).map((l) => `${l.event}${l.code ? ` ${l.code}` : ''}`);
        throw new Error(`"${text}" never steered the timer; the bot's last events: ${last?.join(', ')}`, {
          cause: error,
        });
      });
    if (count('timer.stale-press') === stale) return;
    if (attempt === 5) throw new Error(`"${text}" was refused as a stale press ${attempt} times`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const stateOf = (page: Page) => page.locator('body').getAttribute('data-state');
const textOf = (page: Page, id: string) => page.locator(`#${id}`).innerText();
async function until(page: Page, test: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`page never got there: ${await page.locator('main').innerText()}`);
    await page.waitForTimeout(50);
  }
}
const showsPhase = (page: Page, name: string) => until(page, async () => (await textOf(page, 'phase')) === name);
const seconds = (clock: string) => clock.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);

async function shoot(name: string): Promise<void> {
  await wide.screenshot({ path: join(ARTIFACTS, `${name}-1920x1080.png`) });
  await phone.screenshot({ path: join(ARTIFACTS, `${name}-390x844.png`) });
}

async function axe(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function startBot(): Promise<BotProcess> {
  bot = await startBotProcess('room', env);
  return bot;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'balint-room-'));
  fake = new FakeSlack({ directChannelPerUser: true });
  await fake.start();
  env = roomBotEnv({ apiUrl: fake.apiUrl, dir, coordinator: `slack:${TEAM}:${COORDINATOR}`, speed: SPEED, origin });
  await startBot();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // Playwright gives every launch a fresh, empty --user-data-dir of its own.
  });
  wide = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.stop();
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const open = (page: Page) => page.goto(`http://127.0.0.1:${bot?.port}${roomPath}`);

describe('the room display in Chromium', () => {
  it(
    'shows a session phase by phase, with its thresholds, pause, a bot restart and the end',
    { timeout: 300_000 },
    async () => {
      await command(COORDINATOR, 'group create Room Group program PA tz UTC preset 45');
      await command(COORDINATOR, `group add Room Group <@${LEADER}> as leader`);
      const answer = await command(LEADER, 'room');
      roomPath = /https:\/\/balint\.example\.edu(\/room\/[A-Za-z0-9_-]{32})/.exec(answer)?.[1] ?? '';
      expect(roomPath, answer).not.toBe('');
      // Nothing else goes out of the page: every request stays on the bot's own origin.
      const elsewhere: string[] = [];
      for (const page of [wide, phone]) {
        page.on('request', (r) => {
          if (!r.url().startsWith(`http://127.0.0.1:${bot?.port}/`)) elsewhere.push(r.url());
        });
        await open(page);
        await showsPhase(page, 'No session running');
      }
      expect(await stateOf(wide)).toBe('none');
      await shoot('no-session');
      expect(await axe(wide)).toEqual([]);

      // The case call counts up from zero.
      await steer('start');
      await showsPhase(wide, 'Case call');
      await showsPhase(phone, 'Case call');
      const early = seconds(await textOf(wide, 'time'));
      await wide.waitForTimeout(1_000);
      expect(seconds(await textOf(wide, 'time'))).toBeGreaterThan(early);
      expect(await textOf(wide, 'status')).toBe('Counting up · target 2 minutes');
      expect(await textOf(wide, 'rule')).toContain('no phones');
      expect(await textOf(wide, 'next')).toBe('Next: Presentation');
      expect(await textOf(wide, 'ends')).toMatch(/^Session ends at \d{1,2}:\d{2}/);
      await shoot('case-call');
      expect(await axe(wide)).toEqual([]);

      // The facilitator moves on; the presentation counts up too, against its target, and the page
      // says when the wrap up begins by the clock.
      await steer('next');
      await showsPhase(wide, 'Presentation');
      expect(await stateOf(wide)).toBe('running');
      const inPresentation = seconds(await textOf(wide, 'time'));
      // Counted from when the bot entered it (about now): within a real second of the bot.
      expect(inPresentation).toBeLessThanOrEqual(2 * SPEED);
      await wide.waitForTimeout(1_000);
      expect(seconds(await textOf(wide, 'time'))).toBeGreaterThan(inPresentation);
      expect(await textOf(wide, 'status')).toBe('Counting up · target 5 minutes');
      expect(await textOf(wide, 'next')).toBe('Next: Clarifying questions');
      expect(await textOf(wide, 'ends')).toMatch(/^Session ends at \d{1,2}:\d{2}.* · wrap up from \d{1,2}:\d{2}/);
      await shoot('running');
      expect(await axe(wide)).toEqual([]);

      // Next and pause, from the channel.
      await steer('next');
      await showsPhase(wide, 'Clarifying questions');
      await steer('pause');
      await until(wide, async () => (await stateOf(wide)) === 'paused');
      expect(await textOf(wide, 'status')).toBe('Paused');
      expect(await textOf(wide, 'ends')).toMatch(/^Wrap up \d+ minutes after resuming$/);
      const frozen = await textOf(wide, 'time');
      await wide.waitForTimeout(600);
      expect(await textOf(wide, 'time')).toBe(frozen);
      await shoot('paused');
      expect(await axe(wide)).toEqual([]);
      await steer('resume');
      await until(wide, async () => (await stateOf(wide)) === 'running');

      // The bot dies mid-session and comes back: the page keeps counting, reconnects by itself and
      // shows what the restarted bot says.
      const port = bot?.port;
      await bot?.kill9();
      await until(wide, async () => (await textOf(wide, 'link')) === 'Reconnecting…');
      env = { ...env, PORT: String(port) };
      await startBot();
      await until(wide, async () => (await textOf(wide, 'link')) === '', 20_000);
      await steer('next');
      await showsPhase(wide, 'Push back');
      await showsPhase(phone, 'Push back');
      await steer('next');
      await showsPhase(wide, 'Presenter returns');

      // Nobody presses anything: the wrap up begins by the clock, 3 minutes before the session's
      // end, with its own colour and a countdown.
      await until(wide, async () => (await textOf(wide, 'phase')) === 'Wrap up', 150_000);
      expect(await stateOf(wide)).toBe('wrapup');
      const atWrapUp = seconds(await textOf(wide, 'time'));
      expect(atWrapUp).toBeLessThanOrEqual(180);
      expect(atWrapUp).toBeGreaterThanOrEqual(180 - 2 * SPEED);
      expect(await textOf(wide, 'status')).toContain('it ends on the clock');
      await until(phone, async () => (await stateOf(phone)) === 'wrapup');
      await shoot('wrap-up');
      expect(await axe(wide)).toEqual([]);

      // Its last two minutes: the colour and the words change together, at 02:00.
      await until(wide, async () => (await stateOf(wide)) === 'last');
      const atSwitch = seconds(await textOf(wide, 'time'));
      expect(atSwitch).toBeLessThanOrEqual(120);
      expect(atSwitch).toBeGreaterThanOrEqual(120 - 2 * SPEED);
      expect(await textOf(wide, 'status')).toBe('Last two minutes: the wrap up ends on the clock');
      await until(phone, async () => (await stateOf(phone)) === 'last');
      await shoot('last-two-minutes');
      expect(await axe(wide)).toEqual([]);

      // The session ends at its fixed end, by itself; the page says so.
      await showsPhase(wide, 'Session ended');
      await showsPhase(phone, 'Session ended');
      expect(await stateOf(wide)).toBe('ended');
      await shoot('ended');

      // Never a name, a membership, or anything typed.
      for (const page of [wide, phone]) {
        const all = await page.locator('body').innerText();
        expect(all).not.toMatch(/Room Group|U000|slack:/);
      }
      expect(elsewhere).toEqual([]);
    },
  );

  it('loads the Teams client, from the bot itself, only when the page runs in Teams', { timeout: 30_000 }, async () => {
    const loaded = (page: Page) => page.evaluate(() => 'microsoftTeams' in window);
    expect(await loaded(wide)).toBe(false);
    const tab = await (await browser.newContext({ viewport: { width: 320, height: 720 } })).newPage();
    const requests: string[] = [];
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(`http://127.0.0.1:${bot?.port}${roomPath}?inTeams=1`);
    await until(tab, () => loaded(tab));
    expect(requests.filter((u) => u.endsWith('/teams.js'))).toEqual([
      `http://127.0.0.1:${bot?.port}${roomPath}/teams.js`,
    ]);
    expect(requests.every((u) => u.startsWith(`http://127.0.0.1:${bot?.port}/`))).toBe(true);
    // The side panel is narrow: no full-screen button there, the phase still shown.
    expect(await tab.locator('#fullscreen').isHidden()).toBe(true);
    await showsPhase(tab, 'Session ended');
    await tab.screenshot({ path: join(ARTIFACTS, 'teams-side-panel-320x720.png') });
    expect(await axe(tab)).toEqual([]);
  });
});
