import Database from 'better-sqlite3';
import { closeSync, constants, copyFileSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLine } from '../core/errors.js';
import { makeDirectory } from '../core/make-directory.js';

export interface RunLock {
  readonly path: string;
  release(): void;
}

/** A lock file is never written, so ours is empty; anything larger than this is left for a person to look at. */
const MAX_FOREIGN_LOCK_BYTES = 1024 * 1024;

/**
 * Serializes runs on one database. The lock is an EXCLUSIVE transaction held on a small side database
 * (`<db>.lock`, rollback-journal mode): SQLite takes it with an OS file lock, which the kernel drops when
 * the holder exits for any reason, SIGKILL included, so there is no stale lock to clean up and no pid to
 * trust. A second run waits (polling, so it can say so) until the first finishes or `waitMs` passes.
 */
export async function acquireRunLock(
  dbPath: string,
  options: {
    waitMs: number;
    onWait?: (message: string) => void;
    onWarn?: (message: string) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<RunLock> {
  const path = `${dbPath}.lock`;
  makeDirectory(dirname(path));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.waitMs;
  let told = false;
  let recovered = false;
  // Default rollback-journal mode: there, BEGIN EXCLUSIVE takes the file lock at once (in WAL it would not).
  let db = openLock(path);
  for (;;) {
    try {
      db.exec('BEGIN EXCLUSIVE');
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') {
        db.close();
        if (!recovered && (err as { code?: string }).code === 'SQLITE_NOTADB') {
          const aside = tryRecoverForeignLock(path);
          if (aside) {
            options.onWarn?.(`run lock ${path} held something else; kept it as ${aside} and made ${path} a lock again`);
            recovered = true;
            db = openLock(path);
            continue;
          }
        }
        throw unusableLock(path, err);
      }
      if (Date.now() >= deadline) {
        db.close();
        throw new LockBusyError(
          `another adoption-metrics run holds ${path}; waited ${Math.round(options.waitMs / 1000)} s. Try again later or raise --lock-wait`,
        );
      }
      if (!told) {
        options.onWait?.(`another run is using ${dbPath}; waiting for it to finish (up to ${Math.round(options.waitMs / 1000)} s)`);
        told = true;
      }
      await sleep(200);
    }
  }
  return {
    path,
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function openLock(path: string): Database.Database {
  try {
    return new Database(path, { timeout: 0 });
  } catch (err) {
    throw unusableLock(path, err);
  }
}

function unusableLock(path: string, err: unknown): Error {
  return new LockFileError(
    `run lock ${path} cannot be used (${errorLine(err)}); it is only a lock: delete it when no adoption-metrics run is going, then run again`,
  );
}

/**
 * A lock file that is not SQLite at all (`echo x > db.sqlite.lock`) can be held by no run, since SQLite
 * refuses to lock it. It is copied aside (nothing a person put there is lost) and emptied in place: the same
 * inode, so a run that opened it meanwhile still locks the same file. Returns where the copy went, or
 * undefined when the file does not look like that and is left alone.
 */
function recoverForeignLock(path: string): string | undefined {
  const size = statSync(path).size;
  if (size === 0 || size > MAX_FOREIGN_LOCK_BYTES || startsLikeSqlite(path)) return undefined;
  const aside = `${path}.invalid-${new Date().toISOString().replace(/[-:.]/g, '')}`;
  copyFileSync(path, aside, constants.COPYFILE_EXCL);
  truncateSync(path, 0);
  return aside;
}

function tryRecoverForeignLock(path: string): string | undefined {
  try {
    return recoverForeignLock(path);
  } catch {
    return undefined; // e.g. a read-only directory: said as an unusable lock instead
  }
}

function startsLikeSqlite(path: string): boolean {
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.toString('latin1') === 'SQLite format 3\u0000';
}

export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

/** The lock file itself is unusable (not a lock, unreadable): exit 1, naming it. */
export class LockFileError extends Error {
  override name = 'LockFileError';
}
