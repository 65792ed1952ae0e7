import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { makeDirectory } from '../core/make-directory.js';

export interface RunLock {
  readonly path: string;
  release(): void;
}

/**
 * Serializes runs on one database. The lock is an EXCLUSIVE transaction held on a small side database
 * (`<db>.lock`, rollback-journal mode): SQLite takes it with an OS file lock, which the kernel drops when
 * the holder exits for any reason, SIGKILL included, so there is no stale lock to clean up and no pid to
 * trust. A second run waits (polling, so it can say so) until the first finishes or `waitMs` passes.
 */
export async function acquireRunLock(
  dbPath: string,
  options: { waitMs: number; onWait?: (message: string) => void; sleep?: (ms: number) => Promise<void> },
): Promise<RunLock> {
  const path = `${dbPath}.lock`;
  makeDirectory(dirname(path));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Default rollback-journal mode: there, BEGIN EXCLUSIVE takes the file lock at once (in WAL it would not).
  const db = new Database(path, { timeout: 0 });
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    try {
      db.exec('BEGIN EXCLUSIVE');
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') {
        db.close();
        throw err;
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

export class LockBusyError extends Error {
  override name = 'LockBusyError';
}
