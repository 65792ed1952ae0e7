import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, LockBusyError } from '../../src/store/run-lock.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'am-lock-'));

describe('src/store/run-lock', () => {
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

  it('is released by the kernel when the holder is killed with SIGKILL', async () => {
    const db = join(tmp(), 'a.sqlite');
    // The compiled module (tests/global-setup.ts builds dist/ once), run in a separate process.
    const moduleUrl = new URL('../../dist/src/store/run-lock.js', import.meta.url).href;
    const script = `import { acquireRunLock } from ${JSON.stringify(moduleUrl)};
      await acquireRunLock(${JSON.stringify(db)}, { waitMs: 1000 }); console.log('locked'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((ok) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && ok()));
    await expect(acquireRunLock(db, { waitMs: 200 })).rejects.toBeInstanceOf(LockBusyError);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const lock = await acquireRunLock(db, { waitMs: 2000 });
    lock.release();
  });
});
