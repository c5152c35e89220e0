// One namespace's documents on Redis: @keyv/redis for the key layout (existing data reads the
// same), with every call bounded by the link's deadline and the writes fenced (redis-link.ts).
// A write under a shared document lock also checks, as it lands, that the lock is still ours.
import KeyvRedis from '@keyv/redis';
import { heldLock } from '../lease/distributed-locks.js';
import type { RedisClient } from '../lease/redis-locks.js';
import { LOCK_LOST, type RedisLink } from './redis-link.js';

// ARGV[1] is the fence; KEYS[2] and ARGV[2], when a lock is held, the lock and the token that must hold it.
const OWNS_LOCK = `
if KEYS[2] and redis.call('GET', KEYS[2]) ~= ARGV[2] then return redis.error_reply('${LOCK_LOST}') end
`;
const SET = `${OWNS_LOCK}
if ARGV[4] ~= '' then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) else redis.call('SET', KEYS[1], ARGV[3]) end
return 1`;
const DELETE = `${OWNS_LOCK}
return redis.call('DEL', KEYS[1])`;

export class RedisDocuments extends KeyvRedis<string> {
  constructor(private readonly link: RedisLink) {
    super(link.client, { throwOnErrors: true, throwOnConnectError: true });
  }

  /** The link connects and reconnects; keyv's adapter must not try it on its own. */
  override async getClient(): Promise<RedisClient> {
    return this.link.client;
  }

  override async get<U = string>(key: string): Promise<U | undefined> {
    return this.link.run(() => super.get<U>(key));
  }

  override async set(key: string, value: string, ttl?: number): Promise<void> {
    const lock = heldLock();
    const keys = [this.createKeyPrefix(key, this.namespace), ...(lock ? [lock.name] : [])];
    await this.link.write(SET, keys, [lock?.token ?? '', value, ttl ? String(ttl) : '']);
  }

  override async delete(key: string): Promise<boolean> {
    const lock = heldLock();
    const keys = [this.createKeyPrefix(key, this.namespace), ...(lock ? [lock.name] : [])];
    return (await this.link.write(DELETE, keys, [lock?.token ?? ''])) === 1;
  }

  override async *iterator<U = string>(namespace?: string): AsyncGenerator<[string, U | undefined], void, unknown> {
    const rows = super.iterator<U>(namespace);
    for (;;) {
      const step = await this.link.run(() => rows.next());
      if (step.done) return;
      yield step.value;
    }
  }
}
