import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/observation.js';
import { writeHistoryCsv, type HistoryCsvJob } from '../../src/cli/history-csv.js';
import { observationsCsv } from '../../src/report/observations-csv.js';
import { Store } from '../../src/store/store.js';

const obs = (subject: string, observedAt: string, value: number, query = `(${subject}) AND 2023:2023[dp]`): Observation => ({
  source: 'pubmed',
  metric: 'papers',
  subject,
  period: '2023',
  method: 'esearch',
  value,
  observedAt,
  query,
  collectorVersion: '1.0.0',
});

/** A store with two days of history, then a row committed after the snapshot id and one observed after the date. */
function fixture(): { dir: string; dbPath: string; upToId: number; store: Store } {
  const dir = mkdtempSync(join(tmpdir(), 'am-history-'));
  const dbPath = join(dir, 'adoption.sqlite');
  const store = Store.open(dbPath);
  const run = (asOf: string) =>
    store.beginRun({
      command: 'collect',
      collectors: ['pubmed'],
      asOf,
      dataOrigin: 'live',
      toolVersion: '0.1.0',
      startedAt: `${asOf}T06:00:00Z`,
    });
  store.insertObservations(run('2024-07-20'), [
    obs('TensorFlow', '2024-07-20', 300),
    obs('PyTorch', '2024-07-20', 100, '=cmd, "quoted"\nline'),
  ]);
  // 🤗 is above U+FFFF and Ａ (U+FF21) below it: UTF-16 order and code-point order disagree on them.
  store.insertObservations(run('2024-07-21'), [
    obs('PyTorch', '2024-07-21', 101),
    obs('keras', '2024-07-21', 50),
    obs('🤗', '2024-07-21', 7),
    obs('Ａ', '2024-07-21', 8),
  ]);
  const upToId = store.lastObservationId();
  store.insertObservations(run('2024-07-21'), [obs('PyTorch', '2024-07-21', 102)]);
  store.insertObservations(run('2024-07-22'), [obs('PyTorch', '2024-07-22', 103)]);
  return { dir, dbPath, upToId, store };
}

describe('src/cli/history-csv', () => {
  it('streams the same observations.csv as the in-memory writer, for the same snapshot', async () => {
    const { dir, dbPath, upToId, store } = fixture();
    const job: HistoryCsvJob = { dbPath, observedBy: '2024-07-21', upToId, outPath: join(dir, 'observations.csv'), bom: false };
    await writeHistoryCsv(job);
    const written = readFileSync(job.outPath, 'utf8');
    const expected = observationsCsv(store.observations().filter((o) => o.observedAt <= job.observedBy && o.id <= upToId));
    expect(written).toBe(expected);
    // Six rows: the later commit (102) and the later day (103) are not in the snapshot.
    expect(written.match(/^pubmed,/gm)).toHaveLength(6);
    expect(written.indexOf('pubmed,papers,Ａ,')).toBeLessThan(written.indexOf('pubmed,papers,🤗,'));
    expect(written).not.toMatch(/,10[23],/);
    expect(written).toContain(`"'=cmd, ""quoted""\nline"`);
    store.close();
  });

  it('writes from a worker thread in the compiled tool, and a failure names the file', async () => {
    // The worker entry is a compiled .js file next to its module, so this runs the build (tests/global-setup.ts).
    const compiled = resolve(import.meta.dirname, '../../dist/src/cli/history-csv.js');
    const { writeHistoryCsvInWorker } = (await import(compiled)) as typeof import('../../src/cli/history-csv.js');
    const { dir, dbPath, upToId, store } = fixture();
    const job: HistoryCsvJob = { dbPath, observedBy: '2024-07-22', upToId: upToId + 2, outPath: join(dir, 'observations.csv'), bom: true };
    await writeHistoryCsvInWorker(job);
    expect(readFileSync(job.outPath, 'utf8')).toBe(observationsCsv(store.observations(), { bom: true }));
    store.close();
    const missing = { ...job, dbPath: join(dir, 'no-such.sqlite'), outPath: join(dir, 'other.csv') };
    // A usage error (here: no such database) stays one across the thread, so the CLI exits 2 with it.
    await expect(writeHistoryCsvInWorker(missing, 'observations.csv')).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(/^observations\.csv could not be written: database .*no-such\.sqlite does not exist/),
    });
  });

  it('marks a value held back as a suspect collapse, alike in the stream and in memory', async () => {
    const { dir, dbPath, store } = fixture();
    const runId = store.beginRun({
      command: 'collect',
      collectors: ['pubmed'],
      asOf: '2024-07-23',
      dataOrigin: 'live',
      toolVersion: '0.1.0',
      startedAt: '2024-07-23T06:00:00Z',
    });
    // PyTorch 2023 was 103 on the 22nd; 0 on the 23rd is held back.
    expect(store.appendObservations(runId, [obs('PyTorch', '2024-07-23', 0)], { at: '2024-07-23T06:00:01Z' }).held).toHaveLength(1);
    const job: HistoryCsvJob = {
      dbPath,
      observedBy: '2024-07-23',
      upToId: store.lastObservationId(),
      outPath: join(dir, 'o.csv'),
      bom: false,
    };
    await writeHistoryCsv(job);
    const csv = readFileSync(job.outPath, 'utf8');
    expect(csv).toBe(observationsCsv(store.observations(), { bom: false }));
    const marked = csv.split('\n').filter((line) => line.endsWith(',true'));
    expect(marked).toEqual(['pubmed,papers,PyTorch,2023,0,2024-07-23,5,(PyTorch) AND 2023:2023[dp],esearch,true']);
    store.close();
  });

  it('writes its staged file new: a link planted at the name fails the export and its target stays', async () => {
    const { dir, dbPath, upToId, store } = fixture();
    const decoy = join(fixture().dir, 'decoy');
    writeFileSync(decoy, 'precious\n');
    const outPath = join(dir, '.observations.csv.123.0badc0de.tmp');
    symlinkSync(decoy, outPath);
    await expect(writeHistoryCsv({ dbPath, observedBy: '2024-07-21', upToId, outPath, bom: false })).rejects.toThrow(/EEXIST/);
    expect(readFileSync(decoy, 'utf8')).toBe('precious\n');
    store.close();
  });
});
