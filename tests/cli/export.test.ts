import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { exportHistory } from '../../src/cli/export.js';
import { createMemoryLogger } from '../../src/core/logger.js';
import type { Observation, StoredObservation } from '../../src/core/observation.js';
import { observationsCsv } from '../../src/report/observations-csv.js';
import { COLLECTORS } from '../../src/registry.js';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';
import type { Store } from '../../src/store/store.js';
import { runCli, tempWorkdir } from '../helpers/cli.js';

const papers = (
  subject: string,
  year: number,
  observedAt: string,
  value: number,
  query = `(${subject}) AND ${year}:${year}[dp]`,
): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject,
  period: String(year),
  method: 'esearch',
  value,
  observedAt,
  query,
  collectorVersion: '1.0.0',
});

const models = (subject: string, observedAt: string, value: number): Observation => ({
  source: 'huggingface',
  metric: 'models',
  subject,
  period: observedAt,
  method: 'exact',
  value,
  observedAt,
  query: `/api/models?filter=${subject}`,
  collectorVersion: '1.0.0',
});

/**
 * Three days of PubMed and Hub counts in a new database: text that CSV must quote or defuse, subjects whose
 * UTF-16 and code-point orders disagree (🤗 is above U+FFFF, Ａ is U+FF21), a re-run the same day, and a collapse
 * held back as suspect.
 */
async function history(dir: string): Promise<{ db: string; store: Store }> {
  const db = join(dir, 'adoption.sqlite');
  const store = openSqliteStore(db);
  const run = (asOf: string) =>
    store.beginRun({
      command: 'run',
      collectors: ['pubmed'],
      asOf,
      dataOrigin: 'live',
      toolVersion: '0.1.0',
      startedAt: `${asOf}T06:00:00Z`,
    });
  const day = (asOf: string, growth: number) => [
    papers('PyTorch', 2023, asOf, 100 + growth, '=cmd, "quoted"\nline'),
    papers('PyTorch', 2024, asOf, 40 + growth),
    papers('TensorFlow', 2023, asOf, 300 + growth),
    papers('TensorFlow', 2024, asOf, 90 + growth),
    papers('🤗', 2024, asOf, 7),
    papers('Ａ', 2024, asOf, 8),
    models('pytorch', asOf, 1000 + growth),
    models('tf', asOf, 500 + growth),
    models('pytorch+tf', asOf, 50),
  ];
  await store.insertObservations(await run('2024-07-20'), day('2024-07-20', 0));
  await store.insertObservations(await run('2024-07-21'), day('2024-07-21', 1));
  await store.insertObservations(await run('2024-07-21'), [papers('PyTorch', 2024, '2024-07-21', 42)]);
  await store.insertObservations(await run('2024-07-22'), day('2024-07-22', 2));
  // TensorFlow 2024 at 0 on the 23rd: held back.
  const held = await store.appendObservations(await run('2024-07-23'), [papers('TensorFlow', 2024, '2024-07-23', 0)], {
    at: '2024-07-23T06:00:01Z',
  });
  expect(held.held).toHaveLength(1);
  return { db, store };
}

/** A Parquet row as hyparquet reads it back, from the stored observation it should be. */
const parquetRow = (o: StoredObservation) => ({
  source: o.source,
  metric: o.metric,
  subject: o.subject,
  period: o.period,
  value: o.value,
  observed_at: o.observedAt,
  run_id: o.runId,
  query: o.query,
  method: o.method,
  held_back: o.suspect !== undefined,
});

const lines = (text: string) => text.trimEnd().split('\n');

/** Every registered source, as --source's error lists them. */
const SOURCE_IDS = COLLECTORS.map((c) => c.id)
  .sort()
  .join(', ');

describe('adoption-metrics export', () => {
  it('writes the whole history as CSV, in the bytes and order of observations.csv; --since and --source keep a part', async () => {
    const dir = tempWorkdir('am-export-');
    const { db, store } = await history(dir);
    const all = await store.observations();
    await store.close();
    const result = await runCli(['export', '--db', db, '--out', 'out/history.csv'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wrote 29 observation\(s\) to .*history\.csv \(csv\)/);
    const csv = readFileSync(join(dir, 'out/history.csv'), 'utf8');
    expect(csv).toBe(observationsCsv(all));
    expect(csv.indexOf('pubmed,papers,Ａ,')).toBeLessThan(csv.indexOf('pubmed,papers,🤗,'));
    expect(csv).toContain(`"'=cmd, ""quoted""\nline"`);
    expect(lines(csv).filter((l) => l.endsWith(',true'))).toEqual([
      'pubmed,papers,TensorFlow,2024,0,2024-07-23,5,(TensorFlow) AND 2024:2024[dp],esearch,true',
    ]);

    expect((await runCli(['export', '--db', db, '--out', 'since.csv', '--since', '2024-07-22'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'since.csv'), 'utf8')).toBe(observationsCsv(all.filter((o) => o.observedAt >= '2024-07-22')));
    expect((await runCli(['export', '--db', db, '--out', 'hub.csv', '--source', 'huggingface'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'hub.csv'), 'utf8')).toBe(observationsCsv(all.filter((o) => o.source === 'huggingface')));
  });

  it('writes Parquet that hyparquet reads back row for row, typed (numbers, booleans), in the same order', async () => {
    const dir = tempWorkdir('am-export-');
    const { db, store } = await history(dir);
    const all = await store.observations();
    await store.close();
    // The format follows the file name, or --format.
    expect((await runCli(['export', '--db', db, '--out', 'history.parquet'], { cwd: dir })).code).toBe(0);
    expect(
      (await runCli(['export', '--db', db, '--out', 'history.pq', '--format', 'parquet', '--source', 'pubmed'], { cwd: dir })).code,
    ).toBe(0);
    const read = async (name: string) => {
      const bytes = readFileSync(join(dir, name));
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { metadata: parquetMetadata(file), rows: await parquetReadObjects({ file }) };
    };
    const whole = await read('history.parquet');
    // Row for row what the CSV export lists, in its order (the store's history order), typed.
    const reader = openSqliteStore(db, { readonly: true });
    const listed = [];
    for await (const row of reader.historyRows()) listed.push(row);
    await reader.close();
    expect(whole.rows).toHaveLength(all.length);
    expect(whole.rows).toEqual(
      listed.map(([source, metric, subject, period, value, observedAt, runId, query, method, heldBack]) => ({
        source,
        metric,
        subject,
        period,
        value,
        observed_at: observedAt,
        run_id: runId,
        query,
        method,
        held_back: heldBack === 'true',
      })),
    );
    // The same values as the stored observations.
    for (const row of whole.rows) {
      expect(all.map(parquetRow)).toContainEqual(row);
    }
    expect(whole.rows.filter((r) => r.held_back)).toEqual([expect.objectContaining({ subject: 'TensorFlow', value: 0, held_back: true })]);
    expect(whole.metadata.schema.slice(1).map((s) => [s.name, s.type, s.repetition_type])).toEqual([
      ['source', 'BYTE_ARRAY', 'REQUIRED'],
      ['metric', 'BYTE_ARRAY', 'REQUIRED'],
      ['subject', 'BYTE_ARRAY', 'REQUIRED'],
      ['period', 'BYTE_ARRAY', 'REQUIRED'],
      ['value', 'DOUBLE', 'REQUIRED'],
      ['observed_at', 'BYTE_ARRAY', 'REQUIRED'],
      ['run_id', 'INT32', 'REQUIRED'],
      ['query', 'BYTE_ARRAY', 'REQUIRED'],
      ['method', 'BYTE_ARRAY', 'REQUIRED'],
      ['held_back', 'BOOLEAN', 'REQUIRED'],
    ]);
    const pubmed = await read('history.pq');
    expect(pubmed.rows.map((r) => r.source)).toEqual(all.filter((o) => o.source === 'pubmed').map(() => 'pubmed'));
  });

  it('holds what a report no longer lists: observations.csv keeps the rows behind the figures, export the history', async () => {
    const dir = tempWorkdir('am-export-');
    const { db, store } = await history(dir);
    const all = await store.observations();
    await store.close();
    writeFileSync(
      join(dir, 'adoption.config.json'),
      JSON.stringify({
        frameworks: [
          { name: 'PyTorch', pubmed: { term: 'pytorch' } },
          { name: 'TensorFlow', pubmed: { term: 'tensorflow' } },
        ],
        pubmed: { fromYear: 2023 },
      }),
    );
    const report = await runCli(['report', '--db', db, '--as-of', '2024-07-23', '--out', 'report'], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    expect((await runCli(['export', '--db', db, '--out', 'history.csv'], { cwd: dir })).code).toBe(0);
    const shown = readFileSync(join(dir, 'report/observations.csv'), 'utf8');
    const whole = readFileSync(join(dir, 'history.csv'), 'utf8');
    // Each keyword's latest count of each year (TensorFlow 2024's last good one, which the figures use), and the
    // value held back that the warnings name; nothing of the Hub, which this config does not report.
    const reported = all.filter(
      (o) =>
        o.source === 'pubmed' &&
        ['PyTorch', 'TensorFlow'].includes(o.subject) &&
        (o.observedAt === '2024-07-22' || o.suspect !== undefined),
    );
    expect(reported).toHaveLength(5);
    expect(shown).toBe(observationsCsv(reported));
    expect(whole).toBe(observationsCsv(all));
    for (const line of lines(shown)) expect(lines(whole)).toContain(line);
  });

  it.each([
    [['--db', 'adoption.sqlite'], /^error export needs --out FILE, the file to write; e\.g\. --out history\.parquet$/],
    [['--out', 'x.csv', '--format', 'xml'], /^error --format xml is not one of csv, parquet; use e\.g\. --format parquet$/],
    [['--out', 'x.csv', '--since', '2024-02-30'], /^error --since 2024-02-30 is not a date; use YYYY-MM-DD, e\.g\. --since 2024-07-20$/],
    [['--out', 'x.csv', '--source', 'arxiv'], new RegExp(`^error --source arxiv is not a source; use one of ${SOURCE_IDS}$`)],
    [['--out', 'dir'], /^error --out dir cannot be written: it is a directory, not a regular file; pass the path of a file$/],
    [
      ['--out', 'link.csv'],
      /^error --out link\.csv cannot be written: it is a symbolic link to .*target\.csv, which is never followed; pass the path of a file$/,
    ],
    [
      ['--out', 'x.csv', '--db', 'none.sqlite'],
      /^error database .*none\.sqlite does not exist; run `adoption-metrics collect --db .*none\.sqlite` first$/,
    ],
  ])('refuses %j in one line, exit 2, writing nothing', async (args, message) => {
    const dir = tempWorkdir('am-export-');
    await (await history(dir)).store.close();
    mkdirSync(join(dir, 'dir'));
    writeFileSync(join(dir, 'target.csv'), 'keep me\n');
    symlinkSync(join(dir, 'target.csv'), join(dir, 'link.csv'));
    // SQLite's own side files of a reader (-wal, -shm) aside.
    const files = () =>
      readdirSync(dir)
        .filter((f) => !/-(wal|shm)$/.test(f))
        .sort();
    const before = files();
    const result = await runCli(['export', ...(args.includes('--db') ? [] : ['--db', 'adoption.sqlite']), ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(files()).toEqual(before);
    expect(readFileSync(join(dir, 'target.csv'), 'utf8')).toBe('keep me\n');
    expect(readlinkSync(join(dir, 'link.csv'))).toBe(join(dir, 'target.csv'));
  });

  it('replaces the file whole, and a failure half-way leaves it as it was with nothing beside it', async () => {
    const dir = tempWorkdir('am-export-');
    const { db, store } = await history(dir);
    await store.close();
    writeFileSync(join(dir, 'history.csv'), 'older export\n');
    expect((await runCli(['export', '--db', db, '--out', 'history.csv'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'history.csv'), 'utf8')).toMatch(/^source,metric,/);
    // A read that fails after some rows: the store giving out mid-export, say. SQLite's error goes up as it is, for
    // the command to say it naming the database (tests/cli/storage.test.ts), not the file being written.
    const failing = {
      storedSources: async () => [],
      historyRows: async function* () {
        yield ['pubmed', 'papers', 'PyTorch', '2024', 1, '2024-07-20', 1, 'q', 'esearch', 'false'] as const;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      },
    } as unknown as Store;
    for (const format of ['csv', 'parquet'] as const) {
      const out = join(dir, `history.${format}`);
      writeFileSync(out, 'older export\n');
      await expect(exportHistory(failing, { out, format }, createMemoryLogger())).rejects.toMatchObject({
        message: 'disk I/O error',
        code: 'SQLITE_IOERR',
      });
      expect(readFileSync(out, 'utf8')).toBe('older export\n');
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'history.csv'))).toBe(true);
  });
});
