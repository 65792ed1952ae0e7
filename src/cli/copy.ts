import { existsSync, realpathSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { textTable } from '../report/text-table.js';
import { copyHistory, type TableCopy } from '../store/copy.js';
import { locationSecrets, type StoreLocation, storeLocation } from '../store/location.js';
import { openStore } from '../store/open.js';
import { SqliteDriver } from '../store/sqlite/driver.js';
import { Store } from '../store/store.js';
import type { CliIo } from './io.js';
import { type ParsedOptions, secondsOption, stringOption } from './options.js';

/** The oldest schema whose tables copy reads as they are (4: series keys, mark times and causes). */
const COPYABLE_SCHEMA = 4;

/**
 * `copy --from DB --to DB`: the whole history of one database into another, SQLite or PostgreSQL either way
 * (store/copy.ts), under the target's run lock so no run writes it meanwhile, and never mixing replayed data with
 * live data. Prints one row per table with its counts; exit 0 once they add up, 1 (nothing copied) otherwise.
 */
export async function copyCommand(
  options: ParsedOptions,
  io: CliIo,
  log: Logger,
  addSecrets: (secrets: string[]) => void,
): Promise<number> {
  const fromValue = stringOption(options, 'from');
  const toValue = stringOption(options, 'to');
  if (fromValue === undefined || toValue === undefined) {
    throw new UsageError(
      `copy needs --from and --to, the databases to copy from and into; e.g. --from output/adoption.sqlite --to postgres://user@host:5432/adoption`,
    );
  }
  const from = storeLocation(fromValue, { cwd: io.cwd, env: io.env, flag: '--from' });
  const to = storeLocation(toValue, { cwd: io.cwd, env: io.env, flag: '--to' });
  addSecrets([...locationSecrets(from), ...locationSecrets(to)]);
  if (sameDatabase(from, to)) throw new UsageError(`--from and --to both name ${to.name}; copy into another database`);
  const lockWaitMs = secondsOption(options, 'lock-wait', 1800, { allowZero: true });

  const source = await openSource(from);
  try {
    const target = await openStore(to);
    try {
      const lock = await target.lockRuns({ waitMs: lockWaitMs, onWait: (m) => log.warn(m), onWarn: (m) => log.warn(m) });
      try {
        await checkOrigins(source, target);
        log.info(`copying ${from.name} into ${to.name}`);
        const copies = await copyHistory(source, target);
        io.stdout(renderCopy(from, to, copies));
      } finally {
        await lock.release();
      }
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  return 0;
}

/**
 * The source, read only. A SQLite database of a schema older than copy reads is brought up to date in a private
 * copy (the original is never written); a PostgreSQL database has never been older.
 */
async function openSource(from: StoreLocation): Promise<Store> {
  const source = await openStore(from, { readonly: true });
  if (source.driver.schemaVersion >= COPYABLE_SCHEMA || from.kind !== 'sqlite') return source;
  await source.close();
  return new Store(SqliteDriver.openCopy(from.path, true, false));
}

function sameDatabase(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'postgres') return a.name === b.name;
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : path);
  return real(a.name) === real(b.name);
}

/** A database holds one kind of data (collect.ts checkDataOrigin): replayed answers never join live ones, nor the reverse. */
async function checkOrigins(source: Store, target: Store): Promise<void> {
  const from = await source.originsOfStoredData();
  const into = await target.originsOfStoredData();
  const kinds = new Set([...from, ...into]);
  if (kinds.has('live') && kinds.has('replayed')) {
    const holds = (origins: string[]) => (origins.length === 0 ? 'no data' : `${origins.join(' and ')} data`);
    throw new UsageError(
      `${source.path} holds ${holds(from)} and ${target.path} holds ${holds(into)}; a database holds one kind of data, so replayed answers never mix with live ones: copy into another database`,
    );
  }
}

const TABLE_NAMES: Record<TableCopy['table'], string> = {
  runs: 'runs',
  collector_runs: 'collector runs',
  observations: 'observations',
  suspect_observations: 'suspect marks',
  suspect_resolutions: 'their resolutions',
};

function renderCopy(from: StoreLocation, to: StoreLocation, copies: readonly TableCopy[]): string {
  const table = textTable(
    [
      ['table', 'in source', 'added', 'already there', 'target before', 'target after'],
      ...copies.map((c) => [`${TABLE_NAMES[c.table]} (${c.table})`, ...[c.source, c.added, c.present, c.before, c.after].map(String)]),
    ],
    [false, true, true, true, true, true],
  );
  const added = copies.reduce((n, c) => n + c.added, 0);
  return `Copied ${from.name} into ${to.name}:\n${table}\nVerified: every row of the source is in the target (added or already there), and each table grew by the rows added${added === 0 ? '; nothing was new' : ''}.\n`;
}
