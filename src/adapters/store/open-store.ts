// Chooses the store from STORE_URL: sqlite://path (the embedded default) or memory://.
// Redis and Postgres, which several instances share, open through shared-store.ts.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import type { Store } from '../../core/ports.js';
import { KeyvStore } from './keyv-store.js';

export function sqlitePath(url: string): string {
  return url.slice('sqlite://'.length);
}

export function openStore(url: string): Store {
  if (url === 'memory://' || url === 'memory:') return new KeyvStore();
  if (url.startsWith('sqlite://')) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    // @keyv/sqlite iterates in pages, recursing once per page (10 rows by default): large pages
    // keep start-up fast and the stack shallow when 100,000 jobs are re-armed.
    return new KeyvStore(() => new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 10_000, iterationLimit: 100_000 }));
  }
  throw new Error(`unsupported store url scheme (redis:// and postgres:// open with openSharedStore)`);
}
