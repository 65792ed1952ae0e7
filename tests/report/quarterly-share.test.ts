import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/analyze/build-report.js';
import type { QuarterlyShareSeries } from '../../src/analyze/quarterly-share/spec.js';
import { sectionsOf } from '../../src/analyze/report-types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { renderAudit } from '../../src/report/audit-text.js';
import { sectionFiles } from '../../src/report/kinds.js';
import { quarterlyChartSvg } from '../../src/report/quarterly-share/chart.js';
import { comparisonCsv, quarterlyCsv } from '../../src/report/quarterly-share/csv.js';
import { reportJson } from '../../src/report/report-json.js';
import { renderSummary } from '../../src/report/summary.js';
import { obs } from '../analyze/helpers.js';
import { SERIES } from '../analyze/quarterly-helpers.js';

const row = (metric: string, subject: string, period: string, value: number): StoredObservation =>
  obs({ source: 'archive', method: 'snapshot', metric, subject, period, value, observedAt: '2026-01-10', query: 'archive@abc' });

function rows(): StoredObservation[] {
  const out: StoredObservation[] = [];
  const q = (quarter: string, a: number, b: number, union: number, all: number) =>
    out.push(
      row('papers', 'A', quarter, a),
      row('papers', 'B', quarter, b),
      row('papers_all', 'all', quarter, all),
      row('papers_union', 'A vs B', quarter, union),
      row('repos', 'A', quarter, a + 1),
      row('repos', 'B', quarter, b),
      row('repos_all', 'all', quarter, all + 2),
    );
  q('2025-Q1', 1, 9, 10, 12);
  q('2025-Q2', 5, 5, 10, 20);
  q('2025-Q3', 3, 0, 3, 3);
  out.push(row('papers_left_out', 'no-id', '2026-01-10', 4));
  return out;
}

/** The series with a claims check, as a collector's extension would give it. */
const WITH_CLAIMS: QuarterlyShareSeries = {
  ...SERIES,
  claims: {
    methodology: 'checked on the last complete quarter',
    audit: (data) => ({
      status: 'computed',
      reason: null,
      comparison: 'A vs B',
      observed_at: data.observed_at,
      method: 'snapshot',
      tolerances: { almost: 'a', about: 'b' },
      claims: [
        {
          id: 'a-half',
          quote: 'A has about half',
          framework: 'A',
          qualifier: 'about',
          stated_pct: 50,
          intended_basis: 'comparison-share',
          accepted: [48.5, 51.5],
          recomputed_pct: 50,
          holds: true,
          bases: [{ basis: 'comparison-share', description: 'share of A vs B', pct: 50, holds: true, checked_on: '2025-Q2' }],
          holding_bases: ['comparison-share'],
          checked_on: ['2025-Q2'],
          verdict: 'holds',
          note: 'a proxy was used',
        },
      ],
    }),
  },
};

const report = (series: QuarterlyShareSeries = SERIES) =>
  buildReport({ observations: rows(), series: [series], asOf: '2026-01-10', generatedAt: '2026-01-10T08:00:00.000Z', replayed: false });

describe('src/report/quarterly-share', () => {
  it('writes the per-quarter and the comparison CSVs with their columns first, shares in percent from counts', () => {
    const [section] = sectionsOf(report(), 'quarterly-share');
    const csv = quarterlyCsv(section!).split('\n');
    expect(csv[0]).toBe('quarter,framework,papers,repos,share_of_papers_pct,share_of_repos_pct,partial,observed_at');
    expect(csv[3]).toBe('2025-Q2,A,5,6,25.00,27.27,false,2026-01-10');
    expect(csv[6]).toBe('2025-Q3,B,0,0,0.00,0.00,true,2026-01-10');
    const comparison = comparisonCsv(section!).split('\n');
    expect(comparison[0]).toBe('quarter,comparison,framework,papers,share_pct,papers_in_comparison,partial,observed_at');
    expect(comparison[1]).toBe('2025-Q1,A vs B,A,1,10.00,10,false,2026-01-10');
    expect(comparison[5]).toBe('2025-Q3,A vs B,A,3,100.00,3,true,2026-01-10');
  });

  it('charts the comparison share per quarter with the partial quarter labelled, and writes its files', () => {
    const r = report();
    const [section] = sectionsOf(r, 'quarterly-share');
    const svg = quarterlyChartSvg(section!, r);
    expect(svg).toContain('2025-Q3 partial');
    expect(svg).toContain('Share of papers with A or B (%)');
    expect(sectionFiles(r, {}).map((f) => f.name)).toEqual([
      'archive_by_quarter.csv',
      'archive_comparison_by_quarter.csv',
      'archive_share.svg',
      'archive_share.vl.json',
    ]);
  });

  it('says the curve, the last quarters and what was left out in the summary', () => {
    const text = renderSummary(report());
    expect(text).toContain("A's share of A vs B: 2025-Q1 10.00 % → 2025-Q2 50.00 %; 2025-Q3 (partial) 100.00 %");
    expect(text).toContain('2025-Q3 is partial: counted through 2025-07-25, not extrapolated');
    expect(text).toContain('4 papers left out, no quarter to count them in: 4 without an id');
  });

  it("puts a second series' claims in the audit with the quarter each was checked on, and report.json keeps its shape", () => {
    const r = report(WITH_CLAIMS);
    const text = renderAudit(r);
    expect(text).toContain('Claims audit (Archive): A vs B on 2026-01-10 (snapshot counts)');
    expect(text).toMatch(/"A has about half" +about 50 % +48\.5-51\.5 % +50\.00 % +yes +2025-Q2/);
    expect(text).toContain('share of A vs B (2025-Q2) 50.00 % (in range)');
    expect(text).toContain('  note: a proxy was used');
    const json = JSON.parse(reportJson(r, sectionFiles(r, {})));
    expect(json.audits.map((a: { key: string }) => a.key)).toEqual(['archive']);
    expect(json.audit.claims[0].checked_on).toEqual(['2025-Q2']);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/report/report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true, strictRequired: false, validateFormats: false, allErrors: true }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...json, archive: { ...json.archive, quarters: ['2025-13'] } })).toBe(false);
  });
});
