import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { errorLine } from '../../core/errors.js';
import { StorageError } from '../storage-error.js';

/** How often a copy is retried when a writer checkpoints meanwhile. */
const COPY_ATTEMPTS = 3;

export interface ReadableCopy {
  /** The copy of the database, in a private temporary directory. */
  file: string;
  /** Deletes the copy and its directory; safe to call twice. */
  remove(): void;
}

/**
 * A private copy of a WAL database for a reader that cannot create its `-shm`/`-wal` side files (a
 * directory it may not write, as for `status` run by another user): SQLite opens a WAL database read-only
 * only when those files exist already, or when told it is immutable, which it is not while a run writes.
 *
 * The copy is consistent because a WAL writer changes the database file only when it checkpoints, and a
 * checkpoint changes its size or modification time: copied again if it did. The `-wal` file only grows
 * between checkpoints, and SQLite uses from a copy of it only the frames up to the last whole commit.
 */
export function readableCopy(path: string): ReadableCopy {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'adoption-metrics-read-'));
  } catch (err) {
    throw new StorageError(
      `database ${path} is in a directory you cannot write, and no temporary copy could be made to read it (${errorLine(err)}); set TMPDIR to a directory you can write`,
    );
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, basename(path));
  try {
    for (let attempt = 1; ; attempt++) {
      const before = fingerprint(path);
      copyFileSync(path, file);
      rmSync(`${file}-wal`, { force: true });
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${file}-wal`);
      if (fingerprint(path) === before) break;
      if (attempt === COPY_ATTEMPTS) {
        throw new StorageError(`database ${path} changed each time it was copied for reading; try again when the current run has finished`);
      }
    }
  } catch (err) {
    remove();
    if (err instanceof StorageError) throw err;
    throw new StorageError(`database ${path} cannot be read (${errorLine(err)}); check its permissions`);
  }
  return { file, remove };
}

function fingerprint(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}
