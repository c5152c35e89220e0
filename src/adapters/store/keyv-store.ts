// The Store port over keyv. One Keyv per namespace (keyv keeps the namespace on its adapter
// object, so namespaces must not share one; a shared store's adapters share one client or pool).
// Read-modify-write goes through a lock: in-process by default, held in Redis or Postgres when
// several instances share the store. Any failure of the backend itself surfaces as
// StoreUnavailable, which commands answer with "try again in a moment".
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { KeyedLock } from '../../core/plumbing/keyed-lock.js';
import { unchanged, type Change, type Locks, type Store } from '../../core/ports.js';
import { StoreUnavailable, isStoreUnavailable } from '../../core/plumbing/store-unavailable.js';

export type AdapterFactory = () => KeyvStoreAdapter | Map<unknown, unknown>;

export interface KeyvStoreOptions {
  /** Prepended to each namespace in the backend (several deployments or test runs in one Redis). */
  namespacePrefix?: string;
  /** The lock for read-modify-write; default in-process only. */
  locks?: Locks;
  /** Closes the shared client or pool, instead of disconnecting each namespace's adapter. */
  close?: () => Promise<void>;
}

export class KeyvStore implements Store {
  private readonly spaces = new Map<string, Keyv>();
  private readonly lock: Locks;

  /** `makeAdapter` returns a fresh backend per namespace; without it, memory. */
  constructor(
    private readonly makeAdapter?: AdapterFactory,
    private readonly options: KeyvStoreOptions = {},
  ) {
    this.lock = options.locks ?? new KeyedLock();
  }

  protected space(namespace: string): Keyv {
    let keyv = this.spaces.get(namespace);
    if (!keyv) {
      keyv = new Keyv({
        namespace: `${this.options.namespacePrefix ?? ''}${namespace}`,
        // Without this keyv answers a failed read with `undefined`: a document would seem missing.
        throwOnErrors: true,
        ...(this.makeAdapter ? { store: this.makeAdapter() } : {}),
      });
      // keyv re-emits backend errors as events; without a listener Node would crash.
      keyv.on('error', () => undefined);
      this.spaces.set(namespace, keyv);
    }
    return keyv;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    return backend(async () => (await this.space(namespace).get<T>(key)) ?? undefined);
  }

  async set<T>(namespace: string, key: string, value: T): Promise<void> {
    await this.lock.run(lockName(namespace, key), () => this.write(namespace, key, value));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.lock.run(lockName(namespace, key), () => backend(() => this.space(namespace).delete(key)));
  }

  async update<T>(namespace: string, key: string, change: Change<T>): Promise<T | undefined> {
    return this.lock.run(lockName(namespace, key), async () => {
      const current = await this.get<T>(namespace, key);
      const next = await change(current);
      if (next === unchanged) return current;
      if (next === undefined) await backend(() => this.space(namespace).delete(key));
      else await this.write(namespace, key, next);
      return next;
    });
  }

  async *entries<T>(namespace: string): AsyncIterable<[string, T]> {
    const keyv = this.space(namespace);
    const iterator = keyv.iterator;
    if (!iterator) throw new Error('store backend cannot iterate');
    // Some adapters (@keyv/postgres) end an iteration early on a failed page and only emit an
    // error: a short list must not pass for the whole one.
    let failure: unknown;
    const onError = (error: unknown) => (failure ??= error);
    keyv.on('error', onError);
    try {
      const rows = iterator(keyv.namespace) as AsyncIterable<[string, T]>;
      for await (const [key, value] of backendIterable(rows)) {
        if (value !== undefined) yield [key, value];
      }
    } finally {
      keyv.off('error', onError);
    }
    if (failure !== undefined) throw new StoreUnavailable({ cause: failure });
  }

  /** The namespaces this instance has opened (tests use it to read everything back). */
  namespaces(): string[] {
    return [...this.spaces.keys()];
  }

  async close(): Promise<void> {
    const spaces = [...this.spaces.values()];
    this.spaces.clear();
    if (this.options.close) await this.options.close();
    else await Promise.all(spaces.map((keyv) => keyv.disconnect().catch(() => undefined)));
  }

  private async write<T>(namespace: string, key: string, value: T): Promise<void> {
    const ok = await backend(() => this.space(namespace).set(key, value));
    // keyv reports a failed backend write as `false`, not as an exception.
    if (!ok) throw new StoreWriteError(namespace);
  }
}

/** One name per document; ':' rather than NUL, which Postgres text cannot hold. */
const lockName = (namespace: string, key: string): string => `${namespace}:${key}`;

async function backend<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isStoreUnavailable(error) || error instanceof StoreWriteError
      ? error
      : new StoreUnavailable({ cause: error });
  }
}

async function* backendIterable<T>(rows: AsyncIterable<T>): AsyncIterable<T> {
  const it = rows[Symbol.asyncIterator]();
  for (;;) {
    const step = await backend(() => it.next());
    if (step.done) return;
    yield step.value;
  }
}

export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  readonly code = 'store_write_failed';
  constructor(namespace: string) {
    super(`could not write to namespace ${namespace}`);
  }
}
