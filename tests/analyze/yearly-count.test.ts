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

  it('judges each keyword on its own: one without completeness data uses linear, the others keep lag-aware', () => {
    const rows = pubmedHistory().filter((o) => !(o.subject === 'Keras' && o.metric === 'papers_created_by'));
    const result = analyze(rows);
    const { adjustment } = result.report;
    expect(adjustment.method).toBe('mixed');
    expect(adjustment.methods).toEqual({ PyTorch: 'lag-aware', TensorFlow: 'lag-aware', Keras: 'linear' });
    expect(adjustment.note).toMatch(/^2024: lag-aware for PyTorch, TensorFlow; linear for Keras/);
    expect(result.warnings.join('\n')).toMatch(/Keras 2024 uses the linear estimate, not lag-aware: no completeness data/);
    // PyTorch's own estimate is untouched by Keras's missing data.
    expect(point(result, 'PyTorch', 2024)).toMatchObject({ adjusted: 1000, estimate_method: 'lag-aware', withheld_reason: null });
    expect(point(result, 'Keras', 2024).adjusted).toBeCloseTo(100 * (366 / 202), 2);
    expect(point(result, 'Keras', 2024)).toMatchObject({ estimate_method: 'linear', adjusted_lag_aware: null });
  });

  /**
   * The first days of a year, as NCBI answers them: on 1 January a year already holds papers dated ahead of
   * print, about 6 % of its final count (test values shaped like the report: PyTorch 314 on 1 January).
   */
  function firstOfJanuary(options: { tensorflowCompleteness?: boolean; pytorchShares?: number[] } = {}) {
    const d = '2026-01-01';
    const shares = options.pytorchShares ?? [0.06, 0.061, 0.059];
    const finals: Record<string, number[]> = { PyTorch: [4000, 4600, 5200], TensorFlow: [3000, 2800, 2600] };
    const rows: StoredObservation[] = [];
    for (const [keyword, values] of Object.entries(finals)) {
      for (const [i, value] of values.entries()) rows.push(papers(keyword, 2023 + i, value, d));
      rows.push(papers(keyword, 2026, keyword === 'PyTorch' ? 314 : 160, d));
      if (keyword === 'TensorFlow' && options.tensorflowCompleteness === false) continue;
      for (const [i, value] of values.entries()) {
        const share = keyword === 'PyTorch' ? shares[i]! : 0.06;
        rows.push(...createdBy(keyword, 2023 + i, Math.round(value * share), d, Math.round(value * 0.09)));
      }
    }
    const series = pubmedSeriesSpec(config({ fromYear: 2023, pubmed: ['PyTorch', 'TensorFlow'] }));
    return analyzeYearly(series, dedupeObservations(rows), d);
  }

  it('on 1 January shows the lag-aware estimate and withholds the linear one, which its backtest measures far off', () => {
    const result = firstOfJanuary();
    const p = point(result, 'PyTorch', 2026);
    expect(p.count).toBe(314);
    expect(p.estimate_method).toBe('lag-aware');
    expect(p.adjusted).toBeCloseTo(314 / ((240 / 4000 + 281 / 4600 + 307 / 5200) / 3), 1); // about 5,200, not 114,610
    expect(p.adjusted!).toBeGreaterThan(4_800);
    expect(p.adjusted!).toBeLessThan(5_800);
    // 314 × 365 would be 114,610: its own backtest on 2023–2025 at 01-01 is thousands of percent off.
    expect(p.adjusted_linear).toBeNull();
    expect(result.report.adjustment.rejected.PyTorch!.linear).toMatch(/its backtest at 01-01 on 2023–2025 is off by \d+\.\d % on average/);
  });

  it('backtests the three years the estimate rests on, not every older year the history holds', () => {
    // Ten years of completeness data: the three recent years alike (6 % by 1 January), the older ones far apart
    // (indexing was slower then). The estimate divides by the recent three; so does its backtest score them.
    const d = '2026-01-01';
    const rows: StoredObservation[] = [papers('PyTorch', 2026, 314, d)];
    const older = [0.01, 0.2, 0.015, 0.3, 0.02, 0.25, 0.03];
    for (let year = 2016; year <= 2025; year++) {
      const final = 1000 + 400 * (year - 2016);
      const share = year >= 2023 ? [0.06, 0.061, 0.059][year - 2023]! : older[year - 2016]!;
      rows.push(papers('PyTorch', year, final, d), ...createdBy('PyTorch', year, Math.round(final * share), d, Math.round(final * 0.4)));
    }
    const series = pubmedSeriesSpec(config({ fromYear: 2016, pubmed: ['PyTorch'] }));
    const result = analyzeYearly(series, dedupeObservations(rows), d);
    const { backtest, adjustment } = result.report;
    expect(backtest.rows.map((r) => r.year)).toEqual([2023, 2024, 2025]);
    expect(backtest.by_month_day.find((c) => c.month_day === '01-01')!.n).toEqual({ linear: 3, lag_aware: 3 });
    expect(backtest.mape.lag_aware!).toBeLessThan(3);
    expect(Object.keys(adjustment.completeness_by_year.PyTorch!)).toEqual(['2023', '2024', '2025']);
    // Scored on every year since 2016 instead, lag-aware would be off by far more than 25 % and withheld.
    const p = point(result, 'PyTorch', 2026);
    expect(p.estimate_method).toBe('lag-aware');
    expect(p.adjusted).toBeCloseTo(
      314 / ((Math.round(3800 * 0.06) / 3800 + Math.round(4200 * 0.061) / 4200 + Math.round(4600 * 0.059) / 4600) / 3),
      1,
    );
  });

  it('on 1 January withholds the estimate of a keyword whose completeness data failed, without touching the others', () => {
    const result = firstOfJanuary({ tensorflowCompleteness: false });
    const tf = point(result, 'TensorFlow', 2026);
    expect(tf).toMatchObject({
      count: 160,
      adjusted: null,
      adjusted_linear: null,
      adjusted_lag_aware: null,
      estimate_method: 'withheld',
      share: null,
      yoy: null,
    });
    expect(tf.withheld_reason).toMatch(/^lag-aware: no completeness data for the years before; linear: day 1 of the year is too early/);
    expect(point(result, 'PyTorch', 2026).estimate_method).toBe('lag-aware');
    expect(point(result, 'PyTorch', 2026).adjusted!).toBeGreaterThan(4_800);
    // Shares need every keyword's value; growth is empty only for the keyword without an estimate.
    expect(point(result, 'PyTorch', 2026).share).toBeNull();
    expect(point(result, 'PyTorch', 2026).yoy).not.toBeNull();
    expect(result.report.adjustment).toMatchObject({ method: 'mixed', methods: { PyTorch: 'lag-aware', TensorFlow: 'withheld' } });
    expect(result.report.adjustment.withheld.TensorFlow).toBe(tf.withheld_reason);
    expect(result.warnings.join('\n')).toMatch(/TensorFlow 2026: no estimate shown: lag-aware: no completeness data/);
  });

  it('withholds lag-aware when its backtest is off by more than 25 %, or the year is mostly unseen by then', () => {
    const unstable = firstOfJanuary({ pytorchShares: [0.03, 0.06, 0.12] });
    expect(unstable.report.adjustment.rejected.PyTorch!['lag-aware']).toMatch(/its backtest at 01-01 on 2023–2025 is off by/);
    expect(point(unstable, 'PyTorch', 2026).estimate_method).toBe('withheld');
    const sliver = firstOfJanuary({ pytorchShares: [0.02, 0.021, 0.019] });
    expect(sliver.report.adjustment.rejected.PyTorch!['lag-aware']).toMatch(
      /past years held only 2\.0 % of their papers by 01-01 \(under 5\.0 %\)/,
    );
  });

  it('backtests both methods at the early-year calibration cutoffs, not only at the as-of day', () => {
    const d = '2024-07-20';
    const rows = [...pubmedHistory()];
    for (const keyword of ['PyTorch', 'TensorFlow', 'Keras']) {
      for (const [year, final] of [
        [2021, 200],
        [2022, 400],
        [2023, 800],
      ] as const) {
        const mine = keyword === 'PyTorch' ? final : 300;
        for (const [day, share] of [
          ['01-01', 0.05],
          ['01-31', 0.1],
          ['02-28', 0.15], // 2021–2023 are common years
          ['03-31', 0.25],
        ] as const) {
          rows.push({ ...createdBy(keyword, year, 0, d)[0]!, period: `${year}-${day}`, value: Math.round(mine * share) });
        }
      }
    }
    const result = analyze(rows);
    const byDay = result.report.backtest.by_month_day.map((c) => c.month_day);
    // 2024 is a leap year: the end of February is the 29th (the past years' cutoffs are their own month ends).
    expect(byDay).toEqual(['01-01', '01-31', '02-29', '03-31', '07-20']);
    const jan1 = result.report.backtest.by_month_day[0]!;
    // 5 % visible on 1 January: linear multiplies it by 365; lag-aware divides by the other years' 5 %.
    expect(jan1.mape.linear!).toBeGreaterThan(1000);
    expect(jan1.mape.lag_aware!).toBeLessThan(5);
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
