import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, type Stats, writeSync } from 'node:fs';
import { lstat, open as openFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * The files the tool writes beside the user's (the database and its side files, the run lock, temporary report
 * files, recordings) are never reached through a symbolic link and are always regular files: in a directory
 * others can write (a shared cron directory), a link planted at such a name would otherwise make a run write,
 * move or truncate whatever it points to, as whoever runs it.
 */

/** Open flags for a file made now: fails on anything already at the name, a symbolic link included. */
export const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Writes `content` to a file made now at `path` (CREATE_NEW: nothing there before, no link followed). */
export function writeNewFileSync(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, CREATE_NEW, 0o644);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}

/** The same, asynchronously. */
export async function writeNewFile(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await openFile(path, CREATE_NEW, 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Removes a temporary file of ours after a failure: only a regular file, never a link planted at its name. */
export async function removeTemporary(path: string): Promise<void> {
  const entry = await lstat(path).catch(() => undefined);
  if (entry?.isFile()) await rm(path, { force: true });
}

/** What is at `path` itself (a link is not followed), or undefined when nothing is. */
export function entryAt(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Why `path` cannot be one of our files, in words for a message, or undefined when it is a regular file or
 * absent: a symbolic link (and where it points), a FIFO, a directory…
 */
export function notRegularFile(path: string): string | undefined {
  const entry = entryAt(path);
  if (entry === undefined || entry.isFile()) return undefined;
  if (entry.isSymbolicLink()) return `it is a symbolic link to ${resolve(dirname(path), readlinkSync(path))}, which is never followed`;
  return `it is ${kindOf(entry)}, not a regular file`;
}

/** Why `path` cannot be a directory of ours, or undefined when it is a real directory or absent. */
export function notRealDirectory(path: string): string | undefined {
  const entry = entryAt(path);
  if (entry === undefined || entry.isDirectory()) return undefined;
  if (entry.isSymbolicLink()) return `it is a symbolic link to ${resolve(dirname(path), readlinkSync(path))}, which is never followed`;
  return `it is ${kindOf(entry)}, not a directory`;
}

function kindOf(entry: Stats): string {
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isDirectory()) return 'a directory';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The file at `path` was replaced while it was being opened (a link or another file put in its place). */
export class FileSwappedError extends Error {
  override name = 'FileSwappedError';
}

/**
 * Opens `path` through `open` (a library that opens it by name, such as SQLite) only as the regular file that
 * is there now, never what a link points to: the file is opened first without following links (created empty
 * when absent and `create`), and once `open` has it, `path` must still be that very file, or `close` undoes
 * the open and FileSwappedError says so. `open` must not write before it returns (SQLite writes nothing on
 * open). Throws ENOENT when absent and not `create`, ELOOP for a link.
 */
export function openRegularFile<T>(path: string, options: { create: boolean }, open: () => T, close: (opened: T) => void): T {
  // O_NONBLOCK: opening a FIFO put there meanwhile returns at once instead of waiting for a writer.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | (options.create ? constants.O_CREAT : 0);
  const fd = openSync(path, flags, 0o644);
  try {
    const held = fstatSync(fd);
    if (!held.isFile()) throw new FileSwappedError(`${path} is ${kindOf(held)}, not a regular file`);
    const opened = open();
    const now = entryAt(path);
    if (now === undefined || now.isSymbolicLink() || now.ino !== held.ino || now.dev !== held.dev) {
      close(opened);
      throw new FileSwappedError(`${path} was replaced while it was being opened`);
    }
    return opened;
  } finally {
    closeSync(fd);
  }
}
