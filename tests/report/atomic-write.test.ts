import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { temporaryPath, writeFileAtomic } from '../../src/report/atomic-write.js';

// The temporary name's random part, fixed here so a test can plant a link at it (as a guess would).
const random = vi.hoisted(() => ({ fixed: undefined as Buffer | undefined }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return { ...crypto, randomBytes: (n: number) => random.fixed ?? crypto.randomBytes(n) };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adoption-atomic-'));
});
afterEach(async () => {
  random.fixed = undefined;
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

  it('never writes through a link planted at its temporary name: it fails, and the link and its target stay', async () => {
    const decoy = join(await mkdtemp(join(tmpdir(), 'adoption-decoy-')), 'decoy');
    await writeFile(decoy, 'precious\n');
    random.fixed = Buffer.from('0badc0de', 'hex');
    const path = join(dir, 'report.json');
    const temp = temporaryPath(path);
    await symlink(decoy, temp);
    await expect(writeFileAtomic(path, '{"new": true}\n')).rejects.toThrow(/EEXIST/);
    expect(await readFile(decoy, 'utf8')).toBe('precious\n');
    expect(await readlink(temp)).toBe(decoy);
    expect(await readdir(dir)).toEqual([temp.split('/').at(-1)]);
  });

  it('replaces a link at the target itself, never writing to what it points to', async () => {
    const decoy = join(await mkdtemp(join(tmpdir(), 'adoption-decoy-')), 'decoy');
    await writeFile(decoy, 'precious\n');
    const path = join(dir, 'report.json');
    await symlink(decoy, path);
    await writeFileAtomic(path, '{"new": true}\n');
    expect(await readFile(decoy, 'utf8')).toBe('precious\n');
    expect((await lstat(path)).isFile()).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('{"new": true}\n');
  });
});
