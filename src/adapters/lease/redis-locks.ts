// LockBackend on Redis: SET NX PX for the lock, a Lua compare-and-delete to release (never
// someone else's lock), and a counter beside a fenced lock that INCR bumps on each acquisition.
import type { RedisClientType } from '@keyv/redis';
import type { LockBackend } from './lock-backend.js';

const ACQUIRE_FENCED = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return false`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type RedisClient = RedisClientType;

export class RedisLocks implements LockBackend {
  constructor(private readonly client: RedisClient) {}

  async tryAcquire(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
  }

  async tryAcquireFenced(name: string, token: string, ttlMs: number): Promise<number | undefined> {
    const fence = await this.client.eval(ACQUIRE_FENCED, {
      keys: [name, `${name}.fence`],
      arguments: [token, String(ttlMs)],
    });
    return typeof fence === 'number' ? fence : undefined;
  }

  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.client.eval(RENEW, { keys: [name], arguments: [token, String(ttlMs)] })) === 1;
  }

  async release(name: string, token: string): Promise<void> {
    await this.client.eval(RELEASE, { keys: [name], arguments: [token] });
  }
}
