// The embedded store: keyv on one SQLite file, tuned for a bot that must survive kill -9.
// - WAL with synchronous=NORMAL: a crashed process loses nothing it committed (the log is in
//   the OS), a power cut may lose the last moments but never corrupts the file; commits no
//   longer wait for a disk flush each, which is what made every write cost milliseconds.
// - A namespace is read in one query: keyv's own iterator awaits row by row and re-arming
//   100,000 pending jobs at start-up took seconds that way.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { KeyvStore } from './keyv-store.js';
import { StoreUnavailable } from '../../core/plumbing/store-unavailable.js';

interface Row {
  key: string;
  value: string;
}

/**
 * keyv escapes a string value that starts with ':' (and writes buffers as ':base64:…'), and its
 * deserializer undoes that with a JSON.parse reviver, five times slower than a plain parse.
 * Such a string can only appear as `":` right after `:`, `[` or `,` (inside a string a quote is
 * always escaped), so a document without that sequence parses the same without the reviver.
 */
const ESCAPED_STRING = /[:[,]\s*":/;

export class SqliteStore extends KeyvStore {
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    super(() => {
      const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 10_000, iterationLimit: 100_000 });
      // Queued behind the adapter's own CREATE TABLE; a failure shows on the first real query.
      void adapter
        .query('PRAGMA journal_mode=WAL')
        .then(() => adapter.query('PRAGMA synchronous=NORMAL'))
        .catch(() => undefined);
      return adapter;
    });
  }

  override async *entries<T>(namespace: string): AsyncIterable<[string, T]> {
    const keyv = this.space(namespace);
    const adapter = keyv.store as KeyvSqlite;
    const prefix = `${keyv.namespace}:`;
    let rows: Row[];
    try {
      // A key range rather than LIKE: LIKE ignores case and treats _ and % as wildcards.
      rows = (await adapter.query(
        `SELECT key, value FROM keyv WHERE key >= ? AND key < ?`,
        prefix,
        `${keyv.namespace};`,
      )) as Row[];
    } catch (error) {
      throw new StoreUnavailable({ cause: error });
    }
    const deserialize = keyv.deserialize ?? ((text: string) => JSON.parse(text) as unknown);
    for (const row of rows) {
      const stored = (ESCAPED_STRING.test(row.value) ? await deserialize(row.value) : JSON.parse(row.value)) as
        { value?: T } | null | undefined;
      if (stored?.value !== undefined) yield [row.key.slice(prefix.length), stored.value];
    }
  }
}
