import { describe, expect, it } from 'vitest';
import { analyzeMonthlyCount } from '../../src/analyze/monthly-count/analyze.js';
import { PARTIAL_MONTH_RULE } from '../../src/analyze/monthly-count/estimate.js';
import { monthlyCountMethodology } from '../../src/analyze/monthly-count/methodology.js';
import { monthlyCountRows } from '../../src/analyze/monthly-count/row-need.js';
import type { RowsRead } from '../../src/analyze/kind-analysis.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { type RowSelection, selectionKey } from '../../src/core/row-selection.js';
import { selectInMemory } from '../helpers/row-selection-reference.js';
import { days, daysIn, monthlySpec, run, steady } from './monthly-count-helpers.js';

describe('src/analyze/monthly-count', () => {
  it('counts every month through the last day the data holds: that month partial with its days, later months not reported', () => {
    const rows = run(steady, { through: '2024-07-18' });
    const { report, warnings } = analyzeMonthlyCount(monthlySpec(), rows, '2024-07-20');
    expect(warnings).toEqual([]);
    expect(report).toMatchObject({
      from_month: '2022-01',
      to_month: '2024-07',
      through: '2024-07-18',
      partial_month: '2024-07',
      last_full_month: '2024-06',
      observed_at: '2024-07-18',
    });
    expect(report.months).toHaveLength(31);
    const a = report.series[0]!;
    const june = a.points.at(-2)!;
    const july = a.points.at(-1)!;
    const sum = (month: string, n = daysIn(month)) =>
      days(`${month}-01`, `${month}-${String(n).padStart(2, '0')}`).reduce((s, d) => s + steady('A', d), 0);
    expect(june).toMatchObject({
      month: '2024-06',
      count: sum('2024-06'),
      partial: false,
      days_covered: 30,
      days_in_month: 30,
      estimate: null,
    });
    expect(july).toMatchObject({ month: '2024-07', count: sum('2024-07', 18), partial: true, days_covered: 18, days_in_month: 31 });
    expect(a.members).toEqual(['a']);
    expect(report.series[1]!.members).toEqual(['b', 'b-extra']);
  });

  it('shares each framework of a comparison: the members summed, the partial month from counts of the same days', () => {
    const { report } = analyzeMonthlyCount(monthlySpec(), run(steady, { through: '2024-07-18' }), '2024-07-20');
    const [comparison] = report.comparisons;
    const june = comparison!.points.filter((p) => p.month === '2024-06');
    expect(june.map((p) => [p.framework, p.share, p.partial])).toEqual([
      ['A', 0.666667, false],
      ['B', 0.333333, false],
    ]);
    expect(june[0]!.total).toBe(june[0]!.count! + june[1]!.count!);
    expect(comparison!.points.at(-1)).toMatchObject({ month: '2024-07', framework: 'B', share: 0.333333, partial: true });
    // A framework in no comparison has no share; one in a comparison carries its first comparison's.
    expect(report.series[2]!.points.every((p) => p.share === null)).toBe(true);
    expect(report.series[0]!.points[0]!.share).toBe(0.666667);
  });

  it('growth over the same month a year before, and the sum of 12 complete months', () => {
    // Each month grows: a framework's daily count is the month index.
    const growing = (_f: string, date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
    const { report } = analyzeMonthlyCount(monthlySpec(), run(growing, { through: '2024-06-30' }), '2024-07-02');
    const a = report.series[0]!.points;
    const at = (month: string) => a.find((p) => p.month === month)!;
    expect(report.partial_month).toBeNull();
    expect(report.last_full_month).toBe('2024-06');
    expect(at('2024-06').yoy).toBeCloseTo((30 * (2024 * 12 + 6)) / (30 * (2023 * 12 + 6)) - 1, 6);
    expect(at('2022-12').yoy).toBeNull();
    expect(at('2022-11').rolling_12m).toBeNull();
    const window = a.slice(a.indexOf(at('2023-07')), a.indexOf(at('2024-06')) + 1);
    expect(window).toHaveLength(12);
    expect(at('2024-06').rolling_12m).toBe(window.reduce((s, p) => s + p.count!, 0));
  });

  it('estimates the partial month in proportion to its days where the backtest of the 12 months before holds', () => {
    const { report } = analyzeMonthlyCount(monthlySpec(), run(steady, { through: '2024-07-18' }), '2024-07-20');
    const estimate = report.estimate!;
    expect(estimate).toMatchObject({ month: '2024-07', days_covered: 18, days_in_month: 31, max_error_pct: 15, months_needed: 12 });
    const a = estimate.frameworks[0]!;
    expect(a.method).toBe('day-proportional');
    expect(a.backtest.map((b) => b.month)).toEqual([
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    // Each backtest month: its first 18 days scaled to its length, against its final count.
    const feb = a.backtest.find((b) => b.month === '2024-02')!;
    expect(feb.estimate).toBeCloseTo((feb.visible * 29) / 18, 2);
    expect(feb.error_pct).toBeCloseTo((100 * (feb.estimate - feb.final)) / feb.final, 1);
    expect(a.mape!).toBeLessThan(PARTIAL_MONTH_RULE.maxErrorPct);
    const july = report.series[0]!.points.at(-1)!;
    expect(july.estimate).toBeCloseTo((july.count! * 31) / 18, 2);
    expect(a.estimate).toBe(july.estimate);
    // Growth in the partial month is on its estimate.
    const julyBefore = report.series[0]!.points.find((p) => p.month === '2023-07')!;
    expect(july.yoy).toBeCloseTo(july.estimate! / julyBefore.count! - 1, 6);
    expect(july.rolling_12m).toBeNull();
  });

  it('withholds the estimate, with the reason, where the backtest misses by more than 15 % on average', () => {
    // Most of each month's downloads on its last days: the first 10 days say little about the month.
    const lumpy = (f: string, date: string) => (Number(date.slice(8)) > 25 ? 5000 : 100) * (f === 'C' ? 1 : 2);
    const { report } = analyzeMonthlyCount(monthlySpec(), run(lumpy, { through: '2024-07-10' }), '2024-07-12');
    const a = report.estimate!.frameworks[0]!;
    expect(a.method).toBe('withheld');
    expect(a.estimate).toBeNull();
    expect(a.withheld_reason).toMatch(
      /^the same estimate from the first 10 day\(s\) of 2023-07–2024-06 missed their final downloads by \d+\.\d % on average \(over 15 %\)$/,
    );
    expect(a.mape!).toBeGreaterThan(15);
    expect(report.series[0]!.points.at(-1)).toMatchObject({ partial: true, estimate: null, yoy: null });
  });

  it('withholds it when fewer than 12 complete months have their days stored, or a final count of 0', () => {
    const rows = run(steady, { through: '2024-07-18', daysFrom: '2024-01-01' });
    const { report } = analyzeMonthlyCount(monthlySpec(), rows, '2024-07-20');
    expect(report.estimate!.frameworks[0]).toMatchObject({
      method: 'withheld',
      withheld_reason:
        'only 6 of the 12 complete months 2023-07–2024-06 can be backtested (the others lack their daily counts or a final count above 0); 12 are needed',
    });
    // A framework whose downloads start 3 months ago has months of 0 to backtest on.
    const late = (f: string, date: string) => (f === 'C' && date < '2024-04-01' ? 0 : steady(f, date));
    const c = analyzeMonthlyCount(monthlySpec(), run(late, { through: '2024-07-18' }), '2024-07-20').report.estimate!.frameworks[2]!;
    expect(c.withheld_reason).toMatch(/^only 3 of the 12 complete months/);
  });

  it('months before a framework has any downloads count 0 and say where its data starts; a month never stored is missing', () => {
    const late = (f: string, date: string) => (f === 'C' && date < '2023-03-15' ? 0 : steady(f, date));
    const rows = run(late, { through: '2024-07-18' }).filter(
      (o) => !(o.subject === 'B' && (o.period === '2023-02' || o.period === '2023-03') && o.metric !== 'downloads_per_day'),
    );
    const { report, warnings } = analyzeMonthlyCount(monthlySpec(), rows, '2024-07-20');
    const c = report.series[2]!;
    expect(c.data_starts).toBe('2023-03');
    expect(c.points.find((p) => p.month === '2023-02')).toMatchObject({ count: 0, partial: false });
    expect(report.series[0]!.data_starts).toBe('2022-01');
    const b = report.series[1]!;
    expect(b.missing_months).toEqual(['2023-02', '2023-03']);
    expect(b.points.find((p) => p.month === '2023-02')).toMatchObject({ count: null, share: null });
    expect(report.comparisons[0]!.points.find((p) => p.month === '2023-02' && p.framework === 'A')).toMatchObject({
      total: null,
      share: null,
    });
    expect(warnings).toEqual([
      'src: 2 month(s) of B are not stored (2023-02, 2023-03), so they are missing, not 0; run `adoption-metrics collect --sources src --full`',
    ]);
  });

  it('takes each month from its latest run: a month stored partial one day and complete the next is complete', () => {
    const first = run(steady, { through: '2024-06-20', observedAt: '2024-06-22', runId: 1 });
    // The next run re-counts from the month that was filling.
    const second = run(steady, { from: '2024-06', through: '2024-07-02', observedAt: '2024-07-04', runId: 2 });
    const { report } = analyzeMonthlyCount(monthlySpec(), [...first, ...second], '2024-07-04');
    const a = report.series[0]!.points;
    expect(a.find((p) => p.month === '2024-06')).toMatchObject({ partial: false, days_covered: 30, observed_at: '2024-07-04' });
    expect(a.find((p) => p.month === '2024-05')).toMatchObject({ partial: false, observed_at: '2024-06-22' });
    expect(report).toMatchObject({ through: '2024-07-02', partial_month: '2024-07', observed_at: '2024-07-04' });
    // As of the earlier day, the report sees the first run only.
    const before = analyzeMonthlyCount(monthlySpec(), first, '2024-06-22').report;
    expect(before).toMatchObject({ through: '2024-06-20', partial_month: '2024-06' });
  });

  it('says when nothing is stored, and names the command', () => {
    const { report, warnings } = analyzeMonthlyCount(monthlySpec(), [], '2024-07-20');
    expect(report).toMatchObject({ through: null, months: [], series: [], estimate: null });
    expect(warnings).toEqual(['src: no downloads counts are stored yet; run `adoption-metrics collect --sources src`']);
  });

  it('its methodology names the members, the shares, the estimate rule and the caveats', () => {
    const m = monthlyCountMethodology(monthlySpec());
    expect(m.members).toBe("a framework's downloads are the sum over its packages: A: a; B: b, b-extra; C: c");
    expect(m.estimate).toMatch(/at most 15 % on average/);
    expect(m.shares).toMatch(/A vs B/);
    expect(m.caveats).toEqual(['not users']);
  });
});

describe('src/analyze/monthly-count/row-need', () => {
  const series = monthlySpec();
  const asOf = '2024-07-20';
  const reads = (rows: readonly StoredObservation[], asked: readonly RowSelection[]): RowsRead => {
    const keys = new Set(asked.map(selectionKey));
    return { rows, has: (...s) => s.every((x) => keys.has(selectionKey(x))) };
  };
  /** Every selection asked until nothing new, each answered from `history` as a store would. */
  function needs(history: readonly StoredObservation[]): RowSelection[] {
    let asked: RowSelection[] = [];
    for (;;) {
      const rows = selectInMemory(history, asked, Number.MAX_SAFE_INTEGER);
      const fresh = monthlyCountRows(series, asOf, reads(rows, asked)).filter(
        (s) => !asked.some((a) => selectionKey(a) === selectionKey(s)),
      );
      if (fresh.length === 0) return asked;
      asked = [...asked, ...fresh];
    }
  }

  it("reads the daily counts the partial month's backtest reads, and the partial month's, not every day stored", () => {
    // Daily counts stored since 2022: the data ends on 18 July 2024, the 18th day of a partial month.
    const history = run(steady, { through: '2024-07-18', daysFrom: '2022-01-01' });
    const asked = needs(history);
    const daily = asked.filter((s) => s.metrics.includes('downloads_per_day'));
    expect(daily).toHaveLength(1);
    // The first 18 days of July 2023 to June 2024 and of July 2024.
    expect(daily[0]!.periods).toHaveLength(13 * 18);
    expect(daily[0]!.periods!.slice(0, 2)).toEqual(['2023-07-01', '2023-07-02']);
    expect(daily[0]!.periods!.at(-1)).toBe('2024-07-18');
    const read = selectInMemory(history, asked, Number.MAX_SAFE_INTEGER);
    expect(analyzeMonthlyCount(series, read, asOf)).toEqual(analyzeMonthlyCount(series, history, asOf));
    expect(read.filter((o) => o.metric === 'downloads_per_day').length).toBe(3 * 13 * 18);
  });

  it("reads a framework's earlier days when none of the partial month is stored, and no day when the month is complete", () => {
    const history = run(steady, { through: '2024-07-18' }).filter(
      (o) => !(o.subject === 'C' && o.metric === 'downloads_per_day' && o.period >= '2024-07-01'),
    );
    const asked = needs(history);
    expect(asked.filter((s) => s.subjects?.length === 1).map((s) => [s.subjects, s.periods?.[0], s.periods?.at(-1)])).toEqual([
      [['C'], '2023-07-01', '2024-07-18'],
    ]);
    const read = selectInMemory(history, asked, Number.MAX_SAFE_INTEGER);
    expect(analyzeMonthlyCount(series, read, asOf)).toEqual(analyzeMonthlyCount(series, history, asOf));
    const complete = needs(run(steady, { through: '2024-06-30' }));
    expect(complete.some((s) => s.metrics.includes('downloads_per_day'))).toBe(false);
  });
});
