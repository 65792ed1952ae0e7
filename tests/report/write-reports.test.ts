import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/write-reports.js';
import { articleObservations, articleReport } from './fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adoption-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('src/report/write-reports', () => {
  it('writes every output into a new directory and leaves no temporary files', async () => {
    const out = join(dir, 'nested', 'out');
    const files = await writeReports(articleReport(), articleObservations(), out);
    const names = [
      'report.json',
      'observations.csv',
      'scorecard.csv',
      'hf_models.csv',
      'hf_models_by_month.csv',
      'pubmed_by_year.csv',
      'pubmed_by_year_wide.csv',
      'hf_models.svg',
      'hf_models.vl.json',
      'hf_trend.svg',
      'hf_trend.vl.json',
      'pubmed_trend.svg',
      'pubmed_trend.vl.json',
      'report.html',
    ];
    expect(files).toEqual(names.map((n) => join(out, n)));
    expect((await readdir(out)).sort()).toEqual([...names].sort());
  });

  it('puts the article figures, origin and file guide into report.json', async () => {
    await writeReports(articleReport({ replayed: true }), articleObservations(), dir);
    const text = await readFile(join(dir, 'report.json'), 'utf8');
    const json = JSON.parse(text);
    expect(json).toMatchObject({
      report_version: 3,
      as_of: '2024-07-20',
      generated_at: '2024-07-21T08:00:00.000Z',
      data_origin: 'replayed',
    });
    // Each series under its key in registry order; the first claims audit after the series it is checked against
    // (where readers found it before several series could carry claims), every audit in `audits`.
    expect(Object.keys(json)).toEqual([
      'report_version',
      'as_of',
      'generated_at',
      'data_origin',
      'data_notices',
      'scorecard',
      'methodology',
      'huggingface',
      'audit',
      'huggingface_by_month',
      'pubmed',
      'audits',
      'warnings',
      'files',
    ]);
    expect(Object.keys(json.methodology)).toEqual(['huggingface', 'huggingface_by_month', 'pubmed', 'audit', 'queries', 'observations']);
    // What observations.csv holds now that the whole history is `export`'s.
    expect(json.methodology.observations).toMatch(/^observations\.csv holds the stored observations this report was computed from/);
    expect(json.files['observations.csv']).toMatch(/`adoption-metrics export` writes the whole history/);
    expect(json.huggingface_by_month.comparisons[0].months.at(-1)).toMatchObject({
      month: '2024-07',
      total: 82_891,
      cumulative_total: 198_191,
    });
    expect(json.methodology.huggingface_by_month.caveats).toHaveLength(4);
    const [c] = json.huggingface.comparisons;
    expect(c.segments.map((s: { models: number; share: number }) => [s.models, (s.share * 100).toFixed(2)])).toEqual([
      [180549, '91.10'],
      [12809, '6.46'],
      [4833, '2.44'],
    ]);
    expect(c.availability.map((a: { share: number }) => (a.share * 100).toFixed(2))).toEqual(['93.54', '8.90']);
    expect(c.history).toHaveLength(1);
    expect(json.pubmed.adjustment.method).toBe('lag-aware');
    expect(json.audit.claims).toHaveLength(3);
    expect(json.audit.claims[0].checked_on).toEqual(['2024-07-20']);
    expect(json.audits).toEqual([{ key: 'huggingface', source: 'Hub', methodology: json.methodology.audit, ...json.audit }]);
    expect(Object.keys(json.files)).toContain('pubmed_by_year_wide.csv');
    expect(json.files['hf_models_by_month.csv']).toMatch(
      /^models created per month and segment.*: month,comparison,segment,frameworks,models_created,share_pct,cumulative_models,observed_on/,
    );
  });

  it('writes a UTF-8 BOM on CSVs only when asked', async () => {
    await writeReports(articleReport(), articleObservations(), dir, { bom: true });
    expect((await readFile(join(dir, 'hf_models.csv')))[0]).toBe(0xef);
    expect((await readFile(join(dir, 'report.json')))[0]).toBe('{'.charCodeAt(0));
  });

  it('draws the yearly chart on the scale asked, and describes every file it writes in report.json', async () => {
    const files = await writeReports(articleReport(), articleObservations(), dir, { chartScale: 'log' });
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(Object.keys(json.files).sort()).toEqual(files.map((f) => basename(f)).sort());
    expect(json.files['pubmed_trend.svg']).toContain('log scale');
    expect(json.files['pubmed_trend.vl.json']).toMatch(/^Vega-Lite spec of pubmed_trend\.svg/);
    const spec = JSON.parse(await readFile(join(dir, 'pubmed_trend.vl.json'), 'utf8'));
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    // Counts and per million, one panel each, both on the scale asked.
    const scales = (s: { vconcat: { encoding: { y: { scale: { type: string } } } }[] }) => s.vconcat.map((p) => p.encoding.y.scale.type);
    expect(scales(spec)).toEqual(['log', 'log']);
    const logSvg = await readFile(join(dir, 'pubmed_trend.svg'), 'utf8');
    await writeReports(articleReport(), articleObservations(), dir);
    expect(await readFile(join(dir, 'pubmed_trend.svg'), 'utf8')).not.toBe(logSvg);
    expect(scales(JSON.parse(await readFile(join(dir, 'pubmed_trend.vl.json'), 'utf8')))).toEqual(['linear', 'linear']);
  });
});
