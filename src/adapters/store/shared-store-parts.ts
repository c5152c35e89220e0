// What a store several instances share (Redis or Postgres) hands the composition root. Its own
// file, so that shared-store.ts (which opens one) and the Redis and Postgres files (which build
// one) both depend on it without depending on each other.
import type { LockBackend } from '../lease/lock-backend.js';
import type { JobSignals } from '../lease/signals.js';
import type { KeyvStore } from './keyv-store.js';

export interface SharedStore {
  kind: 'redis' | 'postgres';
  store: KeyvStore;
  locks: LockBackend;
  signals: JobSignals;
  /** Timer changes by channel, for the room display's streams on every instance. */
  roomSignals: JobSignals;
  /** Names every key, table and channel of this deployment. */
  prefix: string;
}
