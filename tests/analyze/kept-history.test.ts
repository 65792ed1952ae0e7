import { describe, expect, it } from 'vitest';
import { YEAR_DAYS, YEAR_TOLERANCE_DAYS, yearAgoSnapshot } from '../../src/analyze/indicator.js';
import type { RowsRead } from '../../src/analyze/kind-analysis.js';
import { analyzeOverlap, comparisonSnapshots } from '../../src/analyze/overlap-snapshot/analyze.js';
import { DAILY_MIN_DAYS, dailyFrom, keptHistory } from '../../src/analyze/overlap-snapshot/kept-history.js';
import { keptSnapshotRows } from '../../src/analyze/overlap-snapshot/row-need.js';
import { addDays, dayNumber } from '../../src/core/dates.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { type RowSelection, selectionKey } from '../../src/core/row-selection.js';
import { hfSeriesSpec, hub } from './helpers.js';

/** A day's three exact counts, PyTorch's share drifting by the day so every snapshot differs. */
const day = (date: string, method = 'exact') => {
  const n = dayNumber(date) - dayNumber('2020-01-01');
  return [
    hub('pytorch', 10_000 + 7 * n, date, { method }),
    hub('tf', 5_000 + n, date, { method }),
    hub('pytorch+tf', 900, date, { method }),
  ];
};

function daily(from: string, to: string, skip: (date: string) => boolean = () => false): StoredObservation[] {
  const rows: StoredObservation[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) if (!skip(date)) rows.push(...day(date));
  return rows;
}

describe('src/analyze/overlap-snapshot/kept-history', () => {
  it('keeps every day of the newest month and the 14 before it: always the year-ago baseline and its ±45 days', () => {
    expect(dailyFrom('2026-12-08')).toBe('2025-10-01');
    expect(dailyFrom('2026-01-01')).toBe('2024-11-01');
    for (let date = '2023-01-01'; date <= '2028-12-31'; date = addDays(date, 1)) {
      const from = dailyFrom(date);
      expect(from.endsWith('-01')).toBe(true);
      const days = dayNumber(date) - dayNumber(from);
      expect(days).toBeGreaterThanOrEqual(DAILY_MIN_DAYS);
      expect(days).toBeGreaterThanOrEqual(YEAR_DAYS + YEAR_TOLERANCE_DAYS);
      expect(days).toBeLessThan(DAILY_MIN_DAYS + 62);
    }
  });

  it('keeps each item from the first day shown daily, and the first of each month before it', () => {
    const dates = ['2024-01-03', '2024-01-09', '2024-02-01', '2024-02-28', '2024-04-30', '2024-05-01', '2024-05-02', '2024-05-20'];
    expect(keptHistory(dates, (d) => d, '2024-05-01')).toEqual([
      '2024-01-03',
      '2024-02-01',
      '2024-04-30',
      '2024-05-01',
      '2024-05-02',
      '2024-05-20',
    ]);
    expect(keptHistory(dates, (d) => d, '')).toEqual(dates);
  });

  it('shows a long daily history a month at a time before its last 15 months, with the same year-ago baseline', () => {
    const series = hfSeriesSpec();
    // Five years of daily runs; one March the first run lost its tf count, so that month's first usable day is the 2nd.
    const rows = daily('2021-06-10', '2026-06-30');
    const broken = rows.filter((o) => !(o.observedAt === '2023-03-01' && o.subject === 'tf'));
    const { report } = analyzeOverlap(series, broken);
    const [c] = report.comparisons;
    expect(c!.observed_at).toBe('2026-06-30');
    expect(c!.daily_from).toBe('2025-04-01');
    const dates = c!.history.map((s) => s.observed_at);
    const before = dates.filter((d) => d < '2025-04-01');
    // June 2021 to March 2025: one a month, the first usable one.
    expect(before).toHaveLength(46);
    expect(before.slice(0, 3)).toEqual(['2021-06-10', '2021-07-01', '2021-08-01']);
    expect(before).toContain('2023-03-02');
    expect(before).not.toContain('2023-03-01');
    expect(dates.filter((d) => d >= '2025-04-01')).toHaveLength(dayNumber('2026-06-30') - dayNumber('2025-04-01') + 1);
    // The undated listing says why 2023-03-01 could not be used only while it is among the days shown daily.
    expect(report.skipped).toEqual([]);
    // The scorecard's baseline: the same snapshot as in the whole daily history.
    const all = comparisonSnapshots(series, series.comparisons[0]!, broken).snapshots;
    for (const latest of ['2026-06-30', '2025-12-31', '2025-05-14']) {
      const kept = analyzeOverlap(
        series,
        broken.filter((o) => o.observedAt <= latest),
      ).report.comparisons[0]!;
      const expected = yearAgoSnapshot(
        all.filter((s) => s.observed_at <= latest),
        (s) => s.observed_at,
        latest,
      );
      expect(yearAgoSnapshot(kept.history, (s) => s.observed_at, latest)).toEqual(expected);
      expect(expected!.observed_at).toBe(addDays(latest, -YEAR_DAYS));
    }
  });

  it('lists the dates that could not be used among the days shown daily only', () => {
    const series = hfSeriesSpec();
    const rows = daily('2023-01-01', '2025-02-10').filter(
      (o) => !(o.subject === 'tf' && ['2023-05-01', '2024-06-01'].includes(o.observedAt)),
    );
    const { report, warnings } = analyzeOverlap(series, rows);
    expect(report.comparisons[0]!.daily_from).toBe('2023-12-01');
    expect(report.skipped.map((s) => s.observed_at)).toEqual(['2024-06-01']);
    expect(warnings.filter((w) => /skipped/.test(w))).toHaveLength(1);
  });
});

describe('src/analyze/overlap-snapshot/row-need keptSnapshotRows', () => {
  const series = hfSeriesSpec();
  const spec = series.comparisons[0]!;
  const asked = (rows: readonly StoredObservation[], has: readonly RowSelection[]): RowsRead => {
    const keys = new Set(has.map(selectionKey));
    return { rows, has: (...s) => s.every((x) => keys.has(selectionKey(x))) };
  };

  it('asks the first date of each month and the days shown daily, then a month whose first date cannot be used', () => {
    const first = keptSnapshotRows(series, spec, '2026-06-30', asked([], []));
    expect(first).toHaveLength(2);
    expect(first[0]).toMatchObject({ take: 'latest', perMonth: 'first', to: '2026-06-30' });
    expect(first[1]).toMatchObject({ take: 'every', from: '2025-04-01', to: '2026-06-30' });
    // What the walk answered: the first date of each month per subset; in March 2023 tf's is a day later.
    const walk = daily('2022-11-01', '2026-06-30').filter(
      (o) => o.observedAt >= '2025-04-01' || o.observedAt.endsWith('-01') || (o.subject === 'tf' && o.observedAt === '2023-03-02'),
    );
    const then = keptSnapshotRows(
      series,
      spec,
      '2026-06-30',
      asked(
        walk.filter((o) => !(o.subject === 'tf' && o.observedAt === '2023-03-01')),
        first,
      ),
    );
    const wholeMonths = then.filter((s) => s.take === 'every' && s.from !== '2025-04-01');
    expect(wholeMonths).toEqual([expect.objectContaining({ methods: ['exact'], from: '2023-03-01', to: '2023-03-31' })]);
  });

  it("reads the month of the newest usable snapshot, and of a method's newest count, when older than the days shown daily", () => {
    // Exact counts until May 2024, then only tf counted fast: nothing usable since, and the newest exact count old.
    const rows = [
      ...daily('2024-03-01', '2024-05-17').filter((o) => o.observedAt.endsWith('-01') || o.observedAt === '2024-05-17'),
      ...['2025-09-01', '2026-06-30'].map((date) => hub('tf', 6_000, date, { method: 'fast' })),
    ];
    const firsts = keptSnapshotRows(series, spec, '2026-06-30', asked([], []));
    const need = keptSnapshotRows(series, spec, '2026-06-30', asked(rows, firsts), 'exact');
    const months = need.filter((s) => s.take === 'every').map((s) => [s.from, s.to, s.methods]);
    expect(months).toContainEqual(['2024-05-01', '2024-05-31', ['exact', 'fast']]);
    expect(months).toContainEqual(['2024-05-01', '2024-05-31', ['exact']]);
    const without = keptSnapshotRows(series, spec, '2026-06-30', asked(rows, firsts)).filter((s) => s.take === 'every');
    expect(without.map((s) => [s.from, s.to, s.methods])).not.toContainEqual(['2024-05-01', '2024-05-31', ['exact']]);
  });
});
