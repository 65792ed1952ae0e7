import { describe, expect, it } from 'vitest';
import { quarterlyIndicators } from '../../src/analyze/quarterly-share/indicators.js';
import { analyzeQuarterly } from '../../src/analyze/quarterly-share/analyze.js';
import { previousQuarter, quarterEnd, quarterOfDate } from '../../src/analyze/quarterly-share/quarters.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { obs } from './helpers.js';
import { SERIES } from './quarterly-helpers.js';

const row = (metric: string, subject: string, period: string, value: number, observedAt = '2026-01-10'): StoredObservation =>
  obs({ source: 'archive', method: 'snapshot', metric, subject, period, value, observedAt });

/** One quarter's counts: a and b papers, both, all papers; repos likewise. */
function quarter(q: string, c: { a: number; b: number; union: number; all: number; repos?: [number, number, number] }, at?: string) {
  const [ra, rb, rall] = c.repos ?? [c.a, c.b, c.all];
  return [
    row('papers', 'A', q, c.a, at),
    row('papers', 'B', q, c.b, at),
    row('papers_all', 'all', q, c.all, at),
    row('papers_union', 'A vs B', q, c.union, at),
    row('repos', 'A', q, ra, at),
    row('repos', 'B', q, rb, at),
    row('repos_all', 'all', q, rall, at),
  ];
}

describe('quarters', () => {
  it('names the quarter of a date, its last day and the one before', () => {
    expect(quarterOfDate('2024-07-20')).toBe('2024-Q3');
    expect(quarterOfDate('2024-12-31')).toBe('2024-Q4');
    expect(quarterEnd('2024-Q1')).toBe('2024-03-31');
    expect(quarterEnd('2024-Q3')).toBe('2024-09-30');
    expect(previousQuarter('2024-Q1')).toBe('2023-Q4');
  });
});

describe('src/analyze/quarterly-share', () => {
  it('computes every share from stored counts and marks the quarter the data ends in as partial', () => {
    const rows = [
      ...quarter('2025-Q2', { a: 75, b: 5, union: 78, all: 100, repos: [90, 4, 120] }),
      ...quarter('2025-Q3', { a: 30, b: 1, union: 30, all: 40 }),
      ...quarter('2017-Q1', { a: 1, b: 12, union: 13, all: 20 }),
      row('papers_left_out', 'no-id', '2026-01-10', 7),
    ];
    const { report, warnings, usedRows } = analyzeQuarterly(SERIES, rows, '2026-01-10');
    expect(warnings).toEqual([]);
    expect(report.observed_at).toBe('2026-01-10');
    expect(report.through).toBe('2025-07-25');
    expect(report.partial_quarter).toBe('2025-Q3');
    expect(report.quarters).toEqual(['2017-Q1', '2025-Q2', '2025-Q3']);
    const a = report.points.find((p) => p.quarter === '2025-Q2' && p.framework === 'A')!;
    expect(a).toEqual({
      quarter: '2025-Q2',
      framework: 'A',
      counts: { papers: 75, repos: 90 },
      shares: { papers: 0.75, repos: 0.75 },
      partial: false,
    });
    expect(report.points.filter((p) => p.partial).map((p) => p.quarter)).toEqual(['2025-Q3', '2025-Q3']);
    // Comparison shares divide by the union (a paper in both counts once), not by all papers.
    const [c] = report.comparisons;
    expect(c!.points.filter((p) => p.framework === 'A').map((p) => [p.quarter, p.share])).toEqual([
      ['2017-Q1', 0.076923],
      ['2025-Q2', 0.961538],
      ['2025-Q3', 1],
    ]);
    expect(report.left_out).toEqual([{ reason: 'no-id', description: 'without an id', count: 7 }]);
    expect(usedRows).toHaveLength(rows.length);
  });

  it('reports through the as-of date when it comes first, leaving later quarters out with a warning', () => {
    const rows = [...quarter('2024-Q2', { a: 8, b: 2, union: 10, all: 12 }), ...quarter('2024-Q4', { a: 9, b: 1, union: 10, all: 11 })];
    const { report, warnings } = analyzeQuarterly(SERIES, rows, '2024-07-20');
    expect(report.through).toBe('2024-07-20');
    expect(report.partial_quarter).toBe('2024-Q3');
    expect(report.quarters).toEqual(['2024-Q2']);
    expect(warnings).toEqual([
      'archive: 1 quarter(s) after 2024-Q3 are stored but not reported, since the report counts through 2024-07-20',
    ]);
    // Counted to a quarter's last day, that quarter is complete.
    expect(analyzeQuarterly(SERIES, rows, '2024-12-31').report.partial_quarter).toBeNull();
  });

  it('says what it counted: the as-of day, or its whole month for items dated by month only; the data end is a day', () => {
    const rows = quarter('2024-Q2', { a: 8, b: 2, union: 10, all: 12 });
    expect(analyzeQuarterly(SERIES, rows, '2024-07-20').report.counted_through).toBe('2024-07-20');
    const monthly = { ...SERIES, datedByMonth: 'an item is dated by its month' };
    const { report, warnings } = analyzeQuarterly(
      monthly,
      [...rows, ...quarter('2024-Q4', { a: 1, b: 1, union: 1, all: 1 })],
      '2024-07-20',
    );
    expect(report).toMatchObject({ through: '2024-07-20', counted_through: 'the whole of 2024-07', partial_quarter: '2024-Q3' });
    expect(warnings).toEqual([
      'archive: 1 quarter(s) after 2024-Q3 are stored but not reported, since the report counts through the whole of 2024-07',
    ]);
    // The data's own last day is a day, whatever the as-of month.
    expect(analyzeQuarterly(monthly, rows, '2026-01-10').report.counted_through).toBe('2025-07-25');
  });

  it('counts through the day its snapshot was made when a report is dated later: that quarter stays partial', () => {
    // Counted on 2024-07-20 (July only of 2024-Q3), reported as of 2025-03-01.
    const rows = [
      ...quarter('2024-Q2', { a: 8, b: 2, union: 10, all: 12 }, '2024-07-20'),
      ...quarter('2024-Q3', { a: 3, b: 1, union: 4, all: 4 }, '2024-07-20'),
    ];
    const monthly = { ...SERIES, datedByMonth: 'an item is dated by its month' };
    const { report } = analyzeQuarterly(monthly, rows, '2025-03-01');
    expect(report).toMatchObject({
      observed_at: '2024-07-20',
      through: '2024-07-20',
      counted_through: 'the whole of 2024-07',
      partial_quarter: '2024-Q3',
      quarters: ['2024-Q2', '2024-Q3'],
    });
    // The scorecard's latest full quarter is then 2024-Q2, not the July-only 2024-Q3.
    expect(quarterlyIndicators(monthly, report, '2025-03-01').map((i) => i.latest.period)).toEqual(['2024-Q2', '2024-Q2']);
  });

  it('uses one snapshot, the latest by the as-of date, never mixing counts of two runs', () => {
    const old = quarter('2024-Q1', { a: 5, b: 5, union: 10, all: 10 }, '2025-01-01');
    const newer = quarter('2024-Q1', { a: 6, b: 2, union: 8, all: 9 }, '2025-06-01').filter((o) => o.metric !== 'repos');
    const { report } = analyzeQuarterly(SERIES, [...old, ...newer], '2025-07-01');
    expect(report.observed_at).toBe('2025-06-01');
    // The newer run stored no repos: they are missing, not taken from the older run.
    expect(report.points.find((p) => p.framework === 'A')).toMatchObject({ counts: { papers: 6, repos: null }, shares: { repos: null } });
    // As build-report passes them: only rows observed by the as-of date.
    const byMay = [...old, ...newer].filter((o) => o.observedAt <= '2025-05-01');
    expect(analyzeQuarterly(SERIES, byMay, '2025-05-01').report.observed_at).toBe('2025-01-01');
  });

  it('says when nothing is stored', () => {
    const { report, warnings } = analyzeQuarterly(SERIES, [], '2025-01-01');
    expect(report.observed_at).toBeNull();
    expect(report.points).toEqual([]);
    expect(warnings).toEqual(['archive: no papers counts are stored yet; run `adoption-metrics collect --sources archive`']);
  });
});
