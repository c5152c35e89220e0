// JobSignals over Postgres LISTEN/NOTIFY: publishing goes through the pool, listening holds one
// connection of its own, opened again (with a resync) whenever it drops.
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import type { JobSignals } from './signals.js';

export class PostgresSignals implements JobSignals {
  private listener: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  publish(key: string): void {
    this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, key])
      .catch((error: unknown) => this.logger.warn('jobs.signal-failed', { code: errorCode(error) }));
  }

  async subscribe(onKey: (key: string) => void, onReconnect: () => void): Promise<void> {
    const listen = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2_000 });
      client.on('notification', (message) => {
        if (message.channel === this.channel && message.payload) onKey(message.payload);
      });
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.closed || this.listener !== client) return;
        void (async () => {
          for (let delay = 100; !this.closed; delay = Math.min(delay * 2, 2_000)) {
            await sleep(delay);
            if (this.closed) return;
            try {
              await listen();
              onReconnect();
              return;
            } catch {
              // still down: try again
            }
          }
        })();
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      // Closed while this connection was being opened (a stop during a reconnect): let it go.
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
    };
    await listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }
}
