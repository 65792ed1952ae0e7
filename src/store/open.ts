import type { StoreLocation } from './location.js';
import { openSqliteStore } from './sqlite/driver.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** Read only: nothing is created, migrated or written (report, status, export, copy's source). */
  readonly?: boolean;
  /** SQLite's quick_check on opening (default true): see sqlite/driver.ts. */
  quickCheck?: boolean;
}

/**
 * Opens the store at `location`: a writer creates it when absent and brings an older schema up to date in one
 * transaction; every opener refuses a database of another program or of a newer schema, in one line.
 * PostgreSQL's client is loaded only when a PostgreSQL database is named.
 */
export async function openStore(location: StoreLocation, options: OpenOptions = {}): Promise<Store> {
  if (location.kind === 'sqlite') return openSqliteStore(location.path, options);
  const { openPostgresStore } = await import('./postgres/driver.js');
  return openPostgresStore(location, options);
}
