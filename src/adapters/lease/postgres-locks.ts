// LockBackend on Postgres: one row per lock with its holder's token and an expiry read from the
// database's own clock (so instances' clocks need not agree). An upsert takes a free or expired
// row; no connection is held while a lock is, so a pool (or PgBouncer) serves any number of them.
import type pg from 'pg';
import type { LockBackend } from './lock-backend.js';

export class PostgresLocks implements LockBackend {
  constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {}

  static createTable(table: string): string {
    return `CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL, fence BIGINT NOT NULL DEFAULT 0, fenced BOOLEAN NOT NULL DEFAULT false)`;
  }

  private async take(name: string, token: string, ttlMs: number, fenced: boolean): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ fence: string }>(
      `INSERT INTO ${this.table} AS l (name, token, expires_at, fence, fenced)
       VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond', 1, $4)
       ON CONFLICT (name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at, fence = l.fence + 1
       WHERE l.expires_at < clock_timestamp()
       RETURNING fence`,
      [name, token, ttlMs, fenced],
    );
    return rows[0] === undefined ? undefined : Number(rows[0].fence);
  }

  async tryAcquire(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.take(name, token, ttlMs, false)) !== undefined;
  }

  tryAcquireFenced(name: string, token: string, ttlMs: number): Promise<number | undefined> {
    return this.take(name, token, ttlMs, true);
  }

  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE ${this.table} SET expires_at = clock_timestamp() + $3 * interval '1 millisecond' WHERE name = $1 AND token = $2 AND expires_at > clock_timestamp()`,
      [name, token, ttlMs],
    );
    return result.rowCount === 1;
  }

  /** A plain lock's row goes; a fenced one's is only expired, so its counter only ever grows. */
  async release(name: string, token: string): Promise<void> {
    await this.pool.query(
      `WITH gone AS (DELETE FROM ${this.table} WHERE name = $1 AND token = $2 AND NOT fenced RETURNING 1)
       UPDATE ${this.table} SET expires_at = '-infinity' WHERE name = $1 AND token = $2 AND fenced`,
      [name, token],
    );
  }
}
