import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, type TestContext } from 'vitest';
import type { Observation } from '../../src/core/observation.js';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';
import { runCli, startCli, tempWorkdir } from '../helpers/cli.js';
import { readDb } from '../helpers/db.js';
import { articleConfig } from '../helpers/config.js';
import { pairedModels, startHfServer } from '../helpers/hf-server.js';

// The database and the disk under it failing: damaged, unwritable for the reader, full. The real CLI each time.

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A real database as collect leaves it (closed cleanly: no -wal or -shm beside it), with `days` of Hub counts. */
async function makeDatabase(path: string, days = 1): Promise<void> {
  const store = openSqliteStore(path);
  const runId = await store.beginRun({
    command: 'collect',
    collectors: ['huggingface'],
    asOf: '2024-07-20',
    dataOrigin: 'live',
    toolVersion: 'test',
    startedAt: '2024-07-20T06:00:00.000Z',
  });
  await store.beginCollector(runId, 'huggingface', '2024-07-20T06:00:00.000Z');
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2024, 6, 20 - days + 1 + d)).toISOString().slice(0, 10);
    const count = (subject: string, value: number): Observation => ({
      source: 'huggingface',
      metric: 'models',
      subject,
      period: date,
      method: 'exact',
      value,
      observedAt: date,
      query: `/api/models?filter=${subject}&expand=private&limit=1000`,
      collectorVersion: 'test',
    });
    await store.insertObservations(runId, [count('pytorch', 185_382 + d), count('tf', 17_642 + d), count('pytorch+tf', 4_833 + d)]);
  }
  await store.finishCollector(runId, 'huggingface', 'success', null, '2024-07-20T06:01:00.000Z');
  await store.finishRun(runId, 'success', [], '2024-07-20T06:01:00.000Z');
  await store.close();
}

describe('a damaged database', () => {
  it('every command fails with one line naming it, saying it is damaged and what to do, and leaves it as it is', async () => {
    const dir = tempWorkdir('am-damaged-');
    const db = join(dir, 'adoption.sqlite');
    await makeDatabase(db, 400);
    // Garbage over a whole page in the middle of the file, as a failing disk leaves it.
    const pages = statSync(db).size / 4096;
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);
    const damaged = sha(db);

    for (const args of [
      ['status'],
      ['report', '--as-of', '2024-07-20'],
      ['collect', '--as-of', '2024-07-20'],
      ['run', '--as-of', '2024-07-20'],
    ]) {
      const result = await runCli([...args, '--db', db], { cwd: dir });
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr.trim().split('\n'), args[0]).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^error database ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged \\(.+\\); restore it from a backup, or pass --db with a new file to start afresh \\(adoption-metrics never deletes or repairs it\\)\\n$`,
        ),
      );
    }
    expect(sha(db)).toBe(damaged);
    // Nothing beside it either (report and run have made their output directory).
    expect(readdirSync(dir).filter((f) => f !== 'output')).toEqual(['adoption.sqlite']);
  });

  it('export, which reads every observation, says the database is damaged, not the file it writes', async () => {
    const dir = tempWorkdir('am-damaged-export-');
    const db = join(dir, 'adoption.sqlite');
    await makeDatabase(db, 400);
    // A page of the observations themselves, which export reads (report reads the newest days only).
    const reader = new Database(db, { readonly: true });
    const { pageno } = reader
      .prepare(`SELECT pageno FROM dbstat WHERE name = 'observations' AND pagetype = 'leaf' LIMIT 1 OFFSET 2`)
      .get() as {
      pageno: number;
    };
    reader.close();
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (pageno - 1) * 4096);
    closeSync(fd);
    const damaged = sha(db);
    const out = join(dir, 'history.csv');
    const result = await runCli(['export', '--db', db, '--out', out], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^error database ${literal(db)} is damaged \\(SQLITE_CORRUPT: .+\\); restore it from a backup`),
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(sha(db)).toBe(damaged);
    expect(readdirSync(dir).filter((f) => !f.startsWith('adoption.sqlite'))).toEqual([]);
  });
});

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('a database path that is not a regular file of ours', () => {
  it('a symbolic link is never followed: every command refuses it in one line (exit 2) and its target stays as it was', async () => {
    const dir = tempWorkdir('am-dblink-');
    // An empty file elsewhere: SQLite, following the link, would have made it a database (and put -wal beside it).
    const elsewhere = tempWorkdir('am-decoy-');
    const decoy = join(elsewhere, 'decoy');
    writeFileSync(decoy, '');
    const link = join(dir, 'adoption.sqlite');
    symlinkSync(decoy, link);
    for (const args of [
      ['collect', '--db', link],
      ['run', '--db', link],
      ['status', '--db', link],
      ['report', '--db', link],
    ]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, `${args[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toBe(
        `error database ${link} cannot be used: it is a symbolic link to ${decoy}, which is never followed; pass --db with the database file itself\n`,
      );
    }
    expect(readFileSync(decoy)).toEqual(Buffer.alloc(0));
    expect(readdirSync(elsewhere)).toEqual(['decoy']);
  });

  it("refuses a link at SQLite's side file (-wal) before SQLite writes through it", async () => {
    const dir = tempWorkdir('am-wallink-');
    const db = join(dir, 'adoption.sqlite');
    await makeDatabase(db);
    const decoy = join(tempWorkdir('am-decoy-'), 'decoy');
    writeFileSync(decoy, 'not a write-ahead log\n'.repeat(100));
    const before = sha(decoy);
    symlinkSync(decoy, `${db}-wal`);
    const result = await runCli(['collect', '--db', db, '--as-of', '2024-07-20'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error database ${literal(db)} cannot be used: ${literal(db)}-wal is a symbolic link to ${literal(decoy)}, which is never followed; .*delete it`,
      ),
    );
    expect(sha(decoy)).toBe(before);
  });

  it('status on a FIFO says so at once (exit 2) instead of waiting on it forever', async () => {
    const dir = tempWorkdir('am-fifo-');
    const fifo = join(dir, 'adoption.sqlite');
    execFileSync('mkfifo', [fifo]);
    const run = startCli(['status', '--db', fifo], { cwd: dir });
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    const result = await run.done;
    clearTimeout(timer);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      `error database ${fifo} cannot be used: it is a FIFO (named pipe), not a regular file; pass --db with an adoption-metrics database\n`,
    );
  });
});

/** How to run the CLI as a user who may not write the database's directory (root writes anywhere). */
function unprivileged(): { as: string[]; reason?: undefined } | { as?: undefined; reason: string } {
  if (process.getuid?.() !== 0) return { as: [] }; // already unprivileged: file permissions apply
  for (const [command, ...args] of [
    ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'],
    ['runuser', '-u', 'nobody', '--'],
  ]) {
    try {
      execFileSync(command!, [...args, 'true'], { stdio: 'ignore' });
      return { as: [command!, ...args] };
    } catch {
      // not installed, or not allowed here
    }
  }
  return { reason: 'running as root and neither setpriv nor runuser can switch to the user nobody' };
}

/** A database in `db/` (mode `dbDirMode`), and the reader's own working and temporary directories. */
async function readersSetup(prefix: string, dbDirMode: number) {
  const dir = tempWorkdir(prefix);
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir);
  const db = join(dbDir, 'adoption.sqlite');
  await makeDatabase(db);
  const work = join(dir, 'work');
  const tmp = join(dir, 'tmp');
  mkdirSync(work);
  mkdirSync(tmp);
  chmodSync(dir, 0o755);
  chmodSync(dbDir, dbDirMode);
  chmodSync(work, 0o777);
  chmodSync(tmp, 0o777);
  return { dbDir, db, work, tmp };
}

describe('a database in a directory the reader cannot write', () => {
  const user = unprivileged();

  const who = user.reason ?? (user.as.length > 0 ? 'as nobody' : 'as this unprivileged user');
  it.skipIf(user.as === undefined)(`status and report read it, leaving nothing behind (${who})`, async () => {
    // Readable by all, writable by its owner only.
    const { dbDir, db, work, tmp } = await readersSetup('am-readonly-', process.getuid?.() === 0 ? 0o755 : 0o555);
    const asReader = { cwd: work, env: { TMPDIR: tmp }, as: user.as };
    expect(readdirSync(dbDir)).toEqual(['adoption.sqlite']);

    const status = await runCli(['status', '--db', db], asReader);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/huggingface\s+models\s+pytorch\+tf\s+exact\s+2024-07-20\s+4833/);
    const report = await runCli(['report', '--db', db, '--out', join(work, 'out'), '--as-of', '2024-07-20'], asReader);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(work, 'out/observations.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 3);
    expect(JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')).huggingface.comparisons).toHaveLength(1);
    // Nothing beside the database, and the temporary copy is gone.
    expect(readdirSync(dbDir)).toEqual(['adoption.sqlite']);
    expect(readdirSync(tmp)).toEqual([]);

    // While a run has it open (its -wal and -shm exist, the owner's), the reader sees what it committed.
    const root = process.getuid?.() === 0;
    if (!root) chmodSync(dbDir, 0o755); // the owner is the reader here: it may write only while opening
    const writer = openSqliteStore(db);
    const runId = await writer.beginRun({
      command: 'collect',
      collectors: ['huggingface'],
      asOf: '2024-07-21',
      dataOrigin: 'live',
      toolVersion: 'test',
      startedAt: '2024-07-21T06:00:00.000Z',
    });
    await writer.beginCollector(runId, 'huggingface', '2024-07-21T06:00:00.000Z');
    if (!root) chmodSync(dbDir, 0o555);
    try {
      expect(readdirSync(dbDir).sort()).toEqual(['adoption.sqlite', 'adoption.sqlite-shm', 'adoption.sqlite-wal']);
      const during = await runCli(['status', '--db', db], asReader);
      expect(during.code, during.stderr).toBe(0);
      expect(during.stdout).toMatch(/huggingface\s+#2 .*running\s+2024-07-21/);
    } finally {
      await writer.close();
    }
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('a database another user reads, in a directory the reader may write', () => {
  const user = unprivileged();
  const who = user.reason ?? 'as nobody';
  // Run as root here (the owner), so the reader must be another user: nobody.
  it.skipIf(user.as === undefined || user.as.length === 0)(
    `status and report leave no side file of the reader's beside it, which the owner's runs could not open (${who})`,
    async () => {
      // A shared directory everyone may write (a cron directory made group- or world-writable).
      const { dbDir, db, work, tmp } = await readersSetup('am-shared-dir-', 0o777);
      const asReader = { cwd: work, env: { TMPDIR: tmp }, as: user.as! };
      const status = await runCli(['status', '--db', db], asReader);
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/huggingface\s+models\s+pytorch\+tf\s+exact\s+2024-07-20\s+4833/);
      const report = await runCli(['report', '--db', db, '--out', join(work, 'out'), '--as-of', '2024-07-20'], asReader);
      expect(report.code, report.stderr).toBe(0);
      expect(readdirSync(dbDir)).toEqual(['adoption.sqlite']);
      expect(readdirSync(tmp)).toEqual([]);
    },
  );
});

/** A small tmpfs mounted for one test, or why there cannot be one here. */
function smallDisk(t: TestContext, sizeKiB: number): { dir: string; fill(): void; free(): void } | string {
  const dir = tempWorkdir('am-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return 'mounting a tmpfs needs root (CAP_SYS_ADMIN); not available here';
  }
  t.onTestFinished(() => {
    execFileSync('umount', ['-l', dir]);
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    /** Writes until the disk refuses: every byte is taken. */
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      execFileSync('rm', ['-f', filler]);
    },
  };
}

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('a full disk', () => {
  it.skipIf(!canMount)('collect: one line naming the database and that the disk is full; the collector stops fetching', async (t) => {
    const disk = smallDisk(t, 2048);
    if (typeof disk === 'string') return t.skip(disk);
    const dir = tempWorkdir('am-full-');
    mkdirSync(join(dir, 'cfg'));
    const config = join(dir, 'cfg/config.json');
    writeFileSync(config, JSON.stringify(articleConfig({ fromYear: 2022 })));
    // 2,700 pytorch, 900 tf, 200 both: 27 + 9 + 2 pages of 100 when nothing stops the counting.
    let fillOnRequest = false;
    const hub = await startHfServer({
      models: pairedModels(['pytorch', 'tf'], { a: 2_500, b: 700, both: 200 }),
      pageSize: 100,
      latencyMs: 20,
      faultFor: () => {
        if (fillOnRequest) {
          fillOnRequest = false;
          disk.fill(); // the run has begun; its first count will not fit
        }
        return undefined;
      },
    });
    t.onTestFinished(() => hub.close());
    const db = join(disk.dir, 'adoption.sqlite');
    const args = ['collect', '--sources', 'huggingface', '--config', config, '--db', db];
    const env = hub.env();
    const first = await runCli([...args, '--as-of', '2024-07-20'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    const stored = readDb(db).observations;
    const pagesOfOneRun = hub.requestCount;

    hub.reset();
    fillOnRequest = true;
    const full = await runCli([...args, '--as-of', '2024-07-21'], { cwd: dir, env });
    expect(full.code).toBe(1);
    const errors = full.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([`error database ${db}: the disk is full (SQLITE_FULL: database or disk is full); free space, then run again`]);
    expect(full.stderr).not.toMatch(/count failed/);
    // Stopped instead of fetching the rest: a page or two per count after the failure, not all of them.
    expect(hub.requestCount).toBeLessThan(pagesOfOneRun / 2);

    disk.free();
    const check = readDb(db);
    expect(check.integrity).toBe('ok');
    expect(check.observations.filter((o) => o.run_id === 1)).toEqual(stored);
    // With space again, the next run completes (and says if the full one was left running).
    const next = await runCli([...args, '--as-of', '2024-07-21'], { cwd: dir, env });
    expect(next.code, next.stderr).toBe(0);
  });

  it.skipIf(!canMount)('report: one line naming the report directory and that the disk is full; no half-written file', async (t) => {
    const disk = smallDisk(t, 256);
    if (typeof disk === 'string') return t.skip(disk);
    const dir = tempWorkdir('am-full-');
    const db = join(dir, 'adoption.sqlite');
    await makeDatabase(db, 30);
    const out = join(disk.dir, 'reports');
    mkdirSync(out);
    disk.fill();
    const result = await runCli(['report', '--db', db, '--out', out, '--as-of', '2024-07-20'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error reports in ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the disk is full \\(.*ENOSPC.*\\); free space, then run \`adoption-metrics report\` again\\n$`,
      ),
    );
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

/** A small tmpfs of our own that can be made read-only (as a read-only mount is), or why there is none here. */
function ownMount(t: TestContext): { dir: string; readOnly(): void } | string {
  if (!canMount) return 'mounting a tmpfs needs root (CAP_SYS_ADMIN) and mount(8); not available here';
  const dir = tempWorkdir('am-mount-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4096k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return 'mount -t tmpfs failed here (no CAP_SYS_ADMIN in this container?)';
  }
  t.onTestFinished(() => {
    execFileSync('umount', ['-l', dir]);
  });
  return { dir, readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }) };
}

describe('a database this user may not write', () => {
  it('on a read-only mount: collect and run say the database cannot be written, exit 1, and leave it as it is', async (t) => {
    const mount = ownMount(t);
    if (typeof mount === 'string') return t.skip(mount);
    const db = join(mount.dir, 'adoption.sqlite');
    await makeDatabase(db);
    mount.readOnly();
    const before = sha(db);
    const dir = tempWorkdir('am-rodb-');
    for (const command of ['collect', 'run']) {
      const result = await runCli([command, '--db', db, '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: dir });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toBe(
        `error database ${db}: cannot be written (EROFS: read-only file system, access '${db}'); check its permissions and whether its file system is mounted read-only, then run again\n`,
      );
    }
    expect(sha(db)).toBe(before);
    // Reading it is fine.
    expect((await runCli(['status', '--db', db], { cwd: dir })).code).toBe(0);
  });

  const user = unprivileged();
  it.skipIf(user.as === undefined)(`in another user's directory: the same, by permissions (${user.reason ?? 'as nobody'})`, async () => {
    const dir = tempWorkdir('am-otherdb-');
    const dbDir = join(dir, 'db');
    mkdirSync(dbDir);
    const db = join(dbDir, 'adoption.sqlite');
    await makeDatabase(db);
    const work = join(dir, 'work');
    mkdirSync(work);
    chmodSync(dir, 0o755);
    chmodSync(dbDir, process.getuid?.() === 0 ? 0o755 : 0o555);
    chmodSync(work, 0o777);
    const result = await runCli(['collect', '--db', db, '--sources', 'huggingface', '--as-of', '2024-07-20'], { cwd: work, as: user.as });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error database ${literal(db)}: cannot be written \\(EACCES: permission denied, access '${literal(db)}'\\); check its permissions`,
      ),
    );
  });
});

/** `run` of the Hub alone from a fresh working directory, with its reports in `out`. */
async function runInto(out: string, hub: { env(): Record<string, string | undefined> }) {
  const dir = tempWorkdir('am-roout-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(articleConfig({ fromYear: 2022 })));
  const args = ['run', '--sources', 'huggingface', '--config', 'config.json', '--out', out, '--as-of', '2024-07-20'];
  return { dir, result: await runCli(args, { cwd: dir, env: hub.env() }) };
}

describe('an --out directory this user may not write', () => {
  it('is said before collecting (exit 2), with nothing sent and no database made', async (t) => {
    const mount = ownMount(t);
    if (typeof mount === 'string') return t.skip(mount);
    mount.readOnly();
    const hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 30, b: 10, both: 5 }) });
    t.onTestFinished(() => hub.close());
    const { dir, result } = await runInto(mount.dir, hub);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error --out ${literal(mount.dir)} cannot be written \\(EROFS: read-only file system, open '${literal(mount.dir)}/\\.write-check\\.\\d+\\.[0-9a-f]+\\.tmp'\\); pass a directory you can write, or check whether it is mounted read-only\\n$`,
      ),
    );
    expect(hub.requestCount).toBe(0);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('that becomes read-only while collecting: the report step says so in the line a full disk gets (exit 1)', async (t) => {
    const mount = ownMount(t);
    if (typeof mount === 'string') return t.skip(mount);
    let remount = true;
    const hub = await startHfServer({
      models: pairedModels(['pytorch', 'tf'], { a: 30, b: 10, both: 5 }),
      faultFor: () => {
        if (remount) {
          remount = false;
          mount.readOnly(); // checked writable at the start; read-only by the time the reports are written
        }
        return undefined;
      },
    });
    t.onTestFinished(() => hub.close());
    const { dir, result } = await runInto(mount.dir, hub);
    expect(result.code, result.stderr).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error reports in ${literal(mount.dir)}: cannot be written \\(EROFS: read-only file system, .*\\); check its permissions and whether its file system is mounted read-only, then run \`adoption-metrics report\` again$`,
        ),
      ),
    ]);
    // The counts were stored: `report` can be run again once the directory can be written.
    expect(readDb(join(dir, 'output/adoption.sqlite')).observations.length).toBeGreaterThan(0);
  });
});
