import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/report/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adoption-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('src/report/atomic-write', () => {
  it('replaces the file whole and leaves only the target behind', async () => {
    const path = join(dir, 'a.csv');
    await writeFileAtomic(path, 'old\n');
    await writeFileAtomic(path, 'new\n');
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['a.csv']);
  });

  it('fails loudly when the directory is missing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a.csv'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
