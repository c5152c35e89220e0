// JobSignals over Redis pub/sub: publishing uses the store's link (within its deadline),
// listening needs a connection of its own (a subscribed Redis connection can do nothing else).
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import type { RedisLink } from '../store/redis-link.js';
import type { RedisClient } from './redis-locks.js';
import type { JobSignals } from './signals.js';

export class RedisSignals implements JobSignals {
  private listener: RedisClient | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  publish(key: string): void {
    this.link
      .run((client) => client.publish(this.channel, key))
      .catch((error: unknown) => this.logger.warn('jobs.signal-failed', { code: errorCode(error) }));
  }

  async subscribe(onKey: (key: string) => void, onReconnect: () => void): Promise<void> {
    const listener = this.link.client.duplicate();
    listener.on('error', () => undefined); // reconnects on its own; the store's client logs trouble
    let first = true;
    listener.on('ready', () => {
      if (!first) onReconnect();
      first = false;
    });
    this.listener = listener as RedisClient;
    await listener.connect();
    await listener.subscribe(this.channel, (key) => onKey(key));
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (listener?.isOpen) await listener.close().catch(() => listener.destroy());
  }
}
