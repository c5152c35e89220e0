// Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground), Microsoft's own local
// Teams client, run headless against a bot for the end-to-end tests. The test speaks to the
// Playground the way its web client does: it reads the mock tenant from GET /_internal/v1/config,
// posts what "the current user" types to POST /_conversation/v1/conversations/<id>/messages, and
// hears what the bot sends on the WebSocket /_ws_conversation/v1/conversations/stream.
// It runs on loopback only (loopback-only.mjs), with telemetry off and no browser.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { ROOT } from './bot-process.js';

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string };
  teams: { id: string; name: string; channels: { id: string; name: string }[] }[];
}

export interface PlaygroundMessage {
  action: string;
  actionConversationId: string;
  message: {
    messageId: string;
    from: { id: string };
    text?: string;
    attachments: { contentType: string; content: unknown }[];
  };
  /** When the test heard it (epoch ms). */
  seenAt: number;
}

export interface Playground {
  readonly port: number;
  readonly config: PlaygroundConfig;
  /** Everything the Playground pushed to its client since it started (the bot's messages). */
  readonly received: PlaygroundMessage[];
  /** Types `text` as the current user into a conversation; `mention` @mentions the bot first. */
  say(conversationId: string, text: string, options?: { mentionBot?: boolean }): Promise<void>;
  /** The first message the bot sent into `conversationId` after `since` that `match` accepts. */
  waitFor(
    conversationId: string,
    match: (m: PlaygroundMessage) => boolean,
    since?: number,
    timeoutMs?: number,
  ): Promise<PlaygroundMessage>;
  /** Its own output, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

const CLI = join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const PRELOAD = pathToFileURL(join(ROOT, 'test', 'support', 'loopback-only.mjs')).href;

type Child = ChildProcessByStdio<null, Readable, Readable>;

export async function startPlayground(botEndpoint: string, readyMs = 30_000): Promise<Playground> {
  const dir = mkdtempSync(join(tmpdir(), 'balint-playground-'));
  // It opens a browser with `open`, which wants xdg-open: TEAMSAPPTESTER_BROWSER=none says not
  // to, and a stub that does nothing covers a version that tries anyway.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const child: Child = spawn(
    process.execPath,
    ['--import', PRELOAD, CLI, '-e', botEndpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'],
    {
      cwd: dir,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        HOME: dir,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(force);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the Playground did not start: ${out.slice(0, 500)}`)), readyMs);
      const poll = setInterval(() => {
        const found = /Listening on (\d+)/.exec(out);
        if (found) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(Number(found[1]));
        }
      }, 10);
      child.once('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`the Playground exited with ${code}: ${out.slice(0, 500)}`));
      });
    });
    const base = `http://127.0.0.1:${port}`;
    const config = ((await (await fetch(`${base}/_internal/v1/config`)).json()) as { config: PlaygroundConfig }).config;

    // Node 20 has no WebSocket of its own; jsdom (a devDependency) brings one.
    const { window } = new JSDOM('', { url: `${base}/` });
    const received: PlaygroundMessage[] = [];
    const socket = new window.WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
    socket.addEventListener('message', (event: MessageEvent) => {
      received.push({ ...(JSON.parse(String(event.data)) as Omit<PlaygroundMessage, 'seenAt'>), seenAt: Date.now() });
    });
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error('the Playground WebSocket did not open')));
    });

    return {
      port,
      config,
      received,
      async say(conversationId, text, options = {}) {
        const tag = `<at>${config.bot.name}</at>`;
        const body = options.mentionBot
          ? {
              from: { id: config.currentUser.id },
              text: `${tag} ${text}`,
              textFormat: 'xml',
              mentions: [{ mentioned: { id: config.bot.id, name: config.bot.name }, text: tag }],
            }
          : { from: { id: config.currentUser.id }, text, textFormat: 'plain' };
        const res = await fetch(
          `${base}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
        );
        if (res.status !== 200)
          throw new Error(`the Playground refused the message: ${res.status} ${await res.text()}`);
      },
      async waitFor(conversationId, match, since = 0, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = received.find(
            (m) =>
              m.seenAt >= since &&
              m.action === 'createMessage' &&
              m.actionConversationId === conversationId &&
              m.message.from.id === config.bot.id &&
              match(m),
          );
          if (found) return found;
          if (Date.now() > deadline)
            throw new Error(
              `no matching bot message in ${conversationId}; got ${JSON.stringify(received).slice(0, 800)}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      output: () => out,
      async stop() {
        socket.close();
        window.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A message's visible text: its text and every TextBlock and fact of its Adaptive Cards. */
export function visibleText(m: PlaygroundMessage): string {
  const parts: string[] = [m.message.text ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') parts.push(o[key]);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.message.attachments.map((a) => a.content));
  return parts.join('\n');
}
