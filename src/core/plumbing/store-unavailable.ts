// The store (Redis, Postgres, a busy SQLite file) could not be reached or did not answer in
// time. Nothing was changed by the failed call; the person is asked to try again in a moment.
export const STORE_UNAVAILABLE = 'store_unavailable';

export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  readonly code = STORE_UNAVAILABLE;
  constructor(options?: { cause?: unknown }) {
    super('the store is not reachable right now', options);
  }
}

export const isStoreUnavailable = (error: unknown): boolean =>
  Boolean(error && typeof error === 'object' && (error as { code?: unknown }).code === STORE_UNAVAILABLE);
