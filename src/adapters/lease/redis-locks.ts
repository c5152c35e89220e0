// LockBackend on Redis: SET NX PX for the lock, a Lua compare-and-delete to release (never
// someone else's lock), and a counter beside a fenced lock that INCR bumps on each acquisition.
// Taking and renewing are fenced writes (redis-link.ts): a request that reaches a server waking
// from a freeze after we gave up takes nothing, so it leaves no lock that nobody holds.
import type { RedisClientType } from '@keyv/redis';
import type { RedisLink } from '../store/redis-link.js';
import type { LockBackend } from './lock-backend.js';

// In each fenced script ARGV[1] is the fence (redis-link.ts); the arguments below start at ARGV[2].
const ACQUIRE = `return redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[3]) and 1 or 0`;
const ACQUIRE_FENCED = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[3]) then return redis.call('INCR', KEYS[2]) end
return false`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 0`;
// Not fenced: a late release can only delete our own lock, which is what we wanted.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type RedisClient = RedisClientType;

export class RedisLocks implements LockBackend {
  constructor(private readonly link: RedisLink) {}

  async tryAcquire(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.link.write(ACQUIRE, [name], [token, String(ttlMs)])) === 1;
  }

  async tryAcquireFenced(name: string, token: string, ttlMs: number): Promise<number | undefined> {
    const fence = await this.link.write(ACQUIRE_FENCED, [name, `${name}.fence`], [token, String(ttlMs)]);
    return typeof fence === 'number' ? fence : undefined;
  }

  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.link.write(RENEW, [name], [token, String(ttlMs)])) === 1;
  }

  async release(name: string, token: string): Promise<void> {
    await this.link.run((client) => client.eval(RELEASE, { keys: [name], arguments: [token] }));
  }
}
