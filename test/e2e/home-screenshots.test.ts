// The App Home of each role as Slack was sent it (views.publish on the fake Web API, from the
// real route), drawn by a small HTML rendering of its blocks in Debian's Chromium and saved to
// test/artifacts/home/ (git-ignored; docs/images/home-*.png are copies). Each view is checked
// against Block Kit's limits, and each picture is of a page that shows what that role should see.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../src/adapters/log/pino-logger.js';
import { runServer, type RunningServer } from '../../src/app/run-server.js';
import { blockProblems } from '../adapters/slack/block-kit-limits.js';
import {
  FakeSlack,
  fixture,
  payloadBody,
  sendSigned,
  slackServerConfig,
  slashBody,
} from '../adapters/slack/fake-slack.js';
import { homeHtml } from '../support/block-kit-html.js';
import { LogSink } from '../support/harness.js';
import { projectRoot } from '../support/run-npm.js';

const ARTIFACTS = join(projectRoot, 'test', 'artifacts', 'home');
const NAMES = { U0001: 'cora (coordinator)', U0002: 'lee', U0003: 'ann', U0005: 'cal' };
const fake = new FakeSlack();
let server: RunningServer;
let browser: Browser;
let port = 0;

const path = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');

async function command(user: string, text: string, channel = 'C0001', answered = true): Promise<void> {
  const body = slashBody(fake, { user_id: user, text, channel_id: channel });
  const hook = path(new URLSearchParams(body).get('response_url') as string);
  expect((await sendSigned(port, 'slash-command', body)).status).toBe(200);
  if (answered) await fake.until(() => fake.hooks.some((h) => h.path === hook));
}

const publishesFor = (user: string) => fake.callsOf('views.publish').filter((c) => c.params.user_id === user);

async function openHome(user: string): Promise<Array<Record<string, unknown>>> {
  const before = publishesFor(user).length;
  const event = fixture<Record<string, unknown>>('event-app-home-opened.json');
  const opened = { ...event, event_id: `EvSHOT${user}${before}`, event: { ...(event.event as object), user } };
  await sendSigned(port, 'events-api', JSON.stringify(opened));
  await fake.until(() => publishesFor(user).length === before + 1);
  return (publishesFor(user).at(-1)?.params.view as { blocks: Array<Record<string, unknown>> }).blocks;
}

async function shoot(name: string, title: string, blocks: Array<Record<string, unknown>>): Promise<string> {
  expect(blockProblems(blocks, 'view')).toEqual([]);
  writeFileSync(join(ARTIFACTS, `${name}.json`), `${JSON.stringify(blocks, null, 2)}\n`);
  const page = await (await browser.newContext({ viewport: { width: 820, height: 600 } })).newPage();
  await page.setContent(homeHtml(title, blocks, NAMES));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const shown = await page.innerText('main');
  await page.context().close();
  return shown;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await fake.start();
  server = await runServer(
    slackServerConfig(fake, { publicUrl: 'https://balint.example.edu' }),
    createPinoLogger('info', new LogSink()),
  );
  port = server.port;
  const year = new Date().getUTCFullYear() + 1;
  await command('U0001', 'group create PA Cohort A program PA tz America/New_York');
  for (const name of ['PA Cohort B', 'PT Cohort A', 'PT Cohort B', 'OT Cohort A', 'OT Cohort B'])
    await command('U0001', `group create ${name} tz America/New_York`);
  for (let i = 1; i <= 8; i++) await command('U0001', `group create Elective ${i} tz America/Chicago`);
  await command('U0001', 'group add PA Cohort A <@U0002|lee> as leader');
  await command('U0001', 'group add PA Cohort A <@U0005|cal> as co-leader');
  await command('U0001', 'group add PA Cohort A <@U0003|ann> as member');
  await command('U0001', `schedule PA Cohort A ${year}-02-01 16:00 every week for 6 sessions`);
  await command('U0001', `schedule PT Cohort B ${year}-02-03 12:00`);
  await command('U0001', `rotation add <@U0003|ann> Surgery ${year}-01-04 ${year}-01-29`);
  await command('U0001', `rotation add <@U0003|ann> Pediatrics ${year}-02-01 ${year}-02-26`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake.stop();
});

describe('the App Home of each role, drawn', () => {
  it('a student: next sessions with their answer and the buttons, their rotations, their group', async () => {
    const shown = await shoot('home-student', 'Student', await openHome('U0003'));
    expect(shown).toContain('Your next sessions');
    expect(shown).toContain('Going');
    expect(shown).toContain('Your rotations');
    expect(shown).toContain('Pediatrics');
    expect(shown).toContain('Member · Physician Assistant Studies');
    expect(shown).not.toContain('Add people');
  });

  it('a facilitator: the running timer and its phase, their sessions, Schedule', async () => {
    await command('U0002', 'start PA Cohort A', 'C0007', false);
    await fake.until(() => fake.callsOf('chat.postMessage').some((c) => c.params.channel === 'C0007'));
    const shown = await shoot('home-facilitator', 'Facilitator', await openHome('U0002'));
    expect(shown).toContain('Running now');
    expect(shown).toContain('Phase ends');
    expect(shown).toContain('Schedule');
    expect(shown).toContain('Leader · Physician Assistant Studies');
  });

  it('a coordinator with many groups: the overview and the picker, then a group picked', async () => {
    const overview = await shoot('home-coordinator', 'Coordinator', await openHome('U0001'));
    expect(overview).toContain('14 groups, 12 with no session planned.');
    expect(overview).toContain('Pick a group');
    expect(overview).toContain('Import help');
    const blocks = publishesFor('U0001').at(-1)?.params.view as { blocks: Array<Record<string, unknown>> };
    const options = JSON.stringify(blocks);
    const group = /"text":"PA Cohort A","emoji":true\},"value":"(grp_[0-9a-f]+)"/.exec(options)?.[1] as string;
    expect(group).toMatch(/^grp_/);
    const before = publishesFor('U0001').length;
    const body = fixture<Record<string, unknown>>('block-actions-button.json');
    const pick: Record<string, unknown> = {
      ...body,
      user: { ...(body.user as object), id: 'U0001' },
      container: { type: 'view', view_id: 'VHOME1' },
      view: { id: 'VHOME1', type: 'home', callback_id: 'home', private_metadata: '', state: { values: {} } },
      actions: [{ type: 'static_select', action_id: 'home:group', selected_option: { value: group } }],
    };
    delete pick.response_url;
    delete pick.channel;
    await sendSigned(port, 'interactivity', payloadBody(pick));
    await fake.until(() => publishesFor('U0001').length > before);
    const picked = await shoot(
      'home-coordinator-picked',
      'Coordinator, a group picked',
      (publishesFor('U0001').at(-1)?.params.view as { blocks: Array<Record<string, unknown>> }).blocks,
    );
    expect(picked).toContain('Facilitators');
    expect(picked).toContain('@lee');
    expect(picked).toContain('Next session');
  });
});
