// What a shared store offers for coordination: a named lock that expires unless renewed, taken
// only by the token that holds it. Redis and Postgres implement it (redis-locks.ts,
// postgres-locks.ts); DistributedLocks and Lease are built on it and know neither.
export interface LockBackend {
  /** Takes `name` for `ttlMs` if nobody holds it (or the holder let it expire). */
  tryAcquire(name: string, token: string, ttlMs: number): Promise<boolean>;
  /** The same, and counts the acquisition: returns the new fencing token, or undefined when held by another. */
  tryAcquireFenced(name: string, token: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the lock if `token` still holds it. */
  renew(name: string, token: string, ttlMs: number): Promise<boolean>;
  /** Lets go if `token` still holds it; a fenced lock keeps its counter. */
  release(name: string, token: string): Promise<void>;
}
