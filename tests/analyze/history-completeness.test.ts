import { describe, expect, it } from 'vitest';
import { dedupeObservations, observedBy } from '../../src/analyze/select-observations.js';
import { analyzeYearly } from '../../src/analyze/yearly-count/analyze.js';
import { storedHistoryCompleteness } from '../../src/analyze/yearly-count/history-completeness.js';
import type { YearlyCountSeries } from '../../src/analyze/yearly-count/spec.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { obs } from './helpers.js';

/**
 * The lag-aware basis a present-only source builds from the tool's own history: last year's count as this tool
 * saw it grow, against its final count.
 */

const basis = storedHistoryCompleteness('works');

/** A stored yearly count of `year`, as a run on `observedAt` stored it. */
const works = (year: number, value: number, observedAt: string, runId = 1): StoredObservation =>
  obs({ source: 'present', metric: 'works', subject: 'PyTorch', period: String(year), value, observedAt, runId, method: 'group_by' });

const series: YearlyCountSeries = {
  kind: 'yearly-count',
  key: 'present',
  source: 'present',
  metric: 'works',
  files: 'present',
  text: { source: 'Present', label: 'Present works', unit: 'works', title: 't', yearAxis: 'Publication year', shares: 's' },
  keywords: [{ keyword: 'PyTorch', term: 'pytorch' }],
  years: { fromYear: 2021, toYear: 2024 },
  completeness: basis,
};

const analyze = (rows: StoredObservation[], asOf: string) => analyzeYearly(series, dedupeObservations(observedBy(rows, asOf)), asOf);

describe('src/analyze/yearly-count/history-completeness', () => {
  it('takes each past year as observed on, or at most 7 days before, the same month/day, once the year has ended', () => {
    const rows = [
      works(2023, 400, '2023-07-18'), // 2 days before 20 July: used
      works(2023, 380, '2023-07-10'), // older than the one above
      works(2023, 450, '2023-07-25'), // after the day: it saw more than a report on 20 July could
      works(2023, 1000, '2024-07-20'), // the final count, after the year ended
      works(2022, 250, '2022-07-10'), // 10 days before: too old to stand for 20 July
      works(2022, 800, '2024-07-20'),
      works(2021, 300, '2021-07-20', 2),
      works(2021, 290, '2021-07-20', 1), // the same day, an earlier run: the later run wins
      works(2021, 600, '2024-07-20'),
      works(2024, 450, '2024-07-20'), // the running year: no final count, never a basis
    ];
    expect([...basis.visible(rows, '2024-07-20', '2024-07-20')]).toEqual([
      [2021, 300],
      [2023, 400],
    ]);
    // A year watched during the year but never after it ended has no final count yet.
    expect([
      ...basis.visible(
        rows.filter((r) => !(r.period === '2023' && r.observedAt === '2024-07-20')),
        '2024-07-20',
        '2024-07-20',
      ),
    ]).toEqual([[2021, 300]]);
    // What was stored by an earlier date only.
    expect([...basis.visible(rows, '2023-12-31', '2023-07-20')]).toEqual([]);
    // 29 February stands for the 28th in a common year.
    expect([...basis.visible([works(2023, 70, '2023-02-28'), works(2023, 900, '2024-03-01')], '2024-03-01', '2024-02-29')]).toEqual([
      [2023, 70],
    ]);
    expect(basis.latestDate(rows)).toBe('2024-07-20');
    expect(basis.latestDate(rows.filter((r) => r.period !== '2024'))).toBe('2023-07-25');
    expect(basis.calibration(2023)).toEqual(['2023-01-01', '2023-01-31', '2023-02-28', '2023-03-31']);
  });

  it("estimates the partial year lag-aware from last years' growth once the history holds it, backtested like any basis", () => {
    const rows = [
      works(2021, 300, '2021-07-20'),
      works(2021, 600, '2024-07-20'),
      works(2023, 400, '2023-07-20'),
      works(2023, 1000, '2024-07-20'),
      works(2024, 450, '2024-07-20'),
    ];
    const result = analyze(rows, '2024-07-20');
    // c = 0.5 (2021) and 0.4 (2023): 450 / 0.45.
    expect(result.report.adjustment).toMatchObject({ method: 'lag-aware', completeness: { PyTorch: 0.45 }, years_used: [2021, 2023] });
    expect(result.report.series[0]!.points.at(-1)).toMatchObject({ count: 450, adjusted: 1000, estimate_method: 'lag-aware' });
    expect(result.report.adjustment.note).toContain('this tool had already observed by the same month/day');
    // Leave-one-out: 300 / 0.4 = 750 against 600 (+25 %), 400 / 0.5 = 800 against 1,000 (-20 %).
    expect(result.report.backtest.rows.map((r) => [r.year, r.lag_aware_error_pct])).toEqual([
      [2021, 25],
      [2023, -20],
    ]);
  });

  it('falls back by itself while no history exists: linear from 1 March, none before', () => {
    const july = analyze([works(2023, 1000, '2024-07-20'), works(2024, 450, '2024-07-20')], '2024-07-20');
    expect(july.report.series[0]!.points.at(-1)).toMatchObject({ estimate_method: 'linear', adjusted_lag_aware: null });
    expect(july.report.backtest.note).toMatch(/^no count of a past year observed during that year is stored yet/);
    const january = analyze([works(2023, 1000, '2024-01-20'), works(2024, 45, '2024-01-20')], '2024-01-20');
    expect(january.report.series[0]!.points.at(-1)).toMatchObject({ estimate_method: 'withheld', adjusted: null });
  });
});
