/**
 * What the store needs of a database, so its reads and writes (store.ts, select-rows.ts, copy.ts) are written
 * once for every database it runs on: SQLite (sqlite/driver.ts), the default, and PostgreSQL (postgres/driver.ts),
 * for teams. A driver connects, checks the database is ours, brings its schema up to date, takes the run lock and
 * says its failures in one line; the SQL it runs is the store's, in the few spellings `Dialect` gives.
 *
 * Statements name their parameters `@name`; every value is a string, a number or null.
 */
export type Params = Readonly<Record<string, string | number | null>>;

export interface Driver {
  readonly kind: 'sqlite' | 'postgres';
  /** The database as every message names it: the file, or the URL without its password. */
  readonly name: string;
  readonly dialect: Dialect;
  /** The schema version of the database as opened: a reader may read an older one, a writer has brought it up to date. */
  readonly schemaVersion: number;
  /** Rows as objects, by column name. */
  all<T>(sql: string, params?: Params): Promise<T[]>;
  /** Rows as arrays, in column order (no object per row: reports read tens of thousands). */
  arrays<T extends unknown[]>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a statement that returns no rows; how many rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /**
   * Rows as arrays, `size` at a time, from one consistent read whatever is written meanwhile (a read transaction
   * and a cursor on PostgreSQL), so memory stays flat however many rows there are. The connection is busy until
   * the loop ends or `return()` is called.
   */
  stream<T extends unknown[]>(sql: string, params: Params, size: number): AsyncGenerator<T[]>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Not nested. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` in one read-only transaction: every read in it sees the same committed history. */
  snapshot<T>(work: () => Promise<T>): Promise<T>;
  /** Serializes runs on this database (collect, run, copy into it): waits up to `waitMs`, then fails. */
  lockRuns(options: LockOptions): Promise<RunLock>;
  close(): Promise<void>;
}

export interface LockOptions {
  waitMs: number;
  onWait?: (message: string) => void;
  onWarn?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface RunLock {
  /** Where the lock is, for messages: a lock file, or the database's advisory lock. */
  readonly path: string;
  /** Idempotent. The process ending releases it too (the kernel drops a file lock; the server ends the session). */
  release(): Promise<void>;
  /**
   * Called once if the lock is lost while held (its connection to the server broke): the run must stop, since
   * another could now start.
   */
  onLost?(callback: (err: Error) => void): void;
}

/** What the two databases spell differently in the store's SQL. */
export interface Dialect {
  /**
   * A table of the elements of a JSON array given as text, as `alias(value)`: each element as JSON, read with
   * `value ->> n` (an array of arrays) or as text with `text(alias.value)` of a scalar.
   */
  jsonRows(json: string, alias: string): string;
  /** A table of the elements of a JSON array of strings, as text in column `alias.value`. */
  jsonTexts(json: string, alias: string): string;
  /** A table of the elements of a JSON array of integers, as integers in column `alias.value`. */
  jsonIntegers(json: string, alias: string): string;
  /**
   * Text as the store compares and orders it (byte order, as SQLite's BINARY collation): on PostgreSQL, a value
   * made in a query (from JSON, say) gets the columns' collation, so recursive steps and unions agree.
   */
  text(expression: string): string;
  /** The first day of the month after a `YYYY-MM-DD` text's, as `YYYY-MM-DD` text compared as `text` does. */
  nextMonth(day: string): string;
  /** The column that orders a mark's resolutions, oldest first (SQLite's rowid, PostgreSQL's identity). */
  readonly resolutionOrder: string;
}

/** Another run holds the lock and did not finish within the wait: exit 1, try again later. */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
}
