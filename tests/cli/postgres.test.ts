import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, startCli, tempWorkdir, waitFor } from '../helpers/cli.js';
import { articleConfig } from '../helpers/config.js';
import { readDb, type StoredRow } from '../helpers/db.js';
import { npmStartArgs } from '../helpers/demo.js';
import { startEsearchServer, type EsearchServer } from '../helpers/esearch-server.js';
import { pairedModels, startHfServer, type HfServer } from '../helpers/hf-server.js';
import { adminQuery, createTestDatabase, hasPostgres, type TestDatabase } from '../helpers/postgres.js';
import { pgAllText, pgCounts, pgQuery } from '../helpers/postgres-db.js';

// The tool against a real PostgreSQL server (the run's throw-away cluster, tests/global-setup.ts): the same
// commands, the same reports as from SQLite, runs from several processes serialized, and every failure one line.

const TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?( UTC)?/g;

/** Every report file in `dir`, by name, with the generation time (and `names`, the stores) replaced. */
function reportFiles(dir: string, names: readonly string[] = []): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    let text = readFileSync(join(dir, name), 'utf8');
    for (const store of names) text = text.split(store).join('<store>');
    files[name] = text.replace(/"generated_at": "[^"]*"/g, '"generated_at": "<time>"').replace(/generated [^);<]*/g, 'generated <time>');
  }
  return files;
}

/** The demo's arguments (npm start) with another database and output folder. */
const demoArgs = (db: string, out: string) =>
  npmStartArgs().map((arg, i, all) => (all[i - 1] === '--db' ? db : all[i - 1] === '--out' ? out : arg));

/** stdout and stderr, each line: for what must never appear in anything the tool says. */
const said = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

describe.skipIf(!hasPostgres)('PostgreSQL as the store (--db postgres://…)', () => {
  describe('the demo replay', () => {
    let dir: string;
    let pgDb: TestDatabase;
    let pgRun: CliResult;
    let sqliteRun: CliResult;
    const sqlite = () => join(dir, 'demo.sqlite');

    beforeAll(async () => {
      dir = tempWorkdir('am-pg-demo-');
      pgDb = await createTestDatabase('demo');
      [pgRun, sqliteRun] = await Promise.all([
        runCli(demoArgs(pgDb.urlWithoutPassword, 'pg'), { cwd: dir, env: { PGPASSWORD: pgDb.password } }),
        runCli(demoArgs(sqlite(), 'sqlite'), { cwd: dir }),
      ]);
    }, 120_000);

    it('gives the reports the demo into SQLite gives, byte for byte but for the generation time and the store', async () => {
      expect(pgRun.code, pgRun.stderr).toBe(0);
      expect(sqliteRun.code, sqliteRun.stderr).toBe(0);
      const fromPostgres = reportFiles(join(dir, 'pg'));
      const fromSqlite = reportFiles(join(dir, 'sqlite'));
      expect(Object.keys(fromPostgres)).toEqual(Object.keys(fromSqlite));
      expect(Object.keys(fromPostgres)).toEqual(
        expect.arrayContaining(['report.json', 'report.html', 'observations.csv', 'scorecard.csv']),
      );
      for (const name of Object.keys(fromSqlite)) expect(fromPostgres[name], name).toBe(fromSqlite[name]);
      expect(pgRun.stdout.replace(TIME, '<time>')).toBe(sqliteRun.stdout.replace(TIME, '<time>'));
      // The same rows stored (the sources answer concurrently, so in another order).
      type Row = Pick<StoredRow, 'source' | 'metric' | 'subject' | 'period' | 'method' | 'value' | 'query'>;
      const rows = await pgQuery<Row>(db(), 'SELECT source, metric, subject, period, method, value, query FROM observations');
      const key = (r: Row) => JSON.stringify([r.source, r.metric, r.subject, r.period, r.method, Number(r.value), r.query]);
      expect(rows.map(key).sort()).toEqual(readDb(sqlite()).observations.map(key).sort());
      // `status` says the same of both.
      const statuses = await Promise.all([
        runCli(['status', '--db', pgDb.url], { cwd: dir }),
        runCli(['status', '--db', sqlite()], { cwd: dir }),
      ]);
      expect(statuses[0].code, statuses[0].stderr).toBe(0);
      expect(statuses[0].stdout.split('\n')[0]).toBe(`Database: postgres://${new URL(pgDb.url).host}/${pgDb.name}`);
      const body = (r: CliResult) => r.stdout.split('\n').slice(1).join('\n').replace(TIME, '<time>');
      expect(body(statuses[0])).toBe(body(statuses[1]));
    });

    const db = () => pgDb;

    it('copies the history both ways with equal row counts per table; a second copy adds nothing; reports from the copy are the same', async () => {
      const into = await createTestDatabase('copy');
      const copied = await runCli(['copy', '--from', sqlite(), '--to', into.url], { cwd: dir });
      expect(copied.code, copied.stderr).toBe(0);
      const counts = await pgCounts(into);
      const local = readDb(sqlite());
      expect(counts).toEqual({
        runs: local.runs.length,
        collector_runs: local.collectorRuns.length,
        observations: local.observations.length,
        suspect_observations: 0,
        suspect_resolutions: 0,
      });
      expect(counts.observations).toBeGreaterThan(1000);
      expect(copied.stdout).toMatch(
        new RegExp(
          `observations \\(observations\\)\\s+${counts.observations}\\s+${counts.observations}\\s+0\\s+0\\s+${counts.observations}`,
        ),
      );
      expect(copied.stdout).toMatch(/^Verified: every row of the source is in the target/m);
      expect(said(copied)).not.toContain(into.password);

      const again = await runCli(['copy', '--from', sqlite(), '--to', into.url], { cwd: dir });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/nothing was new/);
      expect(await pgCounts(into)).toEqual(counts);

      // And back, into a new SQLite file: the same rows in every table.
      const back = join(dir, 'back.sqlite');
      const returned = await runCli(['copy', '--from', into.url, '--to', back], { cwd: dir });
      expect(returned.code, returned.stderr).toBe(0);
      const copy = readDb(back);
      expect(copy.integrity).toBe('ok');
      expect(copy.runs).toEqual(local.runs);
      expect(copy.collectorRuns).toEqual(local.collectorRuns);
      expect(copy.observations).toEqual(local.observations);

      // Reports from the copy are the demo's.
      const reported = await runCli(['report', '--db', into.url, '--as-of', '2024-07-20', '--out', 'copied'], { cwd: dir });
      expect(reported.code, reported.stderr).toBe(0);
      const fromCopy = reportFiles(join(dir, 'copied'));
      const fromSqlite = reportFiles(join(dir, 'sqlite'));
      for (const name of Object.keys(fromSqlite)) expect(fromCopy[name], name).toBe(fromSqlite[name]);
    });

    it('exports the same CSV and Parquet rows from PostgreSQL as from SQLite, streamed from a cursor', async () => {
      const results = await Promise.all([
        runCli(['export', '--db', pgDb.url, '--out', 'pg.csv'], { cwd: dir }),
        runCli(['export', '--db', sqlite(), '--out', 'sqlite.csv'], { cwd: dir }),
        runCli(['export', '--db', pgDb.url, '--out', 'pg.parquet', '--source', 'pubmed'], { cwd: dir }),
        runCli(['export', '--db', sqlite(), '--out', 'sqlite.parquet', '--source', 'pubmed'], { cwd: dir }),
      ]);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const csv = readFileSync(join(dir, 'pg.csv'), 'utf8');
      expect(csv.split('\n').length).toBeGreaterThan(1000);
      expect(csv).toBe(readFileSync(join(dir, 'sqlite.csv'), 'utf8'));
      const parquet = async (name: string) => {
        const bytes = readFileSync(join(dir, name));
        return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
      };
      const rows = await parquet('pg.parquet');
      expect(rows.length).toBeGreaterThan(100);
      expect(rows).toEqual(await parquet('sqlite.parquet'));
    });

    it('never mixes replayed data with live data: copy refuses, and a live run refuses the replayed database', async () => {
      const live = await createTestDatabase('live');
      await pgQuery(live, 'SELECT 1');
      // A live run's database (made here by hand: one live run with one observation).
      const seeded = await runCli(['copy', '--from', sqlite(), '--to', live.url], { cwd: dir });
      expect(seeded.code).toBe(0);
      await pgQuery(live, `UPDATE runs SET data_origin = 'live'`);
      const refused = await runCli(['copy', '--from', sqlite(), '--to', live.url], { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toMatch(
        /^error .*demo\.sqlite holds replayed data and postgres:\/\/127\.0\.0\.1:\d+\/am_live_\S+ holds live data; a database holds one kind of data/,
      );
      const liveRun = await runCli(['collect', '--db', pgDb.url, '--sources', 'pubmed'], { cwd: dir });
      expect(liveRun.code).toBe(2);
      expect(liveRun.stderr).toMatch(/database postgres:\/\/127\.0\.0\.1:\d+\/am_demo_\S+ holds replayed data/);
    });
  });

  describe('live runs against the stand-ins', () => {
    let hub: HfServer;
    let ncbi: EsearchServer;
    const CONFIG = articleConfig({ fromYear: 2019, toYear: 2023 });
    const papers = (keyword: string, year: number) => keyword.length * 100 + (year - 2000);
    const env = () => ({ ...hub.env(), ...ncbi.env({ NCBI_API_KEY: 'pg-test-key' }) });

    beforeAll(async () => {
      hub = await startHfServer({
        models: pairedModels(['pytorch', 'tf'], { a: 3_000, b: 1_000, both: 400 }),
        pageSize: 200,
        latencyMs: 30,
      });
      ncbi = await startEsearchServer({ count: (term) => (term ? papers(term.keyword, term.year) : undefined), latencyMs: 60 });
    });
    afterAll(async () => {
      await hub.close();
      await ncbi.close();
    });

    function workdir(): string {
      const dir = tempWorkdir('am-pg-run-');
      writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(CONFIG));
      return dir;
    }

    it('`run` into PostgreSQL, then `report` from it, equals SQLite; the password is nowhere, ADOPTION_METRICS_DB names it for cron', async () => {
      const dir = workdir();
      const db = await createTestDatabase('live');
      const sqlite = join(dir, 'output/adoption.sqlite');
      // The password in the URL for one, in PGPASSWORD (and the URL in ADOPTION_METRICS_DB) for the other commands.
      const ran = await runCli(['run', '--as-of', '2024-07-20', '--db', db.url, '--out', 'pg-run'], { cwd: dir, env: env() });
      expect(ran.code, ran.stderr).toBe(0);
      const local = await runCli(['run', '--as-of', '2024-07-20', '--out', 'sqlite-run'], { cwd: dir, env: env() });
      expect(local.code, local.stderr).toBe(0);
      const cron = { ...env(), ADOPTION_METRICS_DB: db.urlWithoutPassword, PGPASSWORD: db.password };
      const reported = await runCli(['report', '--as-of', '2024-07-20', '--out', 'pg-report', '-v'], { cwd: dir, env: cron });
      expect(reported.code, reported.stderr).toBe(0);
      const fromSqlite = await runCli(['report', '--as-of', '2024-07-20', '--out', 'sqlite-report'], { cwd: dir, env: env() });
      expect(fromSqlite.code).toBe(0);
      const names = [db.name, sqlite];
      const pgFiles = reportFiles(join(dir, 'pg-report'), names);
      const sqliteFiles = reportFiles(join(dir, 'sqlite-report'), names);
      expect(Object.keys(pgFiles).length).toBeGreaterThan(5);
      for (const name of Object.keys(sqliteFiles)) expect(pgFiles[name], name).toBe(sqliteFiles[name]);
      expect(reportFiles(join(dir, 'pg-run'), names)).toEqual(reportFiles(join(dir, 'sqlite-run'), names));

      const status = await runCli(['status'], { cwd: dir, env: cron });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/^Database: postgres:\/\/127\.0\.0\.1:\d+\/am_live_/);
      const exported = await runCli(['export', '--out', 'history.csv'], { cwd: dir, env: cron });
      expect(exported.code, exported.stderr).toBe(0);
      // The password: in no output, no report file, no stored row.
      const everything = [ran, reported, status, exported].map(said).join('\n');
      expect(everything).toContain(db.name);
      expect(everything).not.toContain(db.password);
      for (const out of ['pg-run', 'pg-report']) {
        for (const [name, text] of Object.entries(reportFiles(join(dir, out)))) expect(text.includes(db.password), name).toBe(false);
      }
      expect(readFileSync(join(dir, 'history.csv'), 'utf8')).not.toContain(db.password);
      const stored = await pgAllText(db);
      expect(stored).toContain('pubmed');
      expect(stored).not.toContain(db.password);
    });

    it('serializes two runs started at once from two processes: one waits for the other, each measurement is stored once', async () => {
      const dir = workdir();
      const db = await createTestDatabase('twice');
      const args = ['collect', '--as-of', '2024-07-20', '--db', db.url];
      const [a, b] = await Promise.all([runCli(args, { cwd: dir, env: env() }), runCli(args, { cwd: dir, env: env() })]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      // One of them said it waited for the other, naming the database (never its password).
      const waited = [a, b].filter((r) =>
        /another run is using postgres:\/\/127\.0\.0\.1:\d+\/am_twice_\S+ \(held by a session from 127\.0\.0\.1 since/.test(r.stderr),
      );
      expect(waited).toHaveLength(1);
      const runs = await pgQuery<{ id: string; started_at: string; finished_at: string; outcome: string }>(
        db,
        'SELECT id, started_at, finished_at, outcome FROM runs ORDER BY id',
      );
      expect(runs.map((r) => r.outcome)).toEqual(['success', 'success']);
      // They never overlapped: the second began after the first had finished.
      expect(runs[1]!.started_at >= runs[0]!.finished_at).toBe(true);
      // Every measurement once: the second run found each already stored under the same date.
      const perRun = await pgQuery<{ run_id: string; n: number }>(
        db,
        'SELECT run_id, count(*)::int AS n FROM observations GROUP BY run_id',
      );
      expect(perRun).toHaveLength(1);
      const unique = await pgQuery<{ n: number; distinct: number }>(
        db,
        `SELECT count(*)::int AS n, count(DISTINCT (source, metric, subject, period, method, observed_at, query))::int AS distinct FROM observations`,
      );
      expect(unique[0]!.n).toBe(unique[0]!.distinct);
      expect(unique[0]!.n).toBeGreaterThan(20);
      const [first, second] = await pgQuery<{ collector: string; stored: number }>(
        db,
        `SELECT collector, stored FROM collector_runs WHERE collector = 'pubmed' ORDER BY run_id`,
      );
      expect(first!.stored).toBeGreaterThan(0);
      expect(second!.stored).toBe(0);
      // A third, impatient one gives up with the lock's line.
      const holder = startCli(['collect', '--as-of', '2024-07-21', '--db', db.url], { cwd: dir, env: env() });
      await waitFor(() => /collecting/.test(holder.stderr), 30_000, 'the holder to start collecting');
      const impatient = await runCli(['collect', '--as-of', '2024-07-22', '--db', db.url, '--lock-wait', '0'], { cwd: dir, env: env() });
      expect(impatient.code).toBe(1);
      expect(impatient.stderr.trim()).toMatch(
        /^(warn .*\n)?error another adoption-metrics run holds the run lock of postgres:\/\/127\.0\.0\.1:\d+\/am_twice_\S+ \(held by a session from 127\.0\.0\.1 since .*\); waited 0 s\. Try again later or raise --lock-wait$/,
      );
      expect((await holder.done).code).toBe(0);
    });

    it('a run stopped by SIGTERM marks itself and its collectors interrupted, keeps what it committed, and releases the lock', async () => {
      const dir = workdir();
      const db = await createTestDatabase('sigterm');
      const slow = await startEsearchServer({ count: (term) => (term ? papers(term.keyword, term.year) : undefined), latencyMs: 400 });
      try {
        const running = startCli(['collect', '--as-of', '2024-07-20', '--db', db.url, '--sources', 'pubmed'], {
          cwd: dir,
          env: slow.env({ NCBI_API_KEY: 'pg-test-key' }),
        });
        const committed = async () => (await pgQuery<{ n: number }>(db, 'SELECT count(*)::int AS n FROM observations'))[0]!.n;
        await waitFor(() => /collecting/.test(running.stderr), 30_000, 'the run to start');
        for (let i = 0; i < 200 && (await committed()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
        running.child.kill('SIGTERM');
        const result = await running.done;
        expect(result.code).toBe(143);
        expect(result.stderr).toMatch(
          /^error SIGTERM: stopped run 1, marked interrupted; its \d+ stored observation\(s\) are kept; lock released$/m,
        );
        const [run] = await pgQuery<{ outcome: string; errors: string }>(db, 'SELECT outcome, errors FROM runs');
        expect(run).toEqual({ outcome: 'interrupted', errors: '["stopped by SIGTERM"]' });
        const [collector] = await pgQuery<{ outcome: string; stored: number }>(db, 'SELECT outcome, stored FROM collector_runs');
        expect(collector).toEqual({ outcome: 'interrupted', stored: await committed() });
        // The lock went with it: the next run starts at once.
        const next = await runCli(['collect', '--as-of', '2024-07-20', '--db', db.url, '--sources', 'pubmed', '--lock-wait', '0'], {
          cwd: dir,
          env: env(),
        });
        expect(next.code, next.stderr).toBe(0);
      } finally {
        await slow.close();
      }
    });

    it('a server that goes away mid-run: one line naming the database, exit 1, what was committed kept, nothing half-written', async () => {
      const dir = workdir();
      const db = await createTestDatabase('gone');
      const slow = await startEsearchServer({ count: (term) => (term ? papers(term.keyword, term.year) : undefined), latencyMs: 400 });
      try {
        const running = startCli(['collect', '--as-of', '2024-07-20', '--db', db.url, '--sources', 'pubmed'], {
          cwd: dir,
          env: slow.env({ NCBI_API_KEY: 'pg-test-key' }),
        });
        await waitFor(() => /collecting/.test(running.stderr), 30_000, 'the run to start');
        // Some counts committed, then every connection of the run is cut by the server.
        const committed = async () => (await pgQuery<{ n: number }>(db, 'SELECT count(*)::int AS n FROM observations'))[0]!.n;
        for (let i = 0; i < 200 && (await committed()) < 3; i++) await new Promise((r) => setTimeout(r, 50));
        await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
          db.name,
        ]);
        const result = await running.done;
        expect(result.code).toBe(1);
        const errors = result.stderr.split('\n').filter((l) => l.startsWith('error'));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(
          /^error database postgres:\/\/127\.0\.0\.1:\d+\/am_gone_\S+: the connection to the server was lost \(57P01: terminating connection due to administrator command\)(, and the run lock with it; this run stops writing so that no other run overlaps it)?; what was committed before is kept, nothing half-written: run again when it is back$/,
        );
        expect(said(result)).not.toContain(db.password);
        // Every committed batch is whole (a PubMed count is one batch), and counted in its collector's record.
        const rows = await pgQuery<{ n: number }>(db, 'SELECT count(*)::int AS n FROM observations');
        const [record] = await pgQuery<{ stored: number }>(db, 'SELECT stored FROM collector_runs');
        expect(rows[0]!.n).toBeGreaterThanOrEqual(3);
        expect(record!.stored).toBe(rows[0]!.n);
        // The next run marks it interrupted and completes.
        const next = await runCli(['collect', '--as-of', '2024-07-20', '--db', db.url, '--sources', 'pubmed'], { cwd: dir, env: env() });
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).toMatch(/1 earlier run\(s\) had been interrupted/);
      } finally {
        await slow.close();
      }
    });
  });

  describe('a database that cannot be used: one line naming it (never the password), exit 1, nothing written', () => {
    it.each([
      [
        'an unreachable server',
        async () => 'postgres://someone:s3cret-unreachable@127.0.0.1:9/adoption',
        /cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:9\); check the host and port/,
      ],
      [
        'a wrong password',
        async () => {
          const db = await createTestDatabase('wrongpw');
          const url = new URL(db.url);
          url.password = 'not-the-s3cret-password';
          return url.toString();
        },
        /refused the login as user admin \(28P01: password authentication failed for user "admin"\); check the user and the password/,
      ],
      [
        'no password at all',
        async () => (await createTestDatabase('nopw')).urlWithoutPassword,
        /asks for a password as user admin and none was given; put it in PGPASSWORD \(or in the URL\)$/,
      ],
      [
        'a missing database',
        async () => {
          const url = new URL((await createTestDatabase('exists')).url);
          url.pathname = '/no_such_database';
          return url.toString();
        },
        /does not exist on the server \(3D000: database "no_such_database" does not exist\); create it \(createdb no_such_database\)/,
      ],
      [
        "another program's database",
        async () => {
          const db = await createTestDatabase('foreign');
          await pgQuery(db, 'CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)');
          return db.url;
        },
        /belongs to another program \(schema public holds 1 table\(s\), none of them adoption-metrics'\); pass --db with a database of its own$/,
      ],
    ])('%s', async (_, makeUrl, line) => {
      const url = await makeUrl();
      const password = decodeURIComponent(new URL(url).password);
      const dir = tempWorkdir('am-pg-bad-');
      for (const args of [
        ['collect', '--sources', 'pubmed', '--db', url],
        ['status', '--db', url],
        ['report', '--db', url, '--out', 'out'],
      ]) {
        const result = await runCli(args, { cwd: dir });
        expect(result.code, result.stderr).toBe(1);
        expect(result.stdout).toBe('');
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^error database postgres:\/\/127\.0\.0\.1:\d+\/\w+ /);
        expect(lines[0]).toMatch(line);
        if (password) expect(result.stderr).not.toContain(password);
      }
      const foreign = url.includes('am_foreign');
      if (foreign) {
        const tables = await adminQuery<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
          [],
          new URL(url).pathname.slice(1),
        );
        expect(tables[0]!.n).toBe(1);
      }
    });

    it('bad URLs are usage errors (exit 2), the password not repeated', async () => {
      const dir = tempWorkdir('am-pg-bad-');
      for (const [url, line] of [
        ['postgres://me:hunter2-secret@127.0.0.1:5432/', /--db postgres:\/\/127\.0\.0\.1:5432\/ names no database/],
        ['mysql://me:hunter2-secret@host/db', /--db mysql:\/\/host\/db is not a database adoption-metrics can use/],
        ['postgres://me:hunter2-secret@127.0.0.1:9/db?sslmode=allow', /sslmode=allow is not supported/],
      ] as const) {
        const result = await runCli(['status', '--db', url], { cwd: dir });
        expect(result.code).toBe(2);
        expect(result.stderr.trim()).toMatch(line);
        expect(result.stderr).not.toContain('hunter2');
      }
      const empty = await runCli(['status'], { cwd: dir, env: { ADOPTION_METRICS_DB: ' ' } });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/ADOPTION_METRICS_DB is set but empty/);
    });
  });
});
