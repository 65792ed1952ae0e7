import Database from 'better-sqlite3';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLine, UsageError } from '../../core/errors.js';
import { makeDirectory } from '../../core/make-directory.js';
import { entryAt, FileSwappedError, notRegularFile, openRegularFile } from '../../core/no-follow.js';
import type { Driver, LockOptions, Params, RunLock } from '../driver.js';
import { damagedDatabase, StorageError, storageFailure, unwritable } from '../storage-error.js';
import { Store } from '../store.js';
import { SQLITE_DIALECT } from './dialect.js';
import { readableCopy } from './readable-copy.js';
import { acquireRunLock } from './run-lock.js';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './schema.js';

export interface SqliteOpenOptions {
  readonly?: boolean;
  /**
   * PRAGMA quick_check on opening (default true), which reads the whole file: about 20 ms on ten years of daily
   * runs of the built-in frameworks, 0.3 to 1.5 s on a million rows. `false` (a read-only reader that reads only
   * part of the history, as `report` does) skips it: a damaged page it meets still fails as damaged
   * (storageFailure), and one it never reads changes nothing it shows.
   */
  quickCheck?: boolean;
}

/**
 * Opens (creating when absent) the SQLite store at `path`, the default one; refuses files that are not ours,
 * without touching them, and a damaged one. A reader that may not create the WAL side files beside the
 * database (a directory it may not write) reads a private copy instead.
 */
export function openSqliteStore(path: string, options: SqliteOpenOptions = {}): Store {
  return new Store(SqliteDriver.open(path, options));
}

/** The embedded database (better-sqlite3): synchronous, so each operation's promise is settled when it returns. */
export class SqliteDriver implements Driver {
  readonly kind = 'sqlite';
  readonly dialect = SQLITE_DIALECT;
  readonly schemaVersion: number;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    /** The database as the user named it: every message says this path. */
    readonly name: string,
    /** The file actually open: `name`, or a private copy of it (see readableCopy). */
    readonly file: string = name,
    private readonly cleanup?: () => void,
  ) {
    this.schemaVersion = db.pragma('user_version', { simple: true }) as number;
  }

  static open(path: string, options: SqliteOpenOptions = {}): SqliteDriver {
    const readonly = options.readonly ?? false;
    refuseUnusableFiles(path);
    if (readonly && !existsSync(path)) {
      throw new UsageError(`database ${path} does not exist; run \`adoption-metrics collect --db ${path}\` first`);
    }
    if (!readonly) {
      try {
        makeDirectory(dirname(path));
      } catch (err) {
        throw new UsageError(`database ${path} cannot be created (${errorLine(err)}); pass --db with a path in a directory you can write`);
      }
    }
    // A reader that is not the owner would leave WAL side files of its own beside the database, which the owner's
    // runs could then not open: it reads a private copy instead, unless a writer already made them (a run going).
    if (readonly && otherUsersDatabase(path)) return SqliteDriver.openCopy(path, options.quickCheck ?? true, true);
    try {
      return new SqliteDriver(connect(path, path, readonly, options.quickCheck ?? true), path);
    } catch (err) {
      // A reader that may not create the WAL side files beside the database reads a private copy instead.
      if (readonly && needsSideFiles(err)) return SqliteDriver.openCopy(path, options.quickCheck ?? true, true);
      throw openFailure(err, path, readonly);
    }
  }

  /**
   * A private copy of the database at `path`, opened to read (`readonly`), or to be brought up to date and then
   * read without touching the original (copy.ts, from a database of an older schema).
   */
  static openCopy(path: string, check: boolean, readonly: boolean): SqliteDriver {
    const copy = readableCopy(path);
    try {
      const db = connect(copy.file, path, readonly, check);
      // Removed on close, or when the process ends without closing.
      process.once('exit', copy.remove);
      return new SqliteDriver(db, path, copy.file, () => {
        process.removeListener('exit', copy.remove);
        copy.remove();
      });
    } catch (err) {
      copy.remove();
      throw openFailure(err, path);
    }
  }

  private prepare(sql: string, raw: boolean): Database.Statement {
    const key = raw ? `raw\u0000${sql}` : sql;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (raw) statement.raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: Params = {}): Promise<T[]> {
    return this.prepare(sql, false).all(params) as T[];
  }

  async arrays<T extends unknown[]>(sql: string, params: Params = {}): Promise<T[]> {
    return this.prepare(sql, true).all(params) as T[];
  }

  async run(sql: string, params: Params = {}): Promise<number> {
    return this.prepare(sql, false).run(params).changes;
  }

  async *stream<T extends unknown[]>(sql: string, params: Params, size: number): AsyncGenerator<T[]> {
    // One statement is one consistent read in SQLite; it is stepped a batch at a time.
    const rows = this.prepare(sql, true).iterate(params) as IterableIterator<T>;
    try {
      let batch: T[] = [];
      for (const row of rows) {
        batch.push(row);
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      rows.return?.();
    }
  }

  /**
   * BEGIN IMMEDIATE … COMMIT around `work`. Every statement in it is synchronous, so the whole transaction runs
   * before anything else the process does (a timer, a signal): no other write can slip into it.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.within('BEGIN IMMEDIATE', work);
  }

  async snapshot<T>(work: () => Promise<T>): Promise<T> {
    return this.within('BEGIN', work);
  }

  private async within<T>(begin: string, work: () => Promise<T>): Promise<T> {
    this.db.exec(begin);
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The lock file beside the database (run-lock.ts). */
  async lockRuns(options: LockOptions): Promise<RunLock> {
    const lock = await acquireRunLock(this.name, options);
    return { path: lock.path, release: async () => lock.release() };
  }

  async close(): Promise<void> {
    this.db.close();
    this.cleanup?.();
  }
}

/**
 * Connects to `file` (the database at `path`, or a copy of it) and checks it is ours, undamaged and not
 * from a newer version; a writer then brings its schema up to date. Closed again on any failure.
 */
function connect(file: string, path: string, readonly: boolean, check: boolean): Database.Database {
  let db: Database.Database;
  try {
    // SQLite opens by name and follows links: it must get the regular file that is there (no-follow.ts).
    db = openRegularFile(
      file,
      { create: !readonly },
      () => new Database(file, { readonly, fileMustExist: readonly }),
      (opened) => opened.close(),
    );
  } catch (err) {
    if (err instanceof FileSwappedError || (err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new UsageError(`database ${path} cannot be used (${errorLine(err)}); pass --db with the database file itself`);
    }
    throw err;
  }
  try {
    // Any read fails here on a file that is not SQLite ("file is not a database").
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
    if (appId !== APPLICATION_ID && (appId !== 0 || tables.n > 0)) {
      throw new UsageError(`database ${path} belongs to another program; pass --db with a path for adoption-metrics`);
    }
    if (readonly && tables.n === 0) {
      throw new UsageError(`database ${path} is empty; run \`adoption-metrics collect --db ${path}\` first`);
    }
    if (check || !readonly) {
      const problem = quickCheck(db);
      if (problem) throw damagedDatabase(path, problem);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new UsageError(`database ${path} was written by a newer adoption-metrics (schema ${version}); upgrade the tool`);
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The database and the side files SQLite writes beside it (`-wal`, `-shm`, a rollback `-journal`) are only ever
 * regular files, never reached through a link: checked before SQLite opens them by name (no-follow.ts). A FIFO
 * is refused here too, before an open that would wait on it forever.
 */
function refuseUnusableFiles(path: string): void {
  const problem = notRegularFile(path);
  if (problem) {
    const advice = problem.includes('symbolic link')
      ? 'pass --db with the database file itself'
      : 'pass --db with an adoption-metrics database';
    throw new UsageError(`database ${path} cannot be used: ${problem}; ${advice}`);
  }
  for (const side of ['-wal', '-shm', '-journal']) {
    const sideProblem = notRegularFile(`${path}${side}`);
    if (sideProblem) {
      throw new UsageError(
        `database ${path} cannot be used: ${path}${side} ${sideProblem.replace(/^it /, '')}; it is SQLite's own file: delete it when no adoption-metrics run is going, then run again`,
      );
    }
  }
}

/** The first problem PRAGMA quick_check finds (a damaged page, a broken b-tree), or undefined when there is none. */
function quickCheck(db: Database.Database): string | undefined {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const lines = rows.flatMap((r) => r.quick_check.split('\n')).filter((l) => l !== 'ok' && !l.startsWith('***'));
  return rows.length === 1 && rows[0]!.quick_check === 'ok' ? undefined : (lines[0] ?? 'quick_check failed');
}

/**
 * The database belongs to another user and no writer has its side files open: reading it in place would make
 * `-wal`/`-shm` owned by this user. Root is exempt: SQLite gives the files root makes the database's owner.
 */
function otherUsersDatabase(path: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return false;
  const owner = entryAt(path)?.uid;
  return owner !== undefined && owner !== uid && entryAt(`${path}-shm`) === undefined;
}

/** SQLite could not make the `-shm`/`-wal` files a WAL reader needs (SQLITE_READONLY_DIRECTORY, _CANTINIT…). */
function needsSideFiles(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN');
}

/** One line for a database that could not be opened: ours to say (usage, damage, full disk) or SQLite's. */
function openFailure(err: unknown, path: string, readonly = true): Error {
  if (err instanceof UsageError || err instanceof StorageError) return err;
  return (
    (readonly ? undefined : notWritable(err, path)) ??
    storageFailure(err, `database ${path}`) ??
    new UsageError(`database ${path} cannot be opened (${errorLine(err)}); pass --db with an adoption-metrics database or a new path`)
  );
}

/**
 * A writer that could not open the database because it may not write the file or its directory (where SQLite
 * makes its -wal and -shm files), by permissions or a read-only mount: said as that (exit 1), not as a file
 * that is not a database. SQLite says only "unable to open database file", so both are asked.
 */
function notWritable(err: unknown, path: string): StorageError | undefined {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (!['EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN'].includes(code) && !code.startsWith('SQLITE_READONLY')) return undefined;
  const probes: Array<[string, string | undefined]> = [
    ...(existsSync(path) ? [[path, undefined] as [string, undefined]] : []),
    [dirname(path), 'its directory'],
  ];
  for (const [target, part] of probes) {
    try {
      accessSync(target, constants.W_OK);
    } catch (probe) {
      const said = unwritable(probe, `database ${path}`, 'run again', part);
      if (said) return said;
    }
  }
  return undefined;
}
