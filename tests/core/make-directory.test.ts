import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/core/make-directory.js';

describe('src/core/make-directory', () => {
  it('makes every missing level, and accepts a directory that exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'am-mkdir-'));
    makeDirectory(join(root, 'a/b/c'));
    expect(statSync(join(root, 'a/b/c')).isDirectory()).toBe(true);
    makeDirectory(join(root, 'a/b/c'));
    makeDirectory(root);
  });

  it('throws the first error, naming the path, where a file is in the way', () => {
    const root = mkdtempSync(join(tmpdir(), 'am-mkdir-'));
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirectory(join(root, 'file'))).toThrow(/EEXIST.*file/);
    expect(() => makeDirectory(join(root, 'file/sub'))).toThrow(/ENOTDIR.*file\/sub/);
  });

  it.skipIf(!existsSync('/proc/self'))('fails at once under /proc, where Node’s recursive mkdir never returns', () => {
    expect(() => makeDirectory('/proc/x/y')).toThrow(/ENOENT.*'\/proc\/x'/);
  });
});
