// Deleting a document only while a condition still holds, decided under the document's lock
// (so a concurrent change that made the condition false wins). Used by the purges and erasers.
import { unchanged, type Store } from '../ports.js';

/** Deletes `key` if it exists and `when` holds for it under its lock; true if it went. */
export async function deleteWhen<T>(
  store: Store,
  namespace: string,
  key: string,
  when: (current: T) => boolean,
): Promise<boolean> {
  let removed = false;
  await store.update<T>(namespace, key, (current) => {
    if (current === undefined || !when(current)) return unchanged;
    removed = true;
    return undefined;
  });
  return removed;
}
