// Opens the store named by STORE_URL and proves it works (a read, and for SQLite the right to
// write its file) within a deadline, for `npm start` and the CLI alike. An unreachable or unusable store is one line
// naming the scheme and host (never a password) and the reason, and exit code 2: not a stack
// trace, not `fatal: Error`, not minutes of silence.
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger, Store } from '../../core/ports.js';
import { withDeadline } from '../../core/plumbing/deadline.js';
import { openStore, sqlitePath } from './open-store.js';
import { isSharedStoreUrl, openSharedStore, type SharedStore } from './shared-store.js';

/** Well inside the 10 s an operator waits for a start-up to say something. */
export const STORE_CHECK_MS = 8_000;

export class StoreStartError extends Error {
  override readonly name = 'StoreStartError';
  readonly code = 'store_start_failed';
  /** The one line to print: `STORE_URL: cannot reach redis at 127.0.0.1:1 (connection refused)`. */
  constructor(readonly line: string) {
    super(line);
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'no answer in time',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
  SQLITE_CANTOPEN: 'cannot open the file',
  SQLITE_READONLY: 'read-only database',
  SQLITE_CORRUPT: 'not a database file',
  SQLITE_NOTADB: 'not a database file',
  '28P01': 'password authentication failed',
  '28000': 'authentication refused',
  '3D000': 'no such database',
  WRONGPASS: 'wrong password',
  NOAUTH: 'authentication required',
};

/** The first known code along the error's cause chain, as words. */
export function reasonOf(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && REASONS[code]) return REASONS[code];
    if (typeof message === 'string') {
      const known = Object.keys(REASONS).find((k) => new RegExp(`\\b${k}\\b`).test(message));
      if (known) return REASONS[known] as string;
    }
    // AggregateError (a host that resolves to several addresses): the first of them.
    if (Array.isArray(errors) && errors.length > 0) e = errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return error instanceof DeadlineError ? `no answer within ${STORE_CHECK_MS / 1000} s` : 'unusable';
}

class DeadlineError extends Error {}

/** `redis at 127.0.0.1:1`, `postgres at db.example:5432`: scheme and host only. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    const scheme = parsed.protocol.replace(/:$/, '').replace(/^postgresql$/, 'postgres');
    return `${scheme} at ${parsed.host || 'localhost'}`;
  } catch {
    return 'the store';
  }
}

export function describeStoreFailure(url: string, error: unknown): string {
  if (url.startsWith('sqlite://')) return `STORE_URL: cannot write ${sqlitePath(url)} (${reasonOf(error)})`;
  if (isSharedStoreUrl(url)) return `STORE_URL: cannot reach ${where(url)} (${reasonOf(error)})`;
  return `STORE_URL: cannot open the store (${reasonOf(error)})`;
}

/**
 * Read-only on purpose: a probe that wrote would change the store's bytes, and a dry run or a
 * refused import must leave the store byte-identical. A read of a namespace the bot always has
 * proves the connection; the file's write permission stands in for a test write on SQLite.
 */
async function probe(url: string, store: Store): Promise<void> {
  if (url.startsWith('sqlite://')) {
    const path = sqlitePath(url);
    await access(existsSync(path) ? path : dirname(path) || '.', constants.W_OK);
  }
  await store.get('groups', 'store-check');
}

/** The store of `url`, checked; throws StoreStartError with the line to print. */
export async function openCheckedStore(
  url: string,
  prefix: string,
  logger: Logger,
  deadlineMs = STORE_CHECK_MS,
): Promise<{ store: Store; shared?: SharedStore }> {
  let opened: { store: Store; shared?: SharedStore } | undefined;
  const work = (async () => {
    if (isSharedStoreUrl(url)) {
      const shared = await openSharedStore(url, prefix, logger);
      opened = { store: shared.store, shared };
    } else opened = { store: openStore(url) };
    await probe(url, opened.store);
    return opened;
  })();
  try {
    return await withDeadline(work, deadlineMs, () => new DeadlineError('deadline'));
  } catch (error) {
    // Let a late connection go rather than hold the process open.
    void work.then(
      (late) => late.store.close().catch(() => undefined),
      () => undefined,
    );
    if (opened)
      await withDeadline(opened.store.close(), 500, () => new DeadlineError('deadline')).catch(() => undefined);
    throw new StoreStartError(describeStoreFailure(url, error));
  }
}
