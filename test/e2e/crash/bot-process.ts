// The real bot process (`node --import tsx src/main.ts`) for the crash tests: started with a
// given environment, ready once it logs `bot.start` (which carries its port), and killed with
// SIGKILL, the way a crash or an OOM kill ends it: no shutdown hook runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface LogLine { event: string; level: number; time: string; [field: string]: unknown }

export class BotProcess {
  /** Every JSON log line of this process, in order. */
  readonly logs: LogLine[] = [];
  /** Anything on stderr that is not a JSON log line (a crash's stack, a config error). */
  readonly otherOutput: string[] = [];
  readonly startedAt = Date.now();
  readyAt = 0;
  port = 0;
  private readonly exited: Promise<number | null>;
  private buffered = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => this.read(chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => this.otherOutput.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Spawns the bot and waits for `bot.start`; fails after `timeoutMs`. */
  static async start(env: Record<string, string>, timeoutMs = 20_000): Promise<BotProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child);
    const end = Date.now() + timeoutMs;
    while (!bot.port) {
      if (child.exitCode !== null || Date.now() > end) {
        child.kill('SIGKILL');
        throw new Error(`the bot did not start (exit ${child.exitCode}): ${bot.otherOutput.join('').slice(0, 500)}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return bot;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** kill -9, then wait until the process is gone. Returns when it was killed (epoch ms). */
  async kill9(): Promise<number> {
    const at = Date.now();
    this.child.kill('SIGKILL');
    await this.exited;
    return at;
  }

  /** A clean stop (SIGTERM): the bot closes its server and store. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  events(name: string): LogLine[] {
    return this.logs.filter((l) => l.event === name);
  }

  private read(text: string): void {
    this.buffered += text;
    const lines = this.buffered.split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as LogLine;
        this.logs.push(parsed);
        if (parsed.event === 'bot.start' && typeof parsed.count === 'number') {
          this.port = parsed.count;
          this.readyAt = Date.now();
        }
      } catch {
        this.otherOutput.push(line);
      }
    }
  }
}
