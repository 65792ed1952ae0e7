import { execFileSync } from 'node:child_process';
import { linkSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, LockBusyError, LockFileError } from '../../src/store/sqlite/run-lock.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'am-lock-'));

describe('src/store/sqlite/run-lock', () => {
  it('serializes two runs: the second waits until the first releases', async () => {
    const db = join(tmp(), 'a.sqlite');
    const events: string[] = [];
    const first = await acquireRunLock(db, { waitMs: 5000 });
    events.push('first acquired');
    const second = acquireRunLock(db, { waitMs: 5000, onWait: () => events.push('second waiting') }).then((lock) => {
      events.push('second acquired');
      return lock;
    });
    await new Promise((r) => setTimeout(r, 400));
    events.push('first released');
    first.release();
    (await second).release();
    expect(events).toEqual(['first acquired', 'second waiting', 'first released', 'second acquired']);
  });

  it('gives up after the wait with a clear message', async () => {
    const db = join(tmp(), 'a.sqlite');
    const held = await acquireRunLock(db, { waitMs: 1000 });
    await expect(acquireRunLock(db, { waitMs: 300 })).rejects.toBeInstanceOf(LockBusyError);
    await expect(acquireRunLock(db, { waitMs: 300 })).rejects.toThrow(/another adoption-metrics run holds .*\.lock; waited 0 s/);
    held.release();
  });
  // Released when its holder is killed: tests/store/contract.test.ts, for every store.
});

describe('src/store/sqlite/run-lock with a lock file that is not a lock', () => {
  it('recovers from junk (`echo x > db.sqlite.lock`): keeps a copy, says so, and locks as usual', async () => {
    const dir = tmp();
    const db = join(dir, 'a.sqlite');
    writeFileSync(`${db}.lock`, 'x\n');
    const warnings: string[] = [];
    const lock = await acquireRunLock(db, { waitMs: 0, onWarn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^run lock .*a\.sqlite\.lock held something else; kept it as .*a\.sqlite\.lock\.invalid-\S+ and made .*a\.sqlite\.lock a lock again$/,
    );
    const aside = readdirSync(dir).filter((f) => f.startsWith('a.sqlite.lock.invalid-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe('x\n');
    // It is a working lock again: a second run is kept out until the first releases it.
    await expect(acquireRunLock(db, { waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    lock.release();
    (await acquireRunLock(db, { waitMs: 0 })).release();
  });

  it('names the lock file and what to do when it cannot tell it is junk', async () => {
    const db = join(tmp(), 'a.sqlite');
    // Starts like SQLite, so it may be someone's database: left alone.
    const looksLikeSqlite = Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4080, 0x7a)]);
    writeFileSync(`${db}.lock`, looksLikeSqlite);
    const error = await acquireRunLock(db, { waitMs: 0 }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(LockFileError);
    expect((error as Error).message).toMatch(
      /^run lock .*a\.sqlite\.lock cannot be used \(file is not a database\); it is only a lock: delete it when no adoption-metrics run is going, then run again$/,
    );
    expect(readFileSync(`${db}.lock`)).toEqual(looksLikeSqlite);
  });
});

describe('src/store/sqlite/run-lock never follows a link nor opens anything but a regular file', () => {
  const refusal = (path: string, reason: string) =>
    new RegExp(
      `^run lock ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} cannot be used \\(${reason}\\); it is only a lock: delete it when no adoption-metrics run is going, then run again$`,
    );

  it('refuses a symbolic link to a file it would have emptied, whose bytes stay as they were', async () => {
    const dir = tmp();
    const db = join(dir, 'a.sqlite');
    // A file the cron user can write, of at most 1 MiB and not SQLite: what the foreign-lock recovery empties.
    const decoy = join(tmp(), 'decoy.conf');
    writeFileSync(decoy, 'precious=1\n');
    symlinkSync(decoy, `${db}.lock`);
    const error = await acquireRunLock(db, { waitMs: 0 }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(LockFileError);
    expect((error as Error).message).toMatch(refusal(`${db}.lock`, `it is a symbolic link to ${decoy}, which is never followed`));
    expect(readFileSync(decoy, 'utf8')).toBe('precious=1\n');
    // Nothing was copied aside either.
    expect(readdirSync(dir)).toEqual(['a.sqlite.lock']);
  });

  it('refuses a hard link to a file it would have emptied (a link check cannot see one), whose bytes stay as they were', async () => {
    const dir = tmp();
    const db = join(dir, 'a.sqlite');
    const decoy = join(dir, 'decoy.conf');
    writeFileSync(decoy, 'precious=1\n');
    linkSync(decoy, `${db}.lock`);
    const error = await acquireRunLock(db, { waitMs: 0 }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(LockFileError);
    expect((error as Error).message).toMatch(
      refusal(`${db}.lock`, 'it has 1 other name\\(s\\) \\(a hard link\\), so it is another file too'),
    );
    expect(readFileSync(decoy, 'utf8')).toBe('precious=1\n');
    expect(readdirSync(dir).sort()).toEqual(['a.sqlite.lock', 'decoy.conf']);
  });

  it('refuses a dangling link (SQLite would have created its target) and a link at the journal', async () => {
    const dir = tmp();
    const db = join(dir, 'a.sqlite');
    const target = join(tmp(), 'created-by-the-run');
    symlinkSync(target, `${db}.lock`);
    await expect(acquireRunLock(db, { waitMs: 0 })).rejects.toThrow(refusal(`${db}.lock`, `it is a symbolic link to ${target}, .*`));
    expect(readdirSync(dirname(target))).toEqual([]);

    const other = join(tmp(), 'b.sqlite');
    const decoy = join(tmp(), 'decoy');
    writeFileSync(decoy, 'x'.repeat(600));
    symlinkSync(decoy, `${other}.lock-journal`);
    await expect(acquireRunLock(other, { waitMs: 0 })).rejects.toThrow(
      /cannot be used \(.*b\.sqlite\.lock-journal: it is a symbolic link to /,
    );
    expect(readFileSync(decoy, 'utf8')).toBe('x'.repeat(600));
  });

  it('refuses a FIFO at once instead of waiting on it', async () => {
    const db = join(tmp(), 'a.sqlite');
    execFileSync('mkfifo', [`${db}.lock`]);
    await expect(acquireRunLock(db, { waitMs: 0 })).rejects.toThrow(
      refusal(`${db}.lock`, 'it is a FIFO \\(named pipe\\), not a regular file'),
    );
  });
});
