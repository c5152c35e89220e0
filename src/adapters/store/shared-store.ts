// A store several instances share (Redis or Postgres), with what they need to coordinate over
// it: a lock backend (document locks, timer locks, the job lease) and job signals.
import type { Logger } from '../../core/ports.js';
import type { LockBackend } from '../lease/lock-backend.js';
import type { JobSignals } from '../lease/signals.js';
import type { KeyvStore } from './keyv-store.js';
import { openPostgresStore } from './postgres-store.js';
import { openRedisStore } from './redis-store.js';

export interface SharedStore {
  kind: 'redis' | 'postgres';
  store: KeyvStore;
  locks: LockBackend;
  signals: JobSignals;
  /** Names every key, table and channel of this deployment. */
  prefix: string;
}

export const isSharedStoreUrl = (url: string): boolean => /^(rediss?|postgres(ql)?):\/\//.test(url);

/** `prefix`: letters, digits and underscores (it names Postgres tables). */
export async function openSharedStore(url: string, prefix: string, logger: Logger): Promise<SharedStore> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix)) throw new RangeError('store prefix must be lower-case letters, digits and underscores');
  if (/^rediss?:\/\//.test(url)) return openRedisStore(url, prefix, logger);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, prefix, logger);
  throw new Error('not a shared store url');
}
