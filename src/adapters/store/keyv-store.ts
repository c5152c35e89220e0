// The Store port over keyv. One Keyv per namespace (keyv keeps the namespace on its store
// object, so namespaces must not share one). Read-modify-write goes through a keyed lock.
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import { KeyedLock } from '../../core/keyed-lock.js';
import { unchanged, type Change, type Store } from '../../core/ports.js';

export type AdapterFactory = () => KeyvStoreAdapter | Map<unknown, unknown>;

export class KeyvStore implements Store {
  private readonly spaces = new Map<string, Keyv>();
  private readonly lock = new KeyedLock();

  /** `makeAdapter` returns a fresh backend per namespace; without it, memory. */
  constructor(private readonly makeAdapter?: AdapterFactory) {}

  private space(namespace: string): Keyv {
    let keyv = this.spaces.get(namespace);
    if (!keyv) {
      keyv = new Keyv({ namespace, ...(this.makeAdapter ? { store: this.makeAdapter() } : {}) });
      // keyv re-emits backend errors as events; without a listener Node would crash.
      keyv.on('error', () => undefined);
      this.spaces.set(namespace, keyv);
    }
    return keyv;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    return (await this.space(namespace).get<T>(key)) ?? undefined;
  }

  async set<T>(namespace: string, key: string, value: T): Promise<void> {
    await this.lock.run(`${namespace}\u0000${key}`, () => this.write(namespace, key, value));
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.lock.run(`${namespace}\u0000${key}`, () => this.space(namespace).delete(key));
  }

  async update<T>(
    namespace: string,
    key: string,
    change: Change<T>,
  ): Promise<T | undefined> {
    return this.lock.run(`${namespace}\u0000${key}`, async () => {
      const current = await this.get<T>(namespace, key);
      const next = await change(current);
      if (next === unchanged) return current;
      if (next === undefined) await this.space(namespace).delete(key);
      else await this.write(namespace, key, next);
      return next;
    });
  }

  async *entries<T>(namespace: string): AsyncIterable<[string, T]> {
    const iterator = this.space(namespace).iterator;
    if (!iterator) throw new Error('store backend cannot iterate');
    for await (const [key, value] of iterator(namespace) as AsyncIterable<[string, T]>) {
      if (value !== undefined) yield [key, value];
    }
  }

  /** The namespaces this instance has opened (tests use it to read everything back). */
  namespaces(): string[] {
    return [...this.spaces.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.spaces.values()].map((keyv) => keyv.disconnect().catch(() => undefined)));
    this.spaces.clear();
  }

  private async write<T>(namespace: string, key: string, value: T): Promise<void> {
    const ok = await this.space(namespace).set(key, value);
    // keyv reports a failed backend write as `false`, not as an exception.
    if (!ok) throw new StoreWriteError(namespace);
  }
}

export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  readonly code = 'store_write_failed';
  constructor(namespace: string) {
    super(`could not write to namespace ${namespace}`);
  }
}
