import { describe, expect, it } from 'vitest';
import { analyzeMonthly } from '../../src/analyze/monthly-overlap/analyze.js';
import type { MonthlyRow } from '../../src/analyze/monthly-overlap/types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import {
  articleHub,
  articleHubMonths,
  config,
  hub,
  hfMonthlySection,
  hfMonths,
  hfMonthlySeriesSpec,
  monthlyScenario as scenario,
  reportOf,
} from './helpers.js';

const series = hfMonthlySeriesSpec();
const analyze = (rows: readonly StoredObservation[]) => analyzeMonthly(series, rows);

/** [month, created, share % (2 decimals), cumulative] per segment, and the union, of one table row. */
const cells = (row: MonthlyRow) => [
  row.month,
  ...row.segments.map((s) => [s.created, s.share === null ? null : +(s.share * 100).toFixed(2), s.cumulative]),
  [row.total, row.cumulative_total],
];

describe('src/analyze/monthly-overlap', () => {
  it('splits each month by inclusion–exclusion, with shares of the month and cumulative counts (hand-computed)', () => {
    const { report, warnings } = analyze(scenario());
    expect(warnings).toEqual([]);
    const [c] = report.comparisons;
    expect(c).toMatchObject({ comparison: 'PyTorch vs TensorFlow', observed_at: '2024-03-15', method: 'exact', total: 20 });
    expect(c!.undated.segments.map((s) => s.segment)).toEqual(['PyTorch only', 'TensorFlow only', 'PyTorch and TensorFlow']);
    expect(cells(c!.undated)).toEqual(['undated', [4, 57.14, 4], [2, 28.57, 2], [1, 14.29, 1], [7, 7]]);
    expect(c!.months.map(cells)).toEqual([
      ['2023-11', [3, 75, 7], [1, 25, 3], [0, 0, 1], [4, 11]],
      ['2023-12', [0, null, 7], [0, null, 3], [0, null, 1], [0, 11]],
      ['2024-01', [5, 83.33, 12], [0, 0, 3], [1, 16.67, 2], [6, 17]],
      ['2024-02', [2, 66.67, 14], [1, 33.33, 4], [0, 0, 2], [3, 20]],
      ['2024-03', [0, null, 14], [0, null, 4], [0, null, 2], [0, 20]],
    ]);
    // The placeholder block is never a March 2022 spike.
    expect(c!.months.some((m) => m.month === '2022-03')).toBe(false);
    // Last full month 2024-02; a year before, 2023-02, precedes every dated month.
    expect(c!.last_full_month).toBe('2024-02');
    expect(c!.trend).toEqual({
      from_month: '2023-02',
      to_month: '2024-02',
      segments: [
        { segment: 'PyTorch only', frameworks: ['PyTorch'], from_share: null, to_share: 0.666667 },
        { segment: 'TensorFlow only', frameworks: ['TensorFlow'], from_share: null, to_share: 0.333333 },
        { segment: 'PyTorch and TensorFlow', frameworks: ['PyTorch', 'TensorFlow'], from_share: null, to_share: 0 },
      ],
    });
  });

  it('reads a sparse histogram (absent months are 0) and compares the last full month with a year before', () => {
    const [c] = analyze([...articleHub(), ...articleHubMonths()]).report.comparisons;
    expect(c!.months.map((m) => m.month)).toEqual([
      '2023-06',
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
      '2024-07',
    ]);
    expect(c!.total).toBe(198_191); // the union of the snapshot: 180,549 + 12,809 + 4,833
    expect(c!.months.at(-1)!.segments.map((s) => s.cumulative)).toEqual([180_549, 12_809, 4_833]);
    expect(c!.trend!.segments.map((s) => [s.segment, +(s.from_share! * 100).toFixed(2), +(s.to_share! * 100).toFixed(2)])).toEqual([
      ['PyTorch only', 78.26, 93.62],
      ['TensorFlow only', 13.04, 4.26],
      ['PyTorch and TensorFlow', 8.7, 2.13],
    ]);
  });

  it('uses the latest date whose histograms are whole, never mixing dates, and says why newer ones were not used', () => {
    const rows = [
      ...scenario('2024-03-15'),
      // 2024-03-20: the pytorch+tf count failed, so its months were never stored.
      hub('pytorch', 17, '2024-03-20'),
      hub('tf', 6, '2024-03-20'),
      ...hfMonths('pytorch', { undated: 5, '2023-11': 3, '2024-01': 6, '2024-02': 2, '2024-03': 1 }, '2024-03-20'),
      ...hfMonths('tf', { undated: 3, '2023-11': 1, '2024-01': 1, '2024-02': 1 }, '2024-03-20'),
      // 2024-03-25: tf's months add up to 7, not to the 6 counted that day.
      hub('pytorch', 16, '2024-03-25'),
      hub('tf', 6, '2024-03-25'),
      hub('pytorch+tf', 2, '2024-03-25'),
      // (The collector writes every month to the as-of month: March's one model of the 20th is gone.)
      ...hfMonths('pytorch', { undated: 5, '2023-11': 3, '2024-01': 6, '2024-02': 2, '2024-03': 0 }, '2024-03-25'),
      ...hfMonths('tf', { undated: 4, '2023-11': 1, '2024-01': 1, '2024-02': 1 }, '2024-03-25'),
      ...hfMonths('pytorch+tf', { undated: 1, '2024-01': 1 }, '2024-03-25'),
    ];
    const { report, warnings, usedRows } = analyze(rows);
    expect(report.comparisons.map((c) => c.observed_at)).toEqual(['2024-03-15']);
    expect(usedRows.every((o) => o.observedAt === '2024-03-15' && o.metric === 'models_created')).toBe(true);
    expect(report.skipped).toEqual([
      {
        comparison: 'PyTorch vs TensorFlow',
        observed_at: '2024-03-25',
        reason: 'the monthly counts of tf add up to 7, not to the 6 counted that day',
      },
      { comparison: 'PyTorch vs TensorFlow', observed_at: '2024-03-20', reason: 'incomplete: pytorch+tf not counted exact that day' },
    ]);
    expect(warnings).toHaveLength(2);
  });

  it('rebuilds a day whose run stored only the months that changed from the latest value of each month', () => {
    // 2024-03-16: two PyTorch-only models created in March; every other month as the day before.
    const d = '2024-03-16';
    const rows = [
      ...scenario('2024-03-15'),
      hub('pytorch', 18, d),
      hub('tf', 6, d),
      hub('pytorch+tf', 2, d),
      ...hfMonths('pytorch', { '2024-03': 2 }, d),
    ];
    const changed = analyze(rows);
    const whole = analyze([
      ...scenario('2024-03-15'),
      hub('pytorch', 18, d),
      hub('tf', 6, d),
      hub('pytorch+tf', 2, d),
      ...scenario('2024-03-15')
        .filter((o) => o.metric === 'models_created')
        .map((o) => ({ ...o, observedAt: d, value: o.subject === 'pytorch' && o.period === '2024-03' ? 2 : o.value })),
    ]);
    expect(changed.report.comparisons[0]!.observed_at).toBe(d);
    expect(changed.report.comparisons).toEqual(whole.report.comparisons);
    expect(changed.report.comparisons[0]!.months.find((m) => m.month === '2024-03')!.segments[0]!.created).toBe(2);
  });

  it('reports negative segments as a data problem and does not clamp them', () => {
    const d = '2024-03-15';
    const rows = [
      hub('pytorch', 3, d),
      hub('tf', 1, d),
      hub('pytorch+tf', 3, d),
      ...hfMonths('pytorch', { undated: 1, '2024-01': 2 }, d),
      ...hfMonths('tf', { undated: 0, '2024-01': 1 }, d),
      ...hfMonths('pytorch+tf', { undated: 0, '2024-01': 3 }, d),
    ];
    const { report } = analyze(rows);
    expect(report.comparisons).toEqual([]);
    expect(report.skipped[0]!.reason).toBe(
      'inconsistent counts for 2024-01 (pytorch=2, tf=1, pytorch+tf=3) give negative segments: PyTorch only = -1; TensorFlow only = -2',
    );
  });

  it('says why there is nothing to show when only fast counts (totals) are stored', () => {
    const { report, warnings } = analyze([...articleHub('2024-07-20', 'fast')]);
    expect(report.comparisons).toEqual([]);
    expect(report.unavailable).toMatch(/^monthly counts come only from exact counts.*--hf-method exact or both$/);
    expect(report.skipped).toEqual([{ comparison: 'PyTorch vs TensorFlow', observed_at: null, reason: report.unavailable }]);
    expect(warnings).toEqual([]);
  });

  it('says a collect is needed when nothing of the source is stored (another source collected alone)', () => {
    const { report } = analyze([]);
    expect(report.unavailable).toBe('run `adoption-metrics collect --sources huggingface` to store them');
    expect(report.skipped).toEqual([{ comparison: 'PyTorch vs TensorFlow', observed_at: null, reason: report.unavailable }]);
  });

  it('warns when later counts stored no months, so a stale histogram is not read as today’s', () => {
    const { report, warnings } = analyze([...scenario('2024-03-15'), ...articleHub('2024-07-20', 'fast')]);
    expect(report.comparisons[0]!.observed_at).toBe('2024-03-15');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^huggingface: .*PyTorch vs TensorFlow is as of 2024-03-15; the later counts \(up to 2024-07-20\) stored no monthly counts/,
      ),
    ]);
  });

  it('compares the cumulative curve with the totals observed just after each month ended (the gap)', () => {
    const rows = [
      ...scenario('2024-03-15'),
      // Observed on 2024-02-01: 18 models in the union (pytorch only 13, tf only 3, both 2); by the end of
      // January the histogram of 2024-03-15 has 17 still listed (12, 3, 2): one PyTorch-only model has gone.
      hub('pytorch', 15, '2024-02-01'),
      hub('tf', 5, '2024-02-01'),
      hub('pytorch+tf', 2, '2024-02-01'),
      // A later day of the same month does not replace the first one.
      hub('pytorch', 99, '2024-02-10', { method: 'fast' }),
      hub('tf', 9, '2024-02-10', { method: 'fast' }),
      hub('pytorch+tf', 1, '2024-02-10', { method: 'fast' }),
      // Snapshots before the histogram's first month cannot be compared; later than the histogram, ignored.
      ...articleHub('2023-10-05'),
      ...articleHub('2024-04-01'),
    ];
    const [c] = analyze(rows).report.comparisons;
    expect(c!.snapshot_gap).toEqual([
      {
        month: '2024-01',
        observed_on: '2024-02-01',
        method: 'exact',
        observed: 18,
        cumulative: 17,
        gap: 1,
        segments: [
          { segment: 'PyTorch only', frameworks: ['PyTorch'], observed: 13, cumulative: 12, gap: 1 },
          { segment: 'TensorFlow only', frameworks: ['TensorFlow'], observed: 3, cumulative: 3, gap: 0 },
          { segment: 'PyTorch and TensorFlow', frameworks: ['PyTorch', 'TensorFlow'], observed: 2, cumulative: 2, gap: 0 },
        ],
      },
    ]);
    // Not the histogram's own day (2024-03-15, the same listing), nor a later day (2024-04-01).
  });

  it('in a report: its own section after the snapshot, the same dates and the later run of a re-run day', () => {
    const rows = [...articleHub(), ...articleHubMonths(), ...hfMonths('tf', { '2024-07': 3_542 }, '2024-07-20', { runId: 2 })];
    const report = reportOf(rows, { config: config() });
    expect(report.sections.map((s) => s.series.key)).toEqual(['huggingface', 'huggingface_by_month', 'pubmed']);
    const section = hfMonthlySection(report);
    expect(section.data.comparisons[0]!.months.at(-1)!.total).toBe(82_891);
    expect(section.methodology.caveats.join(' ')).toMatch(/survivorship.*re-tagging.*tag drift.*keras or tf-keras/);
    expect(section.methodology.undated).toMatch(/2022-03-02T23:29:04\.000Z/);
    expect(report.queries.filter((q) => q.metric === 'models_created').map((q) => q.subject)).toEqual(['pytorch', 'pytorch+tf', 'tf']);
  });
});
