import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analyze/build-report.js';
import type { MonthlyCountSeries } from '../../src/analyze/monthly-count/spec.js';
import { type Report, sectionsOf } from '../../src/analyze/report-types.js';
import { sectionFiles } from '../../src/report/kinds.js';
import { reportJson } from '../../src/report/report-json.js';
import { renderSummary } from '../../src/report/summary.js';
import { monthlySpec, run, steady } from '../analyze/monthly-count-helpers.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/report/report.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false, allErrors: true }).compile(schema);

function report(rows = run(steady, { through: '2024-07-18' }), series: MonthlyCountSeries = monthlySpec(), asOf = '2024-07-20'): Report {
  return buildReport({ observations: rows, series: [series], asOf, generatedAt: '2024-07-21T08:00:00.000Z', replayed: false });
}

const file = (r: Report, name: string, options = {}) => {
  const found = sectionFiles(r, {}, options).find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} among ${sectionFiles(r, {}).map((f) => f.name)}`);
  return found.content();
};

describe('src/report/monthly-count', () => {
  it('writes the CSV, the wide CSV, the chart and its Vega-Lite spec under the file stems the series declares', () => {
    expect(sectionFiles(report(), {}).map((f) => f.name)).toEqual([
      'src_downloads_by_month.csv',
      'src_downloads_by_month_wide.csv',
      'src_trend.svg',
      'src_trend.vl.json',
    ]);
  });

  it('the long CSV: one row per month and framework, the columns named by the series, month as YYYY-MM text', () => {
    const lines = file(report(), 'src_downloads_by_month.csv').trimEnd().split('\n');
    expect(lines[0]).toBe('month,framework,downloads,share_pct,yoy_pct,rolling_12m,partial,days_covered,estimate,packages,observed_at');
    expect(lines).toHaveLength(1 + 31 * 3);
    const june = lines.find((l) => l.startsWith('2024-06,A,'))!.split(',');
    expect(june[3]).toBe('66.67');
    expect(june[6]).toBe('false');
    expect(june[7]).toBe('30');
    expect(june[8]).toBe('');
    expect(june[9]).toBe('a');
    expect(june[10]).toBe('2024-07-18');
    expect(Number(june[5])).toBeGreaterThan(Number(june[2]));
    const july = lines.find((l) => l.startsWith('2024-07,B,'))!.split(',');
    expect(july.slice(6, 8)).toEqual(['true', '18']);
    expect(Number(july[8])).toBeCloseTo((Number(july[2]) * 31) / 18, 1);
    expect(july[9]).toBe('b+b-extra');
    // A framework in no comparison: no share.
    expect(lines.find((l) => l.startsWith('2024-06,C,'))!.split(',')[3]).toBe('');
  });

  it('the wide CSV: month, then one column per framework', () => {
    const lines = file(report(), 'src_downloads_by_month_wide.csv').trimEnd().split('\n');
    expect(lines[0]).toBe('month,A,B,C');
    expect(lines).toHaveLength(32);
    expect(lines[1]).toMatch(/^2022-01,\d+,\d+,\d+$/);
  });

  it('the chart: counts per month on a linear or log axis, and the comparison shares under them; the partial month labelled', () => {
    const r = report();
    const linear = file(r, 'src_trend.svg');
    expect(linear).toContain('Test downloads');
    expect(linear).toContain('>Downloads per month</text>');
    expect(linear).toContain('>Share of A vs B downloads (%)</text>');
    expect(linear).toContain('2024-07 partial');
    expect(linear).toMatch(/data through 2024-07-18 · 2024-07 partial \(18 of 31 days\): day-proportional estimate/);
    const log = file(r, 'src_trend.svg', { scale: 'log' });
    expect(log).not.toBe(linear);
    const spec = JSON.parse(file(r, 'src_trend.vl.json', { scale: 'log' }));
    expect(JSON.stringify(spec)).toContain('"type":"log"');
    // Without comparisons, one panel.
    const single = report(undefined, monthlySpec({ comparisons: [] }));
    expect(file(single, 'src_trend.svg')).not.toContain('Share of');
  });

  it('the terminal: the last 13 months, the partial month marked with its estimate, the share a year apart', () => {
    const text = renderSummary(report());
    const lines = text.split('\n');
    const start = lines.indexOf('Test downloads per month (data through 2024-07-18; observed 2024-07-18)');
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 1]).toMatch(/^ {2}month +A +B +C +A share +B share$/);
    const table = lines.slice(start + 2, start + 15);
    expect(table[0]).toMatch(/^ {2}2023-07 /);
    expect(table[12]).toMatch(/^ {2}2024-07\* +[\d,]+\* +[\d,]+\* +[\d,]+\* +66\.67 % +33\.33 %$/);
    expect(text).toContain('  * 2024-07 is partial: 18 of 31 days counted');
    expect(text).toMatch(
      / {4}A: about [\d,]+ for the whole month \(day-proportional; its backtest over the 12 months before missed by \d+\.\d % on average\)/,
    );
    expect(text).toContain('  share of A vs B downloads, 2023-06 → 2024-06 (last full month): A 66.67 % → 66.67 %; B 33.33 % → 33.33 %');
  });

  it('writes one share from the counts everywhere: the CSV, the terminal table, the note a year apart and the chart', () => {
    // June totals whose share rounds one way from the counts and the other way from a 6-decimal fraction:
    // 14,831,296 of 76,945,873 is 19.2749…% (19.27), 0.192750 would print 19.28; a year before, 71.04 vs 71.05.
    const june = { '2024-06': [14_831_296, 62_114_577], '2023-06': [17_822_450, 7_263_697] } as Record<string, [number, number]>;
    const perDay = (f: string, d: string) => {
      const totals = june[d.slice(0, 7)];
      if (!totals || f === 'C') return steady(f, d);
      const total = totals[f === 'A' ? 0 : 1];
      const daily = Math.floor(total / 30);
      return d.endsWith('-01') ? total - daily * 29 : daily;
    };
    const r = report(run(perDay, { through: '2024-07-18' }));
    const csv = file(r, 'src_downloads_by_month.csv');
    expect(csv).toMatch(/^2024-06,A,14831296,19\.27,/m);
    expect(csv).toMatch(/^2023-06,A,17822450,71\.04,/m);
    const text = renderSummary(r);
    expect(text).toMatch(/^ {2}2024-06 .* 19\.27 % +80\.73 %$/m);
    expect(text).toContain('A 71.04 % → 19.27 %');
    const spec = JSON.parse(file(r, 'src_trend.vl.json'));
    expect(JSON.stringify(spec)).toContain('19.27');
    expect(JSON.stringify(spec)).not.toContain('19.28');
  });

  it('says when no comparison is configured, so the scorecard has no indicator for it', () => {
    const text = renderSummary(report(run(steady, { through: '2024-07-18' }), monthlySpec({ comparisons: [] })));
    expect(text).toContain('no comparison is configured (src.comparisons): no shares, and no scorecard indicator');
    expect(renderSummary(report())).not.toContain('no comparison is configured');
  });

  it('report.json: the section under its key matches the schema, and the schema can fail', () => {
    const r = report();
    const json = JSON.parse(reportJson(r, sectionFiles(r, {})));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.downloads.comparisons[0].points[0]).toEqual({
      month: '2022-01',
      framework: 'A',
      count: expect.any(Number),
      total: expect.any(Number),
      share: 0.666667,
      partial: false,
    });
    expect(json.methodology.downloads.caveats).toEqual(['not users']);
    expect(json.files['src_downloads_by_month.csv']).toContain('share_pct');
    const empty = report([]);
    expect(validate(JSON.parse(reportJson(empty, sectionFiles(empty, {}))))).toBe(true);
    json.downloads.series[0].points[0].month = '2024-13';
    expect(validate(json)).toBe(false);
    expect(sectionsOf(r, 'monthly-count')).toHaveLength(1);
  });
});
