import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p` that fails fast. Node's `mkdirSync(dir, { recursive: true })` loops forever at full CPU where
 * mkdir answers ENOENT although the parent exists (any path under /proc): it creates the parent, gets
 * EEXIST, retries the child, gets ENOENT again. Here each missing level is made once, from the top down,
 * and the first error is thrown (ENOENT, EACCES, ENOTDIR, EROFS…), with its path.
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let dir = resolve(path);
  while (!exists(dir)) {
    missing.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (err) {
      // Made meanwhile by another process (two runs starting at once): fine if it is a directory now.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw err;
    }
  }
  if (!statSync(path).isDirectory()) mkdirSync(path); // a file in the way: throws EEXIST naming it
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err; // ENOTDIR (a file on the way), EACCES: said as they are
  }
}
