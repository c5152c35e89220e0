// Redis and PostgreSQL for the suites that need a real one (both run on CI and usually here, at
// their standard loopback ports). Without one the suite is skipped with its reason printed;
// with BALINT_REQUIRE_SERVICES=1 (as in .ci/run) a missing service fails the run instead.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { describe, it } from 'vitest';
import { silentLogger } from '../../src/core/plumbing/logger.js';
import { openSharedStore, type SharedStore } from '../../src/adapters/store/shared-store.js';

export const REDIS_URL = process.env.BALINT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env.BALINT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function tcpReason(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(1_000, () => done(`nothing answers at ${hostname}:${port} (timeout)`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(`nothing answers at ${hostname}:${port} (${error.code ?? 'error'})`),
    );
  });
}

/** True when the service answers. Otherwise prints why its suites are skipped, or throws when required. */
export async function serviceAvailable(name: 'Redis' | 'PostgreSQL'): Promise<boolean> {
  const reason = await tcpReason(name === 'Redis' ? REDIS_URL : POSTGRES_URL);
  if (reason === undefined) return true;
  if (process.env.BALINT_REQUIRE_SERVICES === '1')
    throw new Error(`${name} is required (BALINT_REQUIRE_SERVICES=1) but ${reason}`);
  console.warn(`SKIPPED: the ${name} suites, because ${reason}. Set BALINT_REQUIRE_SERVICES=1 to make this a failure.`);
  return false;
}

/** A prefix no other test file or run uses. */
export const runPrefix = (): string => `bt_${randomBytes(5).toString('hex')}`;

export const urlOf = (kind: 'redis' | 'postgres'): string => (kind === 'redis' ? REDIS_URL : POSTGRES_URL);

/** Opens a shared store under `prefix`: a separate client or pool each time, as another process would have. */
export function openShared(kind: 'redis' | 'postgres', prefix: string): Promise<SharedStore> {
  return openSharedStore(urlOf(kind), prefix, silentLogger);
}

/** Removes everything a test run left under `prefix`. */
export async function dropPrefix(kind: 'redis' | 'postgres', prefix: string): Promise<void> {
  if (kind === 'redis') {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}.*`, COUNT: 1000 }))
      if (keys.length > 0) await client.del(keys);
    await client.close();
    return;
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${prefix}_documents, ${prefix}_locks`);
  await client.end();
}

export type SharedKind = 'redis' | 'postgres';

/**
 * One describe block per shared store, titled `title` with `%s` the kind. A store whose service
 * does not answer gets one skipped test naming the printed reason (or, with
 * BALINT_REQUIRE_SERVICES=1, fails the file): the skip policy lives here, not in each file.
 */
export async function describeOnServices(title: string, body: (kind: SharedKind) => void): Promise<void> {
  const kinds: Array<[SharedKind, boolean]> = [
    ['redis', await serviceAvailable('Redis')],
    ['postgres', await serviceAvailable('PostgreSQL')],
  ];
  describe.each(kinds)(title, (kind, available) => {
    if (!available) {
      it.skip('needs its service (see the SKIPPED line above)', () => undefined);
      return;
    }
    body(kind);
  });
}
