// The store on Postgres (@keyv/postgres), one pool for every namespace. @keyv/postgres keeps a
// single module-wide pool per URL and ends it on any namespace's disconnect, so each adapter
// here queries our pool instead and closing is ours too. Keys are collated "C" so that a
// namespace's iteration (LIKE 'ns:%') walks the primary key index.
import KeyvPostgres from '@keyv/postgres';
import pg from 'pg';
import { errorCode } from '../../core/plumbing/logger.js';
import type { Logger } from '../../core/ports.js';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';
import { DistributedLocks } from '../lease/distributed-locks.js';
import { PostgresLocks } from '../lease/postgres-locks.js';
import { PostgresSignals } from '../lease/postgres-signals.js';
import { KeyvStore } from './keyv-store.js';
import type { SharedStore } from './shared-store-parts.js';

export async function openPostgresStore(url: string, prefix: string, logger: Logger): Promise<SharedStore> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  let down = false;
  pool.on('error', (error) => {
    if (!down) logger.warn('store.unavailable', { store: 'postgres', code: errorCode(error) });
    down = true;
  });
  pool.on('connect', () => {
    down = false;
  });
  const documents = `${prefix}_documents`;
  const lockTable = `${prefix}_locks`;
  try {
    await createTables(pool, [
      `CREATE TABLE IF NOT EXISTS ${documents} (key TEXT COLLATE "C" PRIMARY KEY, value TEXT)`,
      PostgresLocks.createTable(lockTable),
    ]);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreUnavailable({ cause: error });
  }
  class OnSharedPool extends KeyvPostgres {
    override async connect() {
      return async (sql: string, values?: unknown[]) => (await pool.query(sql, values)).rows;
    }
    override async disconnect(): Promise<void> {}
  }
  const locks = new PostgresLocks(pool, lockTable);
  const store = new KeyvStore(() => new OnSharedPool({ table: documents, iterationLimit: 1_000 }), {
    locks: new DistributedLocks(locks, { prefix: 'doc.' }),
    close: () => pool.end(),
  });
  return {
    kind: 'postgres',
    store,
    locks,
    signals: new PostgresSignals(pool, url, `${prefix}_jobs`, logger),
    roomSignals: new PostgresSignals(pool, url, `${prefix}_room`, logger),
    prefix,
  };
}

/** Any fixed number: the advisory lock that lets one instance at a time create the tables. */
const SCHEMA_LOCK = 0x6261_6c69;

/**
 * Two instances starting at once on a new database both run CREATE TABLE IF NOT EXISTS, and one
 * of them fails (a unique violation in pg_type: IF NOT EXISTS is not safe against a concurrent
 * create). Under a transaction-scoped advisory lock they take turns; the second finds the tables.
 */
async function createTables(pool: pg.Pool, statements: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
