import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StoreLocation, storeLocation } from '../../src/store/location.js';
import { type OpenOptions, openStore } from '../../src/store/open.js';
import type { Observation } from '../../src/core/observation.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, hasPostgres } from './postgres.js';

/**
 * The stores every contract test runs against: the SQLite file (the default) and PostgreSQL (a database of its own
 * in the run's throw-away cluster, tests/global-setup.ts). `skip` is set when no PostgreSQL server is installed
 * (locally; with CI=true the run fails instead).
 */
export interface StoreKind {
  kind: 'sqlite' | 'postgres';
  skip: boolean;
  /** A new, empty database's location. */
  fresh(label?: string): Promise<StoreLocation>;
}

export const STORE_KINDS: readonly StoreKind[] = [
  {
    kind: 'sqlite',
    skip: false,
    fresh: async () => storeLocation(join(mkdtempSync(join(tmpdir(), 'am-store-')), 'a.sqlite'), { cwd: '/', env: {} }),
  },
  {
    kind: 'postgres',
    skip: !hasPostgres,
    fresh: async (label = 'store') => storeLocation((await createTestDatabase(label)).url, { cwd: '/', env: {} }),
  },
];

/** A new store of `kind`, and how to open its database again (a reader, or after a "crash"). */
export async function freshStore(
  kind: StoreKind,
  label?: string,
): Promise<{ store: Store; location: StoreLocation; reopen(options?: OpenOptions): Promise<Store> }> {
  const location = await kind.fresh(label);
  return { store: await openStore(location), location, reopen: (options) => openStore(location, options) };
}

/** A PubMed count of PyTorch papers in 2023, as the tests' stores hold it; `over` changes any field. */
export const pubmedObservation = (over: Partial<Observation> = {}): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject: 'PyTorch',
  period: '2023',
  method: 'esearch',
  value: 100,
  observedAt: '2024-07-20',
  query: '(pytorch) AND 2023:2023[dp]',
  collectorVersion: '1.0.0',
  ...over,
});

/** A live `collect` run of PubMed as of `asOf`, begun now (or at `startedAt`); its id. */
export const testRun = (store: Store, asOf = '2024-07-20', startedAt = new Date().toISOString()) =>
  store.beginRun({ command: 'collect', collectors: ['pubmed'], asOf, dataOrigin: 'live', toolVersion: '0.1.0', startedAt });
