import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeTemporary, writeNewFile } from '../core/no-follow.js';

/**
 * Writes to a hidden temporary file in the same directory, then renames it over the target. A rename within
 * one filesystem is atomic, so a spreadsheet or a cron reader never sees half a file. The temporary file is
 * made new (no-follow.ts): a link or anything else planted at its name makes the write fail, never writes
 * through; and the rename replaces the target's name itself, never what a link there points to.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = temporaryPath(path);
  try {
    await writeNewFile(temp, content);
    await rename(temp, path);
  } catch (err) {
    await removeTemporary(temp);
    throw err;
  }
}

/** A hidden, unique name beside `path`: on the same filesystem, so renaming it onto `path` is atomic. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}
