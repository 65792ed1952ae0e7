import { describe, expect, it } from 'vitest';
import { dedupeObservations, observedBy } from '../../src/analyze/select-observations.js';
import { analyzeYearly } from '../../src/analyze/yearly-count/analyze.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { config, createdBy, papers, pubmedHistory, pubmedSeriesSpec } from './helpers.js';

/** The PubMed series (PyTorch, TensorFlow, Keras) as the collector declares it, over the given years. */
function analyze(rows: StoredObservation[], asOf = '2024-07-20', years = { fromYear: 2020, toYear: 2024 }) {
  const series = pubmedSeriesSpec(config(years));
  return analyzeYearly(series, dedupeObservations(observedBy(rows, asOf)), asOf);
}

const point = (result: ReturnType<typeof analyze>, keyword: string, year: number) =>
  result.report.series.find((s) => s.keyword === keyword)!.points.find((p) => p.year === year)!;

describe('src/analyze/yearly-count/analyze', () => {
  it('adjusts the partial year lag-aware when every keyword has completeness data, both estimates beside the raw count', () => {
    const result = analyze(pubmedHistory());
    const { adjustment } = result.report;
    expect(adjustment).toMatchObject({ method: 'lag-aware', as_of: '2024-07-20', partial_year: 2024, years_used: [2021, 2022, 2023] });
    expect(adjustment.factor).toBeCloseTo(366 / 202, 6);
    expect(adjustment.completeness).toEqual({ PyTorch: 0.5, TensorFlow: 0.5, Keras: 0.5 });
    expect(point(result, 'PyTorch', 2024)).toMatchObject({
      count: 500,
      adjusted: 1000,
      partial: true,
      adjusted_lag_aware: 1000,
      adjusted_linear: +(500 * (366 / 202)).toFixed(2),
    });
  });

  it('averages per-year completeness over the last three complete years, per keyword', () => {
    const d = '2024-07-20';
    const rows = [
      ...pubmedHistory().filter((o) => !(o.subject === 'PyTorch' && o.metric === 'papers_created_by')),
      ...createdBy('PyTorch', 2021, 80, d), // 0.4 of 200
      ...createdBy('PyTorch', 2022, 200, d), // 0.5 of 400
      ...createdBy('PyTorch', 2023, 480, d), // 0.6 of 800
    ];
    const result = analyze(rows);
    expect(result.report.adjustment.completeness!.PyTorch).toBeCloseTo(0.5, 6);
    expect(result.report.adjustment.completeness_by_year.PyTorch).toEqual({ 2021: 0.4, 2022: 0.5, 2023: 0.6 });
    expect(point(result, 'PyTorch', 2024).adjusted).toBe(1000);
  });

  it('never feeds the raw partial count into shares or growth', () => {
    const result = analyze(pubmedHistory());
    const p = point(result, 'PyTorch', 2024);
    expect(p.partial).toBe(true);
    expect(p.share).toBeCloseTo(1000 / (1000 + 300 + 200), 6); // raw would give 500 / 750
    expect(p.yoy).toBeCloseTo(1000 / 800 - 1, 6); // raw would give -0.375
    expect(point(result, 'TensorFlow', 2024).yoy).toBeCloseTo(300 / 360 - 1, 6);
    // Complete years stay unflagged and unadjusted.
    expect(point(result, 'PyTorch', 2023)).toMatchObject({ count: 800, adjusted: 800, partial: false, adjusted_linear: null });
  });

  it('computes CAGR and the trend over complete years only, and crossovers on adjusted values', () => {
    const result = analyze(pubmedHistory());
    const pytorch = result.report.series.find((s) => s.keyword === 'PyTorch')!;
    expect(pytorch.cagr).toEqual({ from_year: 2020, to_year: 2023, rate: 1 }); // 100 → 800 in 3 years
    expect(pytorch.trend).toMatchObject({ from_year: 2020, to_year: 2023, n: 4, slope_per_year: 230 });
    const cross = result.report.crossovers.find((c) => c.leader === 'PyTorch' && c.trailer === 'TensorFlow')!;
    expect(cross).toMatchObject({ status: 'crossed', year: 2022, partial: false });
  });

  it('falls back to linear for all keywords when one has no completeness data, and says so', () => {
    const rows = pubmedHistory().filter((o) => !(o.subject === 'Keras' && o.metric === 'papers_created_by'));
    const result = analyze(rows);
    expect(result.report.adjustment.method).toBe('linear');
    expect(result.report.adjustment.note).toMatch(/Keras has none/);
    expect(result.warnings.join('\n')).toMatch(/Keras has none/);
    expect(point(result, 'PyTorch', 2024).adjusted).toBeCloseTo(500 * (366 / 202), 2);
    expect(point(result, 'PyTorch', 2024).adjusted_lag_aware).toBe(1000); // still reported beside
    expect(point(result, 'Keras', 2024).adjusted_lag_aware).toBeNull();
  });

  it('keeps missing years distinct from zero and leaves their shares empty', () => {
    const rows = pubmedHistory().filter((o) => !(o.subject === 'Keras' && o.period === '2021' && o.metric === 'papers'));
    const result = analyze(rows);
    expect(point(result, 'Keras', 2021)).toMatchObject({ count: null, adjusted: null, share: null, yoy: null });
    expect(point(result, 'PyTorch', 2021).share).toBeNull();
    expect(point(result, 'Keras', 2022).yoy).toBeNull();
    expect(result.report.series.find((s) => s.keyword === 'Keras')!.missing_years).toEqual([2021]);
    expect(result.warnings.join('\n')).toMatch(/Keras has no stored count for 2021/);
  });

  it("uses each year's latest observation by the as-of date and shows the series observed_at", () => {
    const rows = [
      ...pubmedHistory(),
      papers('PyTorch', 2023, 810, '2024-08-01'), // after as-of: ignored
      papers('PyTorch', 2020, 90, '2023-01-10'), // older than the 2024-07-20 value: ignored
    ];
    const result = analyze(rows);
    expect(point(result, 'PyTorch', 2023).count).toBe(800);
    expect(point(result, 'PyTorch', 2020).count).toBe(100);
    expect(result.report.series[0]!.observed_at).toBe('2024-07-20');
  });

  it('flags a past year that was only observed before it ended', () => {
    const d = '2023-07-20';
    const rows = [papers('PyTorch', 2022, 400, d), papers('PyTorch', 2023, 300, d)];
    const series = pubmedSeriesSpec(config({ fromYear: 2022, toYear: 2024, pubmed: ['PyTorch'] }));
    const result = analyzeYearly(series, rows, '2024-03-01');
    const p2023 = result.report.series[0]!.points.find((p) => p.year === 2023)!;
    expect(p2023).toMatchObject({ partial: true, count: 300 });
    expect(p2023.adjusted).toBeCloseTo(300 * (365 / 201), 2);
    expect(result.report.series[0]!.points.find((p) => p.year === 2024)).toMatchObject({ count: null, partial: true });
  });

  it('reports no adjustment when the range ends before the as-of year', () => {
    const result = analyze(pubmedHistory(), '2024-07-20', { fromYear: 2020, toYear: 2023 });
    expect(result.report.adjustment.method).toBe('none');
    expect(result.report.series[0]!.points.every((p) => !p.partial)).toBe(true);
    expect(result.report.backtest.rows).toHaveLength(9); // completeness data still backtested
  });
});
