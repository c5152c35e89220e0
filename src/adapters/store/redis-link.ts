// The one connection to Redis that the store, its locks and its signals share, with a deadline
// that holds once a command is on the wire. node-redis drops a command's timeout as soon as the
// command is written, so a server that freezes (accepts, answers nothing: a failover, a
// partition without a reset) held every request until it woke, and then ran them all late.
//
// Here every command races our own deadline; when it passes, the caller gets StoreUnavailable
// and the connection is reset (its pending commands fail at once, the next ones fail fast until
// a fresh connection is ready). A reset does not unsend anything: Redis runs what sits in its
// socket buffer when it wakes, disconnected client or not. So every write is fenced: it runs as
// a Lua script that reads the server's TIME and refuses to write after a deadline computed here
// (our monotonic clock plus the fence budget, moved onto the server's clock by the offset
// measured at each connect). The fence falls a second before our deadline, so a write either
// lands while we still wait for its answer or not at all.
import { performance } from 'node:perf_hooks';
import { createClient } from '@keyv/redis';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import type { RedisClient } from '../lease/redis-locks.js';

export interface RedisLinkOptions {
  /** How long a caller waits for any command. Default 5 s. */
  timeoutMs?: number;
  /** Called when a deadline passes and the connection is reset. */
  onReset?: () => void;
}

/** The reply of a fenced script that arrived after its deadline: it wrote nothing. */
const LATE = 'BALINT_LATE';
/** The reply of a write whose document lock is no longer its own: it wrote nothing. */
export const LOCK_LOST = 'BALINT_LOCK_LOST';

/** Prepended to a fenced script: ARGV[1] is the deadline (server epoch ms); the body's own arguments follow. */
const FENCE = `
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[1]) then
  return redis.error_reply('${LATE}')
end
`;

export class RedisLink {
  readonly client: RedisClient;
  readonly timeoutMs: number;
  /** How long before our own deadline the server's fence falls: a reply's way back. */
  private readonly fenceMs: number;
  /** Server epoch ms minus our performance.now(), measured at each connect. */
  private offset: number | undefined;
  private closed = false;

  constructor(
    url: string,
    private readonly options: RedisLinkOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.fenceMs = Math.max(0, this.timeoutMs - Math.min(1_000, this.timeoutMs / 5));
    this.client = createClient({
      url,
      // While not connected a command fails at once instead of waiting in a queue.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000) },
    }) as RedisClient;
    // Each namespace's keyv adapter listens to the one client: a few dozen listeners, not a leak.
    this.client.setMaxListeners(100);
    this.client.on('ready', () => void this.measure().catch(() => undefined));
  }

  /** Connects and measures the server's clock; throws on the first failure. */
  async connect(): Promise<void> {
    await this.client.connect();
    await this.measure();
  }

  /** Runs `command` within the deadline; past it, StoreUnavailable and a fresh connection. */
  async run<T>(command: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new StoreUnavailable();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.reset();
        reject(new StoreUnavailable());
      }, this.timeoutMs);
    });
    const work = command(this.client);
    // The command's own rejection (the reset flushing it) must not go unhandled once we gave up.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw error instanceof StoreUnavailable || isFenceRefusal(error) ? new StoreUnavailable({ cause: error }) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `body` (a Lua script over `keys` and `args`, which it sees from ARGV[2]) only if it
   * reaches the server before its fence. A late one, or one refused by the body (LOCK_LOST),
   * rejects with StoreUnavailable: nothing was written.
   */
  async write(body: string, keys: string[], args: string[]): Promise<unknown> {
    // Measured by connect(), before any write can be sent, and again on each reconnect.
    const offset = this.offset;
    if (offset === undefined) throw new StoreUnavailable();
    return this.run((client) => {
      const fence = Math.floor(performance.now() + offset + this.fenceMs);
      return client.eval(FENCE + body, { keys, arguments: [String(fence), ...args] });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.isOpen) await this.client.close().catch(() => this.client.destroy());
  }

  /**
   * Server time at our instant t1 is at least S (read before t1): taking S − t1 puts every fence
   * at or before the moment we give up, never after it.
   */
  private async measure(): Promise<void> {
    const reply = await this.run((client) => client.sendCommand<[string, string]>(['TIME']));
    const received = performance.now();
    this.offset = Number(reply[0]) * 1000 + Math.floor(Number(reply[1]) / 1000) - received;
  }

  /**
   * Drops the connection and everything waiting on it, and connects afresh. Only a ready
   * connection is reset: otherwise one is already being made. To a frozen server the new
   * connection's handshake waits too (commands fail fast meanwhile) and completes when it wakes.
   */
  private reset(): void {
    if (this.closed || !this.client.isReady) return;
    this.options.onReset?.();
    this.client.destroy();
    this.client.connect().catch(() => undefined);
  }
}

function isFenceRefusal(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return message.startsWith(LATE) || message.startsWith(LOCK_LOST);
}
