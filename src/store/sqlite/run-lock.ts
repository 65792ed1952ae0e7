import Database from 'better-sqlite3';
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLine } from '../../core/errors.js';
import { makeDirectory } from '../../core/make-directory.js';
import { entryAt, notRegularFile, openRegularFile, writeNewFileSync } from '../../core/no-follow.js';
import { LockBusyError, type LockOptions } from '../driver.js';

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
 *
 * Nothing but the lock file itself is ever written, moved or truncated: a symbolic link or anything but a
 * regular file at its name (or at its journal's) is refused, never followed (no-follow.ts).
 */
export async function acquireRunLock(dbPath: string, options: LockOptions): Promise<RunLock> {
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
  // SQLite opens by name and follows links: what is at the name is checked first, then opened without
  // following a link, and SQLite must then hold that very file.
  const problem = notRegularFile(path) ?? otherNames(path) ?? sideFileProblem(`${path}-journal`);
  if (problem) throw unusableLock(path, new Error(problem));
  try {
    return openRegularFile(
      path,
      { create: true },
      () => new Database(path, { timeout: 0 }),
      (db) => db.close(),
    );
  } catch (err) {
    throw unusableLock(path, err);
  }
}

/**
 * A lock with other names (a hard link, which a link check cannot see) is another file too: emptying it as a
 * foreign lock would empty that file. Why, in words, or undefined when the lock has one name (or is absent).
 */
function otherNames(path: string): string | undefined {
  const links = entryAt(path)?.nlink ?? 1;
  return links > 1 ? `it has ${links - 1} other name(s) (a hard link), so it is another file too` : undefined;
}

/** A journal SQLite would roll back into the lock, then delete: only ever a regular file of its own. */
function sideFileProblem(path: string): string | undefined {
  const problem = notRegularFile(path);
  return problem && `${path}: ${problem}`;
}

function unusableLock(path: string, err: unknown): Error {
  return new LockFileError(
    `run lock ${path} cannot be used (${errorLine(err)}); it is only a lock: delete it when no adoption-metrics run is going, then run again`,
  );
}

/**
 * A lock file that is not SQLite at all (`echo x > db.sqlite.lock`) can be held by no run, since SQLite
 * refuses to lock it. It is copied aside (nothing a person put there is lost) and emptied in place: the same
 * inode, so a run that opened it meanwhile still locks the same file. Everything goes through one descriptor
 * opened without following a link, and the copy is a new file: nothing but the lock is read or written.
 * Returns where the copy went, or undefined when the file does not look like that and is left alone.
 */
function recoverForeignLock(path: string): string | undefined {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const held = fstatSync(fd);
    const size = held.size;
    if (!held.isFile() || held.nlink > 1 || size === 0 || size > MAX_FOREIGN_LOCK_BYTES) return undefined;
    const content = Buffer.alloc(size);
    readSync(fd, content, 0, size, 0);
    if (content.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return undefined;
    const aside = `${path}.invalid-${new Date().toISOString().replace(/[-:.]/g, '')}`;
    writeNewFileSync(aside, content);
    ftruncateSync(fd, 0);
    return aside;
  } finally {
    closeSync(fd);
  }
}

function tryRecoverForeignLock(path: string): string | undefined {
  try {
    return recoverForeignLock(path);
  } catch {
    return undefined; // e.g. a read-only directory: said as an unusable lock instead
  }
}

export { LockBusyError };

/** The lock file itself is unusable (not a lock, unreadable): exit 1, naming it. */
export class LockFileError extends Error {
  override name = 'LockFileError';
}
