// Issue 15, item 5: a store that cannot be reached or written at start-up is one line naming
// the scheme and host (or the file) and the reason, and exit code 2 within 10 s, for `npm start`
// (server and terminal) and the CLI alike. Runs the compiled entry points, as `npm start` does.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function run(script: string, args: string[], env: Record<string, string>) {
  const started = Date.now();
  return new Promise<{ code: number | null; stderr: string; stdout: string; ms: number }>((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: tmpdir(), // no .env file from the repository
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, stdout, ms: Date.now() - started });
    });
  });
}

const MAIN = join(ROOT, 'dist', 'main.js');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SLACK = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_API_URL: 'http://127.0.0.1:1/api/',
};
const csv = join(tmpdir(), `i15-roster-${process.pid}.csv`);
writeFileSync(csv, 'email,group\n');

const cases: Array<[string, string, string]> = [
  ['redis://127.0.0.1:1', 'STORE_URL: cannot reach redis at 127.0.0.1:1 (connection refused)', ''],
  [
    'postgres://balint:pw-not-shown@127.0.0.1:1/x',
    'STORE_URL: cannot reach postgres at 127.0.0.1:1 (connection refused)',
    '',
  ],
  ['sqlite:///proc/x.sqlite', 'STORE_URL: cannot write /proc/x.sqlite (', ''],
];

describe('a store that cannot be used at start-up', () => {
  for (const [url, line] of cases) {
    for (const [name, script, args, env] of [
      ['npm start (server)', MAIN, [], SLACK],
      ['npm start (terminal)', MAIN, [], {}],
      ['the CLI import', CLI, ['import', 'roster', csv], {}],
    ] as const) {
      it(`${name} with ${url.split(':')[0]}: one line, exit 2, within 10 s`, async () => {
        const result = await run(script, [...args], { STORE_URL: url, ...env });
        expect(result.code).toBe(2);
        expect(result.ms).toBeLessThan(10_000);
        const lines = result.stderr.split('\n').filter(Boolean);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(line);
        expect(result.stderr + result.stdout).not.toContain('pw-not-shown');
      }, 20_000);
    }
  }
});
