// The only doors out of the core. Adapters implement them; the core and the commands use
// nothing else to reach a chat platform, a database, the wall clock or a log.
import type { Card } from './cards.js';
import type { Place, UserId } from './plumbing/ids.js';

/** A handle on a message the bot posted, enough for the adapter to update it later. */
export interface MessageRef {
  place: Place;
  /** Platform message id (Slack ts, Teams activity id, console sequence number). */
  id: string;
}

/** Thrown by a ChatPort for a capability its platform lacks; the core then falls back. */
export class NotSupported extends Error {
  override readonly name = 'NotSupported';
  constructor(readonly capability: string) {
    super(`not supported: ${capability}`);
  }
}

export interface ChatPort {
  post(place: Place, card: Card): Promise<MessageRef>;
  update(ref: MessageRef, card: Card): Promise<void>;
  /** A message only `user` sees in `place`. Platforms without it throw NotSupported. */
  ephemeral(place: Place, user: UserId, card: Card): Promise<void>;
  direct(user: UserId, card: Card): Promise<MessageRef>;
  /** The person's IANA time zone from their platform profile, where the platform has one. */
  userTimeZone?(user: UserId): Promise<string | undefined>;
  /**
   * The platform user with this email (Slack users.lookupByEmail, the Teams roster), or
   * undefined when the platform knows nobody by it. Throws only when the platform could not be
   * asked (the caller asks again later). Rotation and roster imports name students by email.
   */
  userByEmail?(email: string): Promise<UserId | undefined>;
}

/**
 * Where a platform asked the bot to wait (a 429's Retry-After): a fact about a place's
 * workspace or conversation, not about one call, shared by every instance. The core asks
 * before a card refresh or a phase post and waits its turn instead of spending a request on a
 * refusal.
 */
export interface RateLimits {
  /** Epoch ms until which sends to `place` would be refused; undefined when they would not. Cached: cheap. */
  limitedUntil(place: Place): Promise<number | undefined>;
}

/**
 * Namespaced key/value documents. Values are JSON-serialisable aggregates.
 * `update` is the only way to change an aggregate that others may change at the same
 * time: it runs the change under a keyed lock, so two concurrent writers never lose an edit.
 */
export interface Store {
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  set<T>(namespace: string, key: string, value: T): Promise<void>;
  delete(namespace: string, key: string): Promise<boolean>;
  /**
   * Read, change and write one document under its lock. The change returns the new value,
   * `undefined` to delete it, or `unchanged` to write nothing.
   */
  update<T>(namespace: string, key: string, change: Change<T>): Promise<T | undefined>;
  entries<T>(namespace: string): AsyncIterable<[string, T]>;
  close(): Promise<void>;
}

export type Change<T> = (
  current: T | undefined,
) => T | undefined | typeof unchanged | Promise<T | undefined | typeof unchanged>;

/** Returned by a Store.update change to leave the document as it is. */
export const unchanged: unique symbol = Symbol('unchanged');

/**
 * Runs work under a named lock. In one process a KeyedLock; with several instances over one
 * store, a lock held in that store (adapters/lease), so two instances never interleave.
 */
export interface Locks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `fn` once at `time` (epoch ms), or at once if that has passed. */
  at(time: number, fn: () => void): Cancel;
}

/**
 * Every field a log line may carry. Nothing else gets through (see logger.ts): no text,
 * no message bodies, no command arguments.
 */
export interface LogFields {
  user?: UserId;
  actor?: UserId;
  place?: Place;
  group?: string;
  session?: string;
  command?: string;
  action?: string;
  outcome?: 'ok' | 'refused' | 'invalid' | 'not-found' | 'failed' | 'conflict';
  code?: string;
  count?: number;
  phase?: string;
  durationMs?: number;
  job?: string;
  jobKind?: string;
  platform?: string;
  store?: string;
  attempt?: number;
  lateMs?: number;
  /** Why a job was given up or paused (`transient`, `credentials`): a word, never a message. */
  reason?: string;
  /** The wait before a job's next attempt. */
  delayMs?: number;
  /** Epoch ms until which a job was worth delivering. */
  usefulUntil?: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}
