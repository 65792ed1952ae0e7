import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/store/storage-error.js';
import { SCHEMA_VERSION } from '../../src/store/schema-version.js';
import { openSqliteStore } from '../../src/store/sqlite/driver.js';
import { pubmedObservation as obs, testRun as run } from '../helpers/stores.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'am-store-'));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

// SQLite's own file behaviour; what every store does is in contract.test.ts.
describe('the SQLite store (src/store/sqlite)', () => {
  it('upgrades a version-1 database in place, keeping its rows, and reads one read-only without the upgrade', async () => {
    const path = join(tmp(), 'v1.sqlite');
    const store = openSqliteStore(path);
    const first = await run(store);
    await store.insertObservations(first, [obs()]);
    await store.close();
    // What version 1 wrote: runs without the notice column, and no suspect tables (version 3).
    const raw = new Database(path);
    raw.exec('ALTER TABLE runs DROP COLUMN notice; DROP TABLE suspect_resolutions; DROP TABLE suspect_observations');
    raw.pragma('user_version = 1');
    raw.close();

    const readonly = openSqliteStore(path, { readonly: true });
    expect((await readonly.runProvenance()).get(first)).toMatchObject({ origin: 'live', notice: null });
    expect((await readonly.observations()).map((o) => [o.value, o.suspect])).toEqual([[100, undefined]]);
    await readonly.close();

    const upgraded = openSqliteStore(path);
    const replayed = await upgraded.beginRun({
      command: 'run',
      collectors: ['pubmed'],
      asOf: '2024-07-20',
      dataOrigin: 'replayed',
      toolVersion: '0.1.0',
      startedAt: '2024-07-20T06:00:00Z',
      notice: 'counts are ILLUSTRATIVE',
    });
    expect([...(await upgraded.runProvenance())]).toEqual([
      [first, expect.objectContaining({ origin: 'live', notice: null })],
      [replayed, { origin: 'replayed', notice: 'counts are ILLUSTRATIVE', startedAt: '2024-07-20T06:00:00Z' }],
    ]);
    expect((await upgraded.observations()).map((o) => o.value)).toEqual([100]);
    await upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('migrates a version-3 database in one transaction: marks get their time, a stopped collector its committed count', async () => {
    const path = join(tmp(), 'v3.sqlite');
    const store = openSqliteStore(path);
    const first = await run(store);
    await store.beginCollector(first, 'pubmed', '2024-07-20T06:00:00.000Z');
    await store.appendObservations(first, [obs({ value: 4_310 })], { at: '2024-07-20T06:00:01.000Z' });
    const second = await store.beginRun({
      command: 'collect',
      collectors: ['pubmed'],
      asOf: '2024-07-21',
      dataOrigin: 'live',
      toolVersion: '0.1.0',
      startedAt: '2024-07-21T06:00:00.000Z',
    });
    await store.beginCollector(second, 'pubmed', '2024-07-21T06:00:00.000Z');
    for (const o of [obs({ value: 0, observedAt: '2024-07-21' }), obs({ period: '2022', value: 80, observedAt: '2024-07-21' })]) {
      await store.appendObservations(second, [o], { at: '2024-07-21T06:00:01.000Z' });
    }
    await store.close();
    // What version 3 left: no series key, marks without a time or a cause, and a killed collector's count at 0.
    const raw = new Database(path);
    raw.exec(`ALTER TABLE observations DROP COLUMN series_key;
      ALTER TABLE suspect_observations DROP COLUMN marked_at; ALTER TABLE suspect_observations DROP COLUMN cause;
      UPDATE collector_runs SET stored = 0, outcome = 'interrupted' WHERE run_id = ${second}`);
    raw.pragma('user_version = 3');
    raw.close();

    // Read without upgrading: the count is unknown, never a false 0.
    const reader = openSqliteStore(path, { readonly: true });
    expect((await reader.collectorStatus())[0]!.last).toMatchObject({ runId: second, outcome: 'interrupted', stored: null });
    expect((await reader.observations()).filter((o) => o.suspect !== undefined).map((o) => o.value)).toEqual([0]);
    await reader.close();

    const upgraded = openSqliteStore(path);
    expect((await upgraded.collectorStatus())[0]!.last).toMatchObject({ runId: second, outcome: 'interrupted', stored: 2 });
    // The mark made under version 3 is dated from its run, so a repeat the same morning does not confirm it.
    const third = await run(upgraded, '2024-07-21');
    expect(
      await upgraded.appendObservations(third, [obs({ value: 0, observedAt: '2024-07-21' })], { at: '2024-07-21T07:00:00.000Z' }),
    ).toMatchObject({
      confirmed: [],
      held: [expect.objectContaining({ repeatOf: '2024-07-21T06:00:00.000Z' })],
    });
    await upgraded.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.prepare('SELECT marked_at, cause FROM suspect_observations').all()).toEqual([
      { marked_at: '2024-07-21T06:00:00.000Z', cause: 'fall' },
    ]);
    check.close();
  });

  it('reads the history in export order from an index, replacing the older series index on the next write', async () => {
    const path = join(tmp(), 'index.sqlite');
    const store = openSqliteStore(path);
    await store.insertObservations(await run(store), [obs(), obs({ subject: 'Keras', method: 'fast' }), obs({ period: '2022' })]);
    await store.close();
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
    await openSqliteStore(path).close();
    expect(indexes()).toEqual({
      names: ['suspect_resolutions_observation', 'observations_history'],
      plan: ['SCAN o USING INDEX observations_history'],
    });
    const reader = openSqliteStore(path, { readonly: true });
    const rows = [];
    for await (const row of reader.historyRows()) rows.push(row);
    expect(rows.map((r) => `${r[2]} ${r[8]} ${r[3]}`)).toEqual(['Keras fast 2023', 'PyTorch esearch 2022', 'PyTorch esearch 2023']);
    await reader.close();
  });

  it('refuses a file that is not SQLite and leaves it untouched', async () => {
    const path = join(tmp(), 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = sha(path);
    expect(() => openSqliteStore(path)).toThrow(/database .*notes\.sqlite cannot be opened .*; pass --db/);
    expect(sha(path)).toBe(before);
  });

  it('says an empty file holds nothing yet instead of failing on a missing table', async () => {
    const path = join(tmp(), 'empty.sqlite');
    writeFileSync(path, '');
    expect(() => openSqliteStore(path, { readonly: true })).toThrow(
      /database .*empty\.sqlite is empty; run `adoption-metrics collect --db .*` first/,
    );
    const store = openSqliteStore(path); // a writer makes it a database
    expect(await store.countObservations()).toBe(0);
    await store.close();
  });

  it('refuses a damaged database in one line naming it, and leaves it untouched', async () => {
    const path = join(tmp(), 'a.sqlite');
    const store = openSqliteStore(path);
    const id = await run(store);
    for (let i = 0; i < 40; i++) await store.insertObservations(id, [obs({ period: String(1900 + i), query: 'q'.repeat(500) })]);
    await store.close();
    const pages = readFileSync(path).length / 4096;
    const bytes = readFileSync(path);
    bytes.fill(0xa5, Math.floor(pages / 2) * 4096, Math.floor(pages / 2) * 4096 + 4096);
    writeFileSync(path, bytes);
    const before = sha(path);
    for (const readonly of [true, false]) {
      expect(() => openSqliteStore(path, { readonly })).toThrow(StorageError);
      expect(() => openSqliteStore(path, { readonly })).toThrow(
        new RegExp(`^database ${path} is damaged \\(.+\\); restore it from a backup, or pass --db with a new file to start afresh`),
      );
    }
    expect(sha(path)).toBe(before);
  });
});
