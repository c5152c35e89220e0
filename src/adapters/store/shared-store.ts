// A store several instances share (Redis or Postgres), with what they need to coordinate over
// it: a lock backend (document locks, timer locks, the job lease) and job signals.
// The Redis and Postgres drivers are loaded only for the store chosen: together they hold about
// 20 MB of a process's memory, which a bot on SQLite would otherwise carry for nothing.
import type { Logger } from '../../core/ports.js';
import type { SharedStore } from './shared-store-parts.js';

export type { SharedStore } from './shared-store-parts.js';

export const isSharedStoreUrl = (url: string): boolean => /^(rediss?|postgres(ql)?):\/\//.test(url);

/** `prefix`: letters, digits and underscores (it names Postgres tables). */
export async function openSharedStore(url: string, prefix: string, logger: Logger): Promise<SharedStore> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix))
    throw new RangeError('store prefix must be lower-case letters, digits and underscores');
  if (/^rediss?:\/\//.test(url)) return (await import('./redis-store.js')).openRedisStore(url, prefix, logger);
  if (/^postgres(ql)?:\/\//.test(url))
    return (await import('./postgres-store.js')).openPostgresStore(url, prefix, logger);
  throw new Error('not a shared store url');
}
