// The terminal chat with PORT set runs the bot's web server too: the room display link that
// `/balint room` prints opens the page, and its stream shows the session started in the terminal.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/bot-process.js';
import { openSse } from '../support/sse-client.js';

const dir = mkdtempSync(join(tmpdir(), 'balint-terminal-room-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the terminal chat with PORT set', () => {
  it('serves the room display of the terminal channel', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        STORE_URL: `sqlite://${join(dir, 'balint.sqlite')}`,
        PORT: '0',
        BALINT_PUBLIC_URL: 'http://localhost:3000',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const until = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (let waited = 0; waited < 15_000; waited += 20) {
        const found = pattern.exec(out);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`never printed ${pattern}: ${out.slice(-500)}`);
    };
    try {
      const port = (await until(/web pages are served on port (\d+)/))[1];
      child.stdin.write('/balint group create Terminal Room preset 45\n/balint room Terminal Room\n');
      const path = (await until(/http:\/\/localhost:3000(\/room\/[A-Za-z0-9_-]{32})/))[1];
      const page = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Balint session timer');
      const stream = await openSse(`http://127.0.0.1:${port}${path}/events`);
      await stream.next((e) => e.event === 'view' && e.data.includes('"status":"none"'));
      child.stdin.write('/balint start Terminal Room\n');
      await stream.next((e) => e.event === 'view' && e.data.includes('"phase":"case-call"'));
      stream.close();
      expect((await fetch(`http://127.0.0.1:${port}/room/${'A'.repeat(32)}`)).status).toBe(404);
    } finally {
      // A running session keeps the terminal chat open until it ends: stop it here.
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  });
});
