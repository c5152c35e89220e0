// Chooses the store from STORE_URL: sqlite://path (the embedded default) or memory://.
// Redis and Postgres, which several instances share, open through shared-store.ts.
import type { Store } from '../../core/ports.js';
import { KeyvStore } from './keyv-store.js';
import { SqliteStore } from './sqlite-store.js';

export function sqlitePath(url: string): string {
  return url.slice('sqlite://'.length);
}

export function openStore(url: string): Store {
  if (url === 'memory://' || url === 'memory:') return new KeyvStore();
  if (url.startsWith('sqlite://')) return new SqliteStore(sqlitePath(url));
  throw new Error(`unsupported store url scheme (redis:// and postgres:// open with openSharedStore)`);
}
