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
  // SQLite's own word that it may not write: a database file or directory made read-only under a run.
  if (code.startsWith('SQLITE_READONLY')) return cannotWrite(what, said, again);
  return undefined;
}

/** Codes of a file or directory the process may not write: permissions, or a read-only mount. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * `err` said as a file or directory that cannot be written (permissions, a read-only mount), naming `what`;
 * undefined for anything else. Only for errors known to come from writing `what` (the report files): the
 * same codes elsewhere would name the wrong file.
 */
export function unwritable(err: unknown, what: string, again = 'run again', part?: string): StorageError | undefined {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  if (!UNWRITABLE.has(code) && !code.startsWith('SQLITE_READONLY')) return undefined;
  const reason = errorLine(err);
  return cannotWrite(what, code && !reason.includes(code) ? `${code}: ${reason}` : reason, again, part);
}

/** `<what>: [<part> ]cannot be written (<said>); …`, e.g. `database /srv/a.sqlite: its directory cannot be written (…)`. */
function cannotWrite(what: string, said: string, again: string, part?: string): StorageError {
  return new StorageError(
    `${what}: ${part ? `${part} ` : ''}cannot be written (${said}); check its permissions and whether its file system is mounted read-only, then ${again}`,
  );
}
