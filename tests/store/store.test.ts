import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/observation.js';
import { StorageError } from '../../src/store/storage-error.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'am-store-'));
const obs = (over: Partial<Observation> = {}): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject: 'PyTorch',
  period: '2023',
  method: 'esearch',
  value: 100,
  observedAt: '2024-07-20',
  query: '(pytorch) AND 2023:2023[dp]',
  collectorVersion: '1.0.0',
  ...over,
});
const run = (store: Store, asOf = '2024-07-20') =>
  store.beginRun({
    command: 'collect',
    collectors: ['pubmed'],
    asOf,
    dataOrigin: 'live',
    toolVersion: '0.1.0',
    startedAt: new Date().toISOString(),
  });
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('src/store/store', () => {
  it('appends, and a same-day re-run with the same values adds no rows', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    expect(store.insertObservations(run(store), [obs(), obs({ period: '2022', value: 80 })])).toBe(2);
    expect(store.insertObservations(run(store), [obs(), obs({ period: '2022', value: 80 })])).toBe(0);
    expect(store.countObservations()).toBe(2);
  });

  it('keeps history: a later day or a changed value is a new row and the latest wins', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    store.insertObservations(run(store), [obs()]);
    const second = run(store);
    store.insertObservations(second, [obs({ value: 120 })]); // same day, PubMed grew
    store.insertObservations(run(store, '2024-07-21'), [obs({ value: 121, observedAt: '2024-07-21' })]);
    expect(store.observations().map((o) => o.value)).toEqual([100, 120, 121]);
    expect(store.latestObservations().map((o) => [o.value, o.observedAt])).toEqual([[121, '2024-07-21']]);
  });

  it('reads a snapshot: rows observed by a date and stored up to an id, and the newest id', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    expect(store.lastObservationId()).toBe(0);
    store.insertObservations(run(store), [obs(), obs({ period: '2022', value: 80 })]);
    store.insertObservations(run(store, '2024-07-21'), [obs({ value: 121, observedAt: '2024-07-21' })]);
    const upToId = store.lastObservationId();
    store.insertObservations(run(store, '2024-07-21'), [obs({ value: 122, observedAt: '2024-07-21' })]); // committed after the snapshot
    expect(store.observations({ observedBy: '2024-07-20' }).map((o) => o.value)).toEqual([100, 80]);
    expect(store.observations({ upToId }).map((o) => o.value)).toEqual([100, 80, 121]);
    expect(store.observations({ observedBy: '2024-07-21', upToId, subject: 'PyTorch' })).toHaveLength(3);
    expect(store.observations().map((o) => o.value)).toEqual([100, 80, 121, 122]);
  });

  it('lists the history in the order observations.csv uses, by code point', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    // Upper case before lower case, and accents after both: the order must not follow the machine's locale.
    const subjects = ['keras', 'Keras', 'Élan', 'JAX', 'jax'];
    store.insertObservations(
      run(store, '2024-07-21'),
      subjects.map((subject, i) => obs({ subject, value: i, observedAt: '2024-07-21' })),
    );
    store.insertObservations(
      run(store),
      subjects.map((subject, i) => obs({ subject, value: 10 + i })),
    );
    const rows = [...store.historyRows()];
    expect(rows.map((r) => `${r[2]} ${r[5]}`)).toEqual([
      'JAX 2024-07-20',
      'JAX 2024-07-21',
      'Keras 2024-07-20',
      'Keras 2024-07-21',
      'jax 2024-07-20',
      'jax 2024-07-21',
      'keras 2024-07-20',
      'keras 2024-07-21',
      'Élan 2024-07-20',
      'Élan 2024-07-21',
    ]);
    expect(rows[0]).toEqual(['pubmed', 'papers', 'JAX', '2023', 13, '2024-07-20', 2, '(pytorch) AND 2023:2023[dp]', 'esearch', 'false']);
  });

  it('upgrades a version-1 database in place, keeping its rows, and reads one read-only without the upgrade', () => {
    const path = join(tmp(), 'v1.sqlite');
    const store = Store.open(path);
    const first = run(store);
    store.insertObservations(first, [obs()]);
    store.close();
    // What version 1 wrote: runs without the notice column, and no suspect tables (version 3).
    const raw = new Database(path);
    raw.exec('ALTER TABLE runs DROP COLUMN notice; DROP TABLE suspect_resolutions; DROP TABLE suspect_observations');
    raw.pragma('user_version = 1');
    raw.close();

    const readonly = Store.open(path, { readonly: true });
    expect(readonly.runProvenance().get(first)).toMatchObject({ origin: 'live', notice: null });
    expect(readonly.observations().map((o) => [o.value, o.suspect])).toEqual([[100, undefined]]);
    readonly.close();

    const upgraded = Store.open(path);
    const replayed = upgraded.beginRun({
      command: 'run',
      collectors: ['pubmed'],
      asOf: '2024-07-20',
      dataOrigin: 'replayed',
      toolVersion: '0.1.0',
      startedAt: '2024-07-20T06:00:00Z',
      notice: 'counts are ILLUSTRATIVE',
    });
    expect([...upgraded.runProvenance()]).toEqual([
      [first, expect.objectContaining({ origin: 'live', notice: null })],
      [replayed, { origin: 'replayed', notice: 'counts are ILLUSTRATIVE', startedAt: '2024-07-20T06:00:00Z' }],
    ]);
    expect(upgraded.observations().map((o) => o.value)).toEqual([100]);
    upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('migrates a version-3 database in one transaction: marks get their time, a stopped collector its committed count', () => {
    const path = join(tmp(), 'v3.sqlite');
    const store = Store.open(path);
    const first = run(store);
    store.beginCollector(first, 'pubmed', '2024-07-20T06:00:00.000Z');
    store.appendObservations(first, [obs({ value: 4_310 })], { at: '2024-07-20T06:00:01.000Z' });
    const second = store.beginRun({
      command: 'collect',
      collectors: ['pubmed'],
      asOf: '2024-07-21',
      dataOrigin: 'live',
      toolVersion: '0.1.0',
      startedAt: '2024-07-21T06:00:00.000Z',
    });
    store.beginCollector(second, 'pubmed', '2024-07-21T06:00:00.000Z');
    for (const o of [obs({ value: 0, observedAt: '2024-07-21' }), obs({ period: '2022', value: 80, observedAt: '2024-07-21' })]) {
      store.appendObservations(second, [o], { at: '2024-07-21T06:00:01.000Z' });
    }
    store.close();
    // What version 3 left: no series key, marks without a time or a cause, and a killed collector's count at 0.
    const raw = new Database(path);
    raw.exec(`ALTER TABLE observations DROP COLUMN series_key;
      ALTER TABLE suspect_observations DROP COLUMN marked_at; ALTER TABLE suspect_observations DROP COLUMN cause;
      UPDATE collector_runs SET stored = 0, outcome = 'interrupted' WHERE run_id = ${second}`);
    raw.pragma('user_version = 3');
    raw.close();

    // Read without upgrading: the count is unknown, never a false 0.
    const reader = Store.open(path, { readonly: true });
    expect(reader.collectorStatus()[0]!.last).toMatchObject({ runId: second, outcome: 'interrupted', stored: null });
    expect(
      reader
        .observations()
        .filter((o) => o.suspect !== undefined)
        .map((o) => o.value),
    ).toEqual([0]);
    reader.close();

    const upgraded = Store.open(path);
    expect(upgraded.collectorStatus()[0]!.last).toMatchObject({ runId: second, outcome: 'interrupted', stored: 2 });
    // The mark made under version 3 is dated from its run, so a repeat the same morning does not confirm it.
    const third = run(upgraded, '2024-07-21');
    expect(
      upgraded.appendObservations(third, [obs({ value: 0, observedAt: '2024-07-21' })], { at: '2024-07-21T07:00:00.000Z' }),
    ).toMatchObject({
      confirmed: [],
      held: [expect.objectContaining({ repeatOf: '2024-07-21T06:00:00.000Z' })],
    });
    upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.prepare('SELECT marked_at, cause FROM suspect_observations').all()).toEqual([
      { marked_at: '2024-07-21T06:00:00.000Z', cause: 'fall' },
    ]);
    check.close();
  });

  it('refuses a database of a newer schema, untouched', () => {
    const path = join(tmp(), 'newer.sqlite');
    Store.open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = sha(path);
    for (const readonly of [true, false]) {
      expect(() => Store.open(path, { readonly })).toThrow(
        new RegExp(
          `database .*newer\\.sqlite was written by a newer adoption-metrics \\(schema ${SCHEMA_VERSION + 1}\\); upgrade the tool`,
        ),
      );
    }
    expect(sha(path)).toBe(before);
  });

  it('reads the history in export order from an index, replacing the older series index on the next write', () => {
    const path = join(tmp(), 'index.sqlite');
    const store = Store.open(path);
    store.insertObservations(run(store), [obs(), obs({ subject: 'Keras', method: 'fast' }), obs({ period: '2022' })]);
    store.close();
    // What the tool wrote before: the series index, which repeats the UNIQUE key's leading columns.
    const raw = new Database(path);
    raw.exec(`DROP INDEX observations_history;
      CREATE INDEX observations_series ON observations (source, metric, subject, period, method, observed_at)`);
    raw.close();
    const indexes = () => {
      const db = new Database(path, { readonly: true });
      const names = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all() as Array<{ name: string }>
      ).map((r) => r.name);
      // The export's ORDER BY, as historyRows writes it: no sort of the whole history in a temporary b-tree.
      const plan = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT * FROM observations o ORDER BY source, metric, subject, method, period, observed_at, run_id, id`,
          )
          .all() as Array<{ detail: string }>
      ).map((r) => r.detail);
      db.close();
      return { names, plan };
    };
    expect(indexes().plan.join(' ')).toContain('TEMP B-TREE');
    Store.open(path).close();
    expect(indexes()).toEqual({
      names: ['suspect_resolutions_observation', 'observations_history'],
      plan: ['SCAN o USING INDEX observations_history'],
    });
    const reader = Store.open(path, { readonly: true });
    expect([...reader.historyRows()].map((r) => `${r[2]} ${r[8]} ${r[3]}`)).toEqual([
      'Keras fast 2023',
      'PyTorch esearch 2022',
      'PyTorch esearch 2023',
    ]);
    reader.close();
  });

  it('writes a batch all or nothing', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    const id = run(store);
    expect(() => store.insertObservations(id, [obs(), obs({ period: '2022', value: Number.NaN })])).toThrow(/non-finite/);
    expect(store.countObservations()).toBe(0);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const path = join(tmp(), 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = sha(path);
    expect(() => Store.open(path)).toThrow(/database .*notes\.sqlite cannot be opened .*; pass --db/);
    expect(sha(path)).toBe(before);
  });

  it('says an empty file holds nothing yet instead of failing on a missing table', () => {
    const path = join(tmp(), 'empty.sqlite');
    writeFileSync(path, '');
    expect(() => Store.open(path, { readonly: true })).toThrow(
      /database .*empty\.sqlite is empty; run `adoption-metrics collect --db .*` first/,
    );
    const store = Store.open(path); // a writer makes it a database
    expect(store.countObservations()).toBe(0);
    store.close();
  });

  it("refuses another program's SQLite database", () => {
    const path = join(tmp(), 'other.sqlite');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER)');
    other.close();
    expect(() => Store.open(path)).toThrow(/belongs to another program/);
  });

  it('marks runs left running by a killed process as interrupted and keeps their data', () => {
    const path = join(tmp(), 'a.sqlite');
    const store = Store.open(path);
    const id = run(store);
    store.beginCollector(id, 'pubmed', new Date().toISOString());
    store.insertObservations(id, [obs()]);
    store.close(); // the process "dies" without finishing the run
    const reopened = Store.open(path);
    expect(reopened.markInterruptedRuns(new Date().toISOString())).toBe(1);
    expect(reopened.runs()[0]!.outcome).toBe('interrupted');
    expect(reopened.collectorStatus()[0]!.last.outcome).toBe('interrupted');
    expect(reopened.countObservations()).toBe(1);
  });

  it('marks a run a signal stopped, and its unfinished collectors, interrupted; a finished run stays as it is', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    const id = run(store);
    store.beginCollector(id, 'huggingface', 't1');
    store.finishCollector(id, 'huggingface', 'success', null, 't2');
    store.beginCollector(id, 'pubmed', 't1');
    expect(store.interruptRun(id, 'stopped by SIGTERM', 't3')).toBe(true);
    expect(store.runs()[0]).toMatchObject({ outcome: 'interrupted', finishedAt: 't3', errors: ['stopped by SIGTERM'] });
    expect(store.collectorStatus().map((c) => [c.collector, c.last.outcome, c.last.finishedAt, c.last.message])).toEqual([
      ['huggingface', 'success', 't2', null],
      ['pubmed', 'interrupted', 't3', 'stopped by SIGTERM'],
    ]);
    const finished = run(store);
    store.finishRun(finished, 'success', [], 't4');
    expect(store.interruptRun(finished, 'stopped by SIGINT', 't5')).toBe(false);
    expect(store.runs()[0]).toMatchObject({ id: finished, outcome: 'success' });
  });

  it('refuses a damaged database in one line naming it, and leaves it untouched', () => {
    const path = join(tmp(), 'a.sqlite');
    const store = Store.open(path);
    const id = run(store);
    for (let i = 0; i < 40; i++) store.insertObservations(id, [obs({ period: String(1900 + i), query: 'q'.repeat(500) })]);
    store.close();
    const pages = readFileSync(path).length / 4096;
    const bytes = readFileSync(path);
    bytes.fill(0xa5, Math.floor(pages / 2) * 4096, Math.floor(pages / 2) * 4096 + 4096);
    writeFileSync(path, bytes);
    const before = sha(path);
    for (const readonly of [true, false]) {
      expect(() => Store.open(path, { readonly })).toThrow(StorageError);
      expect(() => Store.open(path, { readonly })).toThrow(
        new RegExp(`^database ${path} is damaged \\(.+\\); restore it from a backup, or pass --db with a new file to start afresh`),
      );
    }
    expect(sha(path)).toBe(before);
  });

  it('reports the last run and last success per collector', () => {
    const store = Store.open(join(tmp(), 'a.sqlite'));
    const ok = run(store);
    store.beginCollector(ok, 'pubmed', 't1');
    store.finishCollector(ok, 'pubmed', 'success', null, 't2');
    const bad = run(store);
    store.beginCollector(bad, 'pubmed', 't3');
    store.finishCollector(bad, 'pubmed', 'failed', '[collector:pubmed] HTTP 503', 't4');
    const [status] = store.collectorStatus();
    expect(status!.last.runId).toBe(bad);
    expect(status!.last.message).toContain('HTTP 503');
    expect(status!.lastSuccess!.runId).toBe(ok);
  });
});
