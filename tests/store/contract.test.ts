import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LockBusyError } from '../../src/store/driver.js';
import type { StoreLocation } from '../../src/store/location.js';
import { openStore } from '../../src/store/open.js';
import { SCHEMA_VERSION } from '../../src/store/schema-version.js';
import { freshStore, pubmedObservation as obs, STORE_KINDS, testRun as run } from '../helpers/stores.js';

/** The schema version a database holds, read with a connection of its own. */
async function storedVersion(location: StoreLocation): Promise<number> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.path, { readonly: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  }
  return (await raw(location, 'SELECT schema_version FROM adoption_metrics'))[0]!.schema_version as number;
}

/** Runs SQL on a database with a connection of its own (never the tool's code). */
async function raw(location: StoreLocation, sql: string): Promise<Array<Record<string, unknown>>> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.path);
    try {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all() as Array<Record<string, unknown>>;
      statement.run();
      return [];
    } finally {
      db.close();
    }
  }
  const url = new URL(location.url);
  url.password = location.password ?? '';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// One contract, two stores: every behaviour below holds on SQLite and on PostgreSQL alike.
describe.each(STORE_KINDS)('the store contract on $kind', (kind) => {
  const test = it.skipIf(kind.skip);

  test('appends and reads back; a same-day re-run with the same values adds no rows', async () => {
    const { store } = await freshStore(kind, 'append');
    expect(await store.insertObservations(await run(store), [obs(), obs({ period: '2022', value: 80 })])).toBe(2);
    expect(await store.insertObservations(await run(store), [obs(), obs({ period: '2022', value: 80 })])).toBe(0);
    expect(await store.countObservations()).toBe(2);
    const rows = await store.observations();
    expect(rows.map((o) => [o.period, o.value, o.observedAt, o.query, o.collectorVersion])).toEqual([
      ['2023', 100, '2024-07-20', '(pytorch) AND 2023:2023[dp]', '1.0.0'],
      ['2022', 80, '2024-07-20', '(pytorch) AND 2023:2023[dp]', '1.0.0'],
    ]);
    expect(typeof rows[0]!.id).toBe('number');
    expect(typeof rows[0]!.runId).toBe('number');
    await store.close();
  });

  test('keeps history: a later day or a changed value is a new row and the latest wins', async () => {
    const { store } = await freshStore(kind, 'history');
    await store.insertObservations(await run(store), [obs()]);
    await store.insertObservations(await run(store), [obs({ value: 120 })]); // same day, PubMed grew
    await store.insertObservations(await run(store, '2024-07-21'), [obs({ value: 121.5, observedAt: '2024-07-21' })]);
    expect((await store.observations()).map((o) => o.value)).toEqual([100, 120, 121.5]);
    expect((await store.latestObservations()).map((o) => [o.value, o.observedAt])).toEqual([[121.5, '2024-07-21']]);
    await store.close();
  });

  test('reads as of a date and up to an id: what a report as of a past day sees', async () => {
    const { store } = await freshStore(kind, 'asof');
    expect(await store.lastObservationId()).toBe(0);
    await store.insertObservations(await run(store), [obs(), obs({ period: '2022', value: 80 })]);
    await store.insertObservations(await run(store, '2024-07-21'), [obs({ value: 121, observedAt: '2024-07-21' })]);
    const upToId = await store.lastObservationId();
    await store.insertObservations(await run(store, '2024-07-21'), [obs({ value: 122, observedAt: '2024-07-21' })]);
    expect((await store.observations({ observedBy: '2024-07-20' })).map((o) => o.value)).toEqual([100, 80]);
    expect((await store.observations({ upToId })).map((o) => o.value)).toEqual([100, 80, 121]);
    expect(await store.observations({ observedBy: '2024-07-21', upToId, subject: 'PyTorch' })).toHaveLength(3);
    expect((await store.latestObservations({ observedBy: '2024-07-20' })).map((o) => [o.period, o.value])).toEqual([
      ['2022', 80],
      ['2023', 100],
    ]);
    expect(await store.hasObservations({ observedBy: '2024-07-19', upToId })).toBe(false);
    expect(await store.hasObservations({ observedBy: '2024-07-20', upToId })).toBe(true);
    expect(await store.storedSources()).toEqual(['pubmed']);
    await store.close();
  });

  test('lists the history in the order observations.csv uses, by code point, whatever the server locale', async () => {
    const { store } = await freshStore(kind, 'order');
    // Upper case before lower case, and accents after both: the order must not follow the machine's locale.
    const subjects = ['keras', 'Keras', 'Élan', 'JAX', 'jax'];
    await store.insertObservations(
      await run(store, '2024-07-21'),
      subjects.map((subject, i) => obs({ subject, value: i, observedAt: '2024-07-21' })),
    );
    const second = await run(store);
    await store.insertObservations(
      second,
      subjects.map((subject, i) => obs({ subject, value: 10 + i })),
    );
    const rows = [];
    for await (const row of store.historyRows()) rows.push(row);
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
    expect(rows[0]).toEqual([
      'pubmed',
      'papers',
      'JAX',
      '2023',
      13,
      '2024-07-20',
      second,
      '(pytorch) AND 2023:2023[dp]',
      'esearch',
      'false',
    ]);
    const since = [];
    for await (const row of store.historyRows({ since: '2024-07-21', source: 'pubmed' })) since.push(row[2]);
    expect(since).toEqual(['JAX', 'Keras', 'jax', 'keras', 'Élan']);
    await store.close();
  });

  test('writes a batch all or nothing', async () => {
    const { store } = await freshStore(kind, 'atomic');
    const id = await run(store);
    await expect(store.insertObservations(id, [obs(), obs({ period: '2022', value: Number.NaN })])).rejects.toThrow(/non-finite/);
    expect(await store.countObservations()).toBe(0);
    // The store goes on after a failed batch.
    expect(await store.insertObservations(id, [obs()])).toBe(1);
    await store.close();
  });

  test('stores a query longer than an index entry holds, once', async () => {
    const { store } = await freshStore(kind, 'longquery');
    const query = `(${Array.from({ length: 600 }, (_, i) => `term${i}`).join(' OR ')}) AND 2023:2023[dp]`;
    expect(query.length).toBeGreaterThan(4000);
    expect(await store.insertObservations(await run(store), [obs({ query })])).toBe(1);
    expect(await store.insertObservations(await run(store), [obs({ query })])).toBe(0);
    expect((await store.observations())[0]!.query).toBe(query);
    await store.close();
  });

  test('marks runs left running by a killed process as interrupted and keeps their data', async () => {
    const { store, reopen } = await freshStore(kind, 'killed');
    const id = await run(store);
    await store.beginCollector(id, 'pubmed', new Date().toISOString());
    await store.insertObservations(id, [obs()]);
    await store.close(); // the process "dies" without finishing the run
    const reopened = await reopen();
    expect(await reopened.markInterruptedRuns(new Date().toISOString())).toBe(1);
    expect((await reopened.runs())[0]!.outcome).toBe('interrupted');
    expect((await reopened.collectorStatus())[0]!.last.outcome).toBe('interrupted');
    expect(await reopened.countObservations()).toBe(1);
    await reopened.close();
  });

  test('marks a run a signal stopped, and its unfinished collectors, interrupted; a finished run stays as it is', async () => {
    const { store } = await freshStore(kind, 'signal');
    const id = await run(store);
    await store.beginCollector(id, 'huggingface', 't1');
    await store.finishCollector(id, 'huggingface', 'success', null, 't2');
    await store.beginCollector(id, 'pubmed', 't1');
    expect(await store.interruptRun(id, 'stopped by SIGTERM', 't3')).toBe(true);
    expect((await store.runs())[0]).toMatchObject({ outcome: 'interrupted', finishedAt: 't3', errors: ['stopped by SIGTERM'] });
    expect((await store.collectorStatus()).map((c) => [c.collector, c.last.outcome, c.last.finishedAt, c.last.message])).toEqual([
      ['huggingface', 'success', 't2', null],
      ['pubmed', 'interrupted', 't3', 'stopped by SIGTERM'],
    ]);
    const finished = await run(store);
    await store.finishRun(finished, 'success', [], 't4');
    expect(await store.interruptRun(finished, 'stopped by SIGINT', 't5')).toBe(false);
    expect((await store.runs())[0]).toMatchObject({ id: finished, outcome: 'success' });
    await store.close();
  });

  test('reports the last run and last success per collector, and the provenance of runs', async () => {
    const { store } = await freshStore(kind, 'status');
    const ok = await run(store);
    await store.beginCollector(ok, 'pubmed', 't1');
    await store.finishCollector(ok, 'pubmed', 'success', null, 't2');
    const bad = await store.beginRun({
      command: 'run',
      collectors: ['pubmed'],
      asOf: '2024-07-20',
      dataOrigin: 'replayed',
      toolVersion: '0.1.0',
      startedAt: '2024-07-20T06:00:00Z',
      notice: 'counts are ILLUSTRATIVE',
    });
    await store.beginCollector(bad, 'pubmed', 't3');
    await store.finishCollector(bad, 'pubmed', 'failed', '[collector:pubmed] HTTP 503', 't4');
    const [status] = await store.collectorStatus();
    expect(status!.last).toMatchObject({ runId: bad, message: '[collector:pubmed] HTTP 503', dataOrigin: 'replayed', stored: 0 });
    expect(status!.lastSuccess!.runId).toBe(ok);
    expect([...(await store.runProvenance([bad]))]).toEqual([
      [bad, { origin: 'replayed', notice: 'counts are ILLUSTRATIVE', startedAt: '2024-07-20T06:00:00Z' }],
    ]);
    expect((await store.runProvenance()).size).toBe(2);
    expect(await store.originsOfStoredData()).toEqual([]);
    await store.insertObservations(bad, [obs()]);
    expect(await store.originsOfStoredData()).toEqual(['replayed']);
    expect((await store.runs(1)).map((r) => [r.id, r.collectors, r.command])).toEqual([[bad, ['pubmed'], 'run']]);
    await store.close();
  });

  test('serves dashboards a view: one row per series and period, the value reports use, held-back values left out', async () => {
    const { store, location } = await freshStore(kind, 'view');
    const first = await run(store, '2024-07-20', '2024-07-20T06:00:00.000Z');
    await store.beginCollector(first, 'pubmed', 't');
    await store.appendObservations(first, [obs({ value: 4_310 }), obs({ period: '2022', value: 3_000 })], {
      at: '2024-07-20T06:01:00.000Z',
    });
    const second = await run(store, '2024-07-21', '2024-07-21T06:00:00.000Z');
    await store.beginCollector(second, 'pubmed', 't');
    // 2023 collapses (held back), and 2022 is held back with its answer.
    const held = await store.appendObservations(
      second,
      [obs({ value: 0, observedAt: '2024-07-21' }), obs({ period: '2022', value: 3_001, observedAt: '2024-07-21' })],
      {
        at: '2024-07-21T06:01:00.000Z',
      },
    );
    expect(held).toMatchObject({ heldWith: 1 });
    const rows = await raw(location, 'SELECT period, value, observed_at, run_id FROM latest_observations ORDER BY period');
    expect(rows.map((r) => [r.period, Number(r.value), r.observed_at, Number(r.run_id)])).toEqual([
      ['2022', 3_000, '2024-07-20', first],
      ['2023', 4_310, '2024-07-20', first],
    ]);
    await store.close();
  });

  test('serializes runs: a second lock waits, gives up after its wait, and gets the lock once the first is released', async () => {
    const { store, reopen } = await freshStore(kind, 'lock');
    const other = await reopen();
    const first = await store.lockRuns({ waitMs: 0 });
    const waits: string[] = [];
    await expect(other.lockRuns({ waitMs: 300, onWait: (m) => waits.push(m) })).rejects.toBeInstanceOf(LockBusyError);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/^another run is using .*; waiting for it to finish \(up to 0 s\)$/);
    const second = other.lockRuns({ waitMs: 10_000 });
    setTimeout(() => void first.release(), 300);
    const started = Date.now();
    await (await second).release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await first.release(); // twice is harmless
    await other.close();
    await store.close();
  });

  test('the lock goes with its process: a holder killed with SIGKILL frees it at once', async () => {
    const { store, location } = await freshStore(kind, 'killlock');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openStore } = await import(${JSON.stringify(resolve('dist/src/store/open.js'))});
         const store = await openStore(JSON.parse(process.argv[1]));
         await store.lockRuns({ waitMs: 0 });
         process.stdout.write('locked\\n');
         setInterval(() => {}, 1000);`,
        JSON.stringify(location),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((done) => holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && done()));
    await expect(store.lockRuns({ waitMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    holder.kill('SIGKILL');
    const lock = await store.lockRuns({ waitMs: 10_000 });
    await lock.release();
    await store.close();
  });

  test('migrates a database of the previous schema in one transaction, keeping its rows; a failed migration leaves it as it was', async () => {
    const { store, location, reopen } = await freshStore(kind, 'migrate');
    const id = await run(store);
    await store.insertObservations(id, [obs()]);
    await store.close();
    // What schema 4 held: the same tables, no view.
    await asVersion4(location);
    // A table where the view goes: the migration fails and changes nothing.
    await raw(location, 'CREATE TABLE latest_observations (x integer)');
    await expect(reopen()).rejects.toThrow(/latest_observations/);
    expect(await storedVersion(location)).toBe(4);
    await raw(location, 'DROP TABLE latest_observations');
    // A reader reads it as it is.
    const reader = await reopen({ readonly: true });
    expect((await reader.observations()).map((o) => o.value)).toEqual([100]);
    await reader.close();
    expect(await storedVersion(location)).toBe(4);
    // A writer brings it up to date.
    const upgraded = await reopen();
    expect((await upgraded.observations()).map((o) => o.value)).toEqual([100]);
    await upgraded.close();
    expect(await storedVersion(location)).toBe(SCHEMA_VERSION);
    expect((await raw(location, 'SELECT value FROM latest_observations')).map((r) => Number(r.value))).toEqual([100]);
  });

  test('refuses a database of a newer schema, reader and writer alike, untouched', async () => {
    const { store, location, reopen } = await freshStore(kind, 'newer');
    await store.close();
    await raw(
      location,
      location.kind === 'sqlite'
        ? `PRAGMA user_version = ${SCHEMA_VERSION + 1}`
        : `UPDATE adoption_metrics SET schema_version = ${SCHEMA_VERSION + 1}`,
    );
    for (const readonly of [true, false]) {
      await expect(reopen({ readonly })).rejects.toThrow(
        new RegExp(`^database .* was written by a newer adoption-metrics \\(schema ${SCHEMA_VERSION + 1}\\); upgrade the tool$`),
      );
    }
    expect(await storedVersion(location)).toBe(SCHEMA_VERSION + 1);
  });

  test("refuses another program's database and an empty one to read", async () => {
    const location = await kind.fresh('foreign');
    await expect(openStore(location, { readonly: true })).rejects.toThrow(
      /^database .* (is empty|does not exist); run `adoption-metrics collect --db .*` first$/,
    );
    await raw(location, 'CREATE TABLE invoices (id integer)');
    for (const readonly of [true, false]) {
      await expect(openStore(location, { readonly })).rejects.toThrow(/^database .* belongs to another program/);
    }
    expect((await raw(location, 'SELECT count(*) AS n FROM invoices')).map((r) => Number(r.n))).toEqual([0]);
  });
});

/** Turns a database of the current schema into what schema 4 left: the same tables, without the view. */
async function asVersion4(location: StoreLocation): Promise<void> {
  if (location.kind === 'sqlite') {
    const db = new Database(location.path);
    db.exec('DROP VIEW latest_observations');
    db.pragma('user_version = 4');
    db.close();
    return;
  }
  await raw(location, 'DROP VIEW latest_observations');
  await raw(location, 'UPDATE adoption_metrics SET schema_version = 4');
}
