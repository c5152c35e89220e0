// A real bot process (`node --import tsx src/main.ts`) for tests and benchmarks that need
// separate processes: its log lines are read from stderr (JSON, one event a line), its port
// from the `bot.start` line (PORT=0 picks a free one), and `kill9` ends it the way a crash does.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface LogLine {
  level: number;
  event: string;
  /** When pino wrote it (ISO), on the process's own clock (a scaled one in the crash tests). */
  time: string;
  count?: number;
  code?: string;
  /** When this process wrote it (real time, epoch ms), as the parent read it. */
  seenAt: number;
  [field: string]: unknown;
}

export interface BotProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly lines: LogLine[];
  /** Real epoch ms: when it was spawned, and when its `bot.start` line was read. */
  readonly startedAt: number;
  readonly readyAt: number;
  /** Anything on stdout, and anything on stderr that is not a JSON log line (a stack trace). */
  readonly otherOutput: string[];
  alive(): boolean;
  /** The lease's fence while this process last said it gained the lease and has not lost it since. */
  leaseFence(): number | undefined;
  /**
   * SIGKILL: no shutdown, the lease and any lock it holds stay in the store until they expire.
   * Resolves once it is gone, with the moment it was killed (epoch ms).
   */
  kill9(): Promise<number>;
  /** SIGTERM: the bot's own clean shutdown (the lease is let go). */
  stop(): Promise<void>;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

const exited = (child: Child) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

/** Starts the bot with `env` (added to PATH and HOME only) and resolves once it listens. */
export async function startBotProcess(
  name: string,
  env: Record<string, string>,
  readyMs = 30_000,
): Promise<BotProcess> {
  const startedAt = Date.now();
  const child: Child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const otherOutput: string[] = [];
  let rest = '';
  const other = (text: string) => otherOutput.push(text);
  child.stdout.on('data', (chunk: Buffer) => other(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    const seenAt = Date.now();
    rest += chunk.toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.trim()) continue;
      try {
        lines.push({ ...(JSON.parse(part) as Record<string, unknown>), seenAt } as LogLine);
      } catch {
        other(part);
      }
    }
  });
  const { port, readyAt } = await new Promise<{ port: number; readyAt: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${readyMs} ms`));
    }, readyMs);
    const poll = setInterval(() => {
      const start = lines.find((l) => l.event === 'bot.start');
      if (start && typeof start.count === 'number') {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ port: start.count, readyAt: start.seenAt });
      }
    }, 5);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it started: ${otherOutput.join('\n').slice(0, 500)}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid ?? 0,
    port,
    lines,
    startedAt,
    readyAt,
    otherOutput,
    alive,
    leaseFence() {
      if (!alive()) return undefined;
      const last = lines.filter((l) => l.event === 'lease.gained' || l.event === 'lease.lost').at(-1);
      return last?.event === 'lease.gained' ? last.count : undefined;
    },
    async kill9() {
      const at = Date.now();
      child.kill('SIGKILL');
      await exited(child);
      return at;
    },
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(force);
    },
  };
}

/** The process that holds the lease now by its own log (the highest fence among the living). */
export function leaseHolder(processes: readonly BotProcess[]): BotProcess | undefined {
  let best: BotProcess | undefined;
  for (const p of processes) {
    const fence = p.leaseFence();
    if (fence !== undefined && (best === undefined || fence > (best.leaseFence() ?? -1))) best = p;
  }
  return best;
}
