import { errorLine } from '../core/errors.js';

/**
 * The database or the disk failed, not the command line nor a source: exit 1, one line naming the file and
 * what to do. What was stored before stays stored (every write is one transaction).
 */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** `database <path> is damaged`: what SQLite said, and that restoring is up to the user. */
export function damagedDatabase(path: string, detail: string): StorageError {
  return damaged(`database ${path}`, detail);
}

function damaged(what: string, detail: string): StorageError {
  return new StorageError(
    `${what} is damaged (${detail}); restore it from a backup, or pass --db with a new file to start afresh (adoption-metrics never deletes or repairs it)`,
  );
}

/**
 * A failure of the disk or the database file said as one (disk full, damaged, I/O error); undefined for
 * anything else. `what` names the file or directory being written, e.g. `database /srv/adoption.sqlite`.
 */
export function storageFailure(err: unknown, what: string, again = 'run again'): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  const reason = errorLine(err);
  const said = code && !reason.includes(code) ? `${code}: ${reason}` : reason;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /\bENOSPC\b/.test(reason)) {
    return new StorageError(`${what}: the disk is full (${said}); free space, then ${again}`);
  }
  if (code.startsWith('SQLITE_CORRUPT')) return damaged(what, said);
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new StorageError(`${what}: the disk failed (${said}); check the disk, then ${again}`);
  }
  return undefined;
}
