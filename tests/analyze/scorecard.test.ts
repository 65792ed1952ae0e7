import { describe, expect, it } from 'vitest';
import { daysBetween, yearAgoSnapshot } from '../../src/analyze/indicator.js';
import { analyzeMonthlyCount } from '../../src/analyze/monthly-count/analyze.js';
import { monthlyCountIndicators } from '../../src/analyze/monthly-count/indicators.js';
import { analyzeQuarterly } from '../../src/analyze/quarterly-share/analyze.js';
import { quarterlyIndicators } from '../../src/analyze/quarterly-share/indicators.js';
import type { Report } from '../../src/analyze/report-types.js';
import { buildScorecard, changeOf, type ScorecardRow, summaryLine } from '../../src/analyze/scorecard.js';
import { renderScorecard } from '../../src/report/scorecard-text.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { articleHub, articleHubMonths, config, hub, monthlyScenario, obs, papers, pubmedHistory, reportOf } from './helpers.js';
import { monthlySpec, run } from './monthly-count-helpers.js';
import { SERIES } from './quarterly-helpers.js';

/** The scorecard rows of one series, by framework. */
const rowsOf = (report: Report, series: string, indicator?: string): Record<string, ScorecardRow> =>
  Object.fromEntries(
    report.scorecard.rows.filter((r) => r.series === series && (!indicator || r.indicator === indicator)).map((r) => [r.framework, r]),
  );

describe('the direction rule (src/analyze/scorecard)', () => {
  it('moves a share in percentage points: gaining above +1, losing below -1, steady from -1 to +1 inclusive', () => {
    expect(changeOf('share', 52.16, 45.45)).toEqual({ change: 6.71, change_unit: 'pp', direction: 'gaining' });
    expect(changeOf('share', 50.51, 49.5)).toEqual({ change: 1.01, change_unit: 'pp', direction: 'gaining' });
    expect(changeOf('share', 50.5, 49.5)).toEqual({ change: 1, change_unit: 'pp', direction: 'steady' });
    expect(changeOf('share', 48.5, 49.5)).toEqual({ change: -1, change_unit: 'pp', direction: 'steady' });
    expect(changeOf('share', 48.49, 49.5)).toEqual({ change: -1.01, change_unit: 'pp', direction: 'losing' });
  });

  it('moves a rate in percent of its baseline: gaining above +10 %, losing below -10 %', () => {
    expect(changeOf('rate', 687.5, 535.48)).toEqual({ change: 28.39, change_unit: '%', direction: 'gaining' });
    expect(changeOf('rate', 110, 100)).toEqual({ change: 10, change_unit: '%', direction: 'steady' });
    expect(changeOf('rate', 110.02, 100)).toEqual({ change: 10.02, change_unit: '%', direction: 'gaining' });
    expect(changeOf('rate', 90, 100)).toEqual({ change: -10, change_unit: '%', direction: 'steady' });
    expect(changeOf('rate', 89.99, 100)).toEqual({ change: -10.01, change_unit: '%', direction: 'losing' });
  });

  it('gives n/a without a baseline, and for a rate whose baseline is 0', () => {
    expect(changeOf('share', 93.54, null)).toEqual({ change: null, change_unit: 'pp', direction: 'n/a' });
    expect(changeOf('rate', 12.5, 0)).toMatchObject({
      change: null,
      change_unit: '%',
      direction: 'n/a',
      note: expect.stringMatching(/baseline is 0/),
    });
  });

  it('sums a framework up in one line, the commonest direction first', () => {
    const counts = { gaining: 0, losing: 5, steady: 1, 'n/a': 0 };
    expect(summaryLine('TensorFlow', counts, 6)).toBe('TensorFlow: losing on 5 of 6 indicators, steady on 1');
    expect(summaryLine('JAX', { gaining: 2, losing: 0, steady: 2, 'n/a': 1 }, 5)).toBe(
      'JAX: gaining on 2 of 5 indicators, steady on 2, n/a on 1',
    );
    expect(summaryLine('Keras', { gaining: 0, losing: 0, steady: 0, 'n/a': 1 }, 1)).toBe('Keras: n/a on 1 of 1 indicator');
  });
});

describe('overlap-snapshot indicator: availability share, latest snapshot against the one nearest to 365 days before', () => {
  // A year before: 90 of 100 models carry PyTorch, 20 TensorFlow, 10 both (union 100).
  const yearAgo = (date: string) => [hub('pytorch', 90, date), hub('tf', 20, date), hub('pytorch+tf', 10, date)];

  it('picks the stored snapshot nearest to 365 days earlier within ±45 days, the more recent on a tie', () => {
    const dates = ['2023-05-01', '2023-06-06', '2023-06-05', '2023-07-15', '2023-07-16', '2023-07-26', '2023-09-01', '2024-01-01'];
    expect(dates.map((d) => daysBetween(d, '2024-07-20'))).toEqual([446, 410, 411, 371, 370, 360, 323, 201]);
    const pick = (candidates: string[]) => yearAgoSnapshot(candidates, (d) => d, '2024-07-20');
    expect(pick(['2023-07-15', '2023-09-01', '2023-05-01'])).toBe('2023-07-15');
    expect(pick(['2023-06-06', '2023-05-01'])).toBe('2023-06-06'); // 45 days off: still in
    expect(pick(['2023-06-05', '2024-01-01'])).toBeUndefined(); // 46 and 164 days off
    expect(pick(['2023-07-16', '2023-07-26'])).toBe('2023-07-26'); // 5 days off each way: the more recent
  });

  it('is gaining for PyTorch and losing for TensorFlow against the snapshot of 2023-07-15', () => {
    const report = reportOf([
      ...articleHub(),
      ...yearAgo('2023-07-15'),
      ...yearAgo('2023-09-01').map((o) => ({ ...o, value: o.value * 2 })),
    ]);
    const rows = rowsOf(report, 'huggingface');
    // 185,382 and 17,642 of 198,191 (the union) against 90 and 20 of 100.
    expect(rows.PyTorch).toMatchObject({
      indicator: 'availability share of models, PyTorch vs TensorFlow',
      period: '2024-07-20',
      value: 93.54,
      unit: '%',
      baseline_period: '2023-07-15',
      baseline_value: 90,
      change: 3.54,
      change_unit: 'pp',
      direction: 'gaining',
      observed_at: '2024-07-20',
      age_days: 0,
      note: null,
    });
    expect(rows.TensorFlow).toMatchObject({ value: 8.9, baseline_value: 20, change: -11.1, direction: 'losing' });
  });

  it('is n/a with the reason when no snapshot is stored near a year before, the latest value still filled', () => {
    const report = reportOf([...articleHub(), ...yearAgo('2024-01-01')]);
    expect(rowsOf(report, 'huggingface').PyTorch).toMatchObject({
      value: 93.54,
      baseline_period: null,
      baseline_value: null,
      change: null,
      direction: 'n/a',
      note: 'no baseline: no snapshot is stored 320–410 days before 2024-07-20 (the earliest stored is 2024-01-01)',
    });
  });

  it('counts the age from the observation date of the value used', () => {
    const report = reportOf([...articleHub('2024-06-30'), ...yearAgo('2023-06-30')]);
    expect(rowsOf(report, 'huggingface').PyTorch).toMatchObject({
      period: '2024-06-30',
      observed_at: '2024-06-30',
      age_days: 20,
      direction: 'gaining',
    });
  });
});

describe('monthly-overlap indicator: availability share of the month’s new models, last full month against a year before', () => {
  it('compares 2024-06 with 2023-06 in the latest histogram, with the series’ survivorship caveat', () => {
    // 2024-06: 8,800 PyTorch only, 400 TensorFlow only, 200 both (9,400); 2023-06: 5,400, 900, 600 (6,900).
    const rows = rowsOf(reportOf([...articleHub(), ...articleHubMonths()]), 'huggingface_by_month');
    expect(rows.PyTorch).toMatchObject({
      indicator: 'availability share of new models, PyTorch vs TensorFlow',
      period: '2024-06',
      value: 95.74, // 9,000 / 9,400
      baseline_period: '2023-06',
      baseline_value: 86.96, // 6,000 / 6,900
      change: 8.78,
      direction: 'gaining',
      observed_at: '2024-07-20',
    });
    expect(rows.TensorFlow).toMatchObject({ value: 6.38, baseline_value: 21.74, change: -15.36, direction: 'losing' });
    expect(rows.PyTorch!.note).toMatch(/^survivorship: only models still listed on the observation date are counted/);
  });

  it('is n/a when the month a year before is older than every listed creation month; the running month is never used', () => {
    // Listed 2024-03-15: the last full month is 2024-02 (2 PyTorch only, 1 TensorFlow only, none both), not the running 2024-03.
    const rows = rowsOf(reportOf(monthlyScenario()), 'huggingface_by_month');
    expect(rows.PyTorch).toMatchObject({
      period: '2024-02',
      value: 66.67,
      baseline_period: '2023-02',
      baseline_value: null,
      direction: 'n/a',
    });
    expect(rows.PyTorch!.note).toMatch(/^no baseline: 2023-02 is before the earliest creation month listed \(2023-11\); survivorship/);
    expect(rows.TensorFlow).toMatchObject({ value: 33.33, direction: 'n/a' });
  });
});

describe('yearly-count indicators: share of keyword mentions and per million, last complete year against the year before', () => {
  it('compares 2023 with 2022 as of 2024-07-20, leaving the partial 2024 out', () => {
    // Counts 2022: 400, 340, 220 (960); 2023: 800, 360, 230 (1,390). Totals 1.6 and 2 million records.
    const report = reportOf(pubmedHistory());
    const share = rowsOf(report, 'pubmed', 'share of keyword mentions');
    expect(share.PyTorch).toMatchObject({
      period: '2023',
      value: 57.55,
      unit: '%',
      baseline_period: '2022',
      baseline_value: 41.67,
      change: 15.88,
      direction: 'gaining',
      note: null,
    });
    expect(share.TensorFlow).toMatchObject({ value: 25.9, baseline_value: 35.42, change: -9.52, direction: 'losing' });
    expect(share.Keras).toMatchObject({ value: 16.55, baseline_value: 22.92, change: -6.37, direction: 'losing' });
    const rate = rowsOf(report, 'pubmed', 'papers per million PubMed records');
    expect(rate.PyTorch).toMatchObject({
      value: 400,
      unit: 'per million PubMed records',
      baseline_value: 250,
      change: 60,
      change_unit: '%',
      direction: 'gaining',
    });
    expect(rate.TensorFlow).toMatchObject({ value: 180, baseline_value: 212.5, change: -15.29, direction: 'losing' });
    expect(rate.Keras).toMatchObject({ value: 115, baseline_value: 137.5, change: -16.36, direction: 'losing' });
  });

  it('is steady when the shares move by a point or less and the rates by 10 % or less', () => {
    const rows = ['PyTorch', 'TensorFlow', 'Keras'].flatMap((k, i) => [
      papers(k, 2022, [500, 300, 200][i]!, '2024-07-20'),
      papers(k, 2023, [505, 300, 195][i]!, '2024-07-20'),
    ]);
    const totals = [2022, 2023].map((year) =>
      obs({
        source: 'pubmed',
        metric: 'papers_all',
        subject: '(all records)',
        period: String(year),
        value: 1_000_000,
        observedAt: '2024-07-20',
      }),
    );
    const report = reportOf([...rows, ...totals], { config: config({ fromYear: 2022 }) });
    // 2022: 50, 30, 20 %; 2023: 50.5, 30, 19.5 %.
    expect(Object.values(rowsOf(report, 'pubmed', 'share of keyword mentions')).map((r) => [r.change, r.direction])).toEqual([
      [0.5, 'steady'],
      [0, 'steady'],
      [-0.5, 'steady'],
    ]);
    expect(Object.values(rowsOf(report, 'pubmed', 'papers per million PubMed records')).map((r) => [r.change, r.direction])).toEqual([
      [1, 'steady'],
      [0, 'steady'],
      [-2.5, 'steady'],
    ]);
  });

  it('says so when the last complete year was counted before it ended (partial data)', () => {
    // As of 2024-01-10: 2023 was last counted on 2023-12-20, so it is still partial and its estimate is used.
    const rows: StoredObservation[] = ['PyTorch', 'TensorFlow', 'Keras'].flatMap((k, i) => [
      papers(k, 2022, [400, 340, 220][i]!, '2023-12-20'),
      papers(k, 2023, [780, 350, 225][i]!, '2023-12-20'),
    ]);
    const report = reportOf(rows, { asOf: '2024-01-10', config: config({ fromYear: 2022 }) });
    const share = rowsOf(report, 'pubmed', 'share of keyword mentions');
    expect(share.PyTorch).toMatchObject({ period: '2023', observed_at: '2023-12-20', age_days: 21, baseline_value: 41.67 });
    // The linear estimate scales every keyword alike: the shares are those of the counts so far, 780 of 1,355.
    expect(share.PyTorch!.value).toBe(57.56);
    expect(share.PyTorch!.note).toBe(
      'partial data: 2023 was last counted 2023-12-20, before the year ended; its adjusted estimate is used',
    );
  });

  it('is n/a when the year before is outside the configured years', () => {
    const rows = ['PyTorch', 'TensorFlow', 'Keras'].map((k) => papers(k, 2023, 10, '2024-07-20'));
    const share = rowsOf(reportOf(rows, { config: config({ fromYear: 2023 }) }), 'pubmed', 'share of keyword mentions');
    expect(share.Keras).toMatchObject({ value: 33.33, baseline_period: '2022', baseline_value: null, direction: 'n/a' });
    expect(share.Keras!.note).toBe('no baseline: 2022 is before the years reported (from 2023)');
  });
});

describe('quarterly-share indicator: the comparison’s share, last full quarter against four quarters before', () => {
  const row = (metric: string, subject: string, period: string, value: number, observedAt = '2025-12-01') =>
    obs({ source: 'archive', method: 'snapshot', metric, subject, period, value, observedAt });
  const quarter = (q: string, a: number, b: number, union: number) => [
    row('papers', 'A', q, a),
    row('papers', 'B', q, b),
    row('papers_union', 'A vs B', q, union),
    row('papers_all', 'all', q, union + 2),
  ];
  const indicators = (rows: StoredObservation[], asOf = '2026-01-10') =>
    quarterlyIndicators(SERIES, analyzeQuarterly(SERIES, rows, asOf).report, asOf);
  const scored = (rows: StoredObservation[], asOf = '2026-01-10') =>
    Object.fromEntries(
      buildScorecard([{ series: SERIES, indicators: indicators(rows, asOf), stored: true }], asOf).rows.map((r) => [r.framework, r]),
    );

  it('skips the partial quarter the data ends in, and says the data ends before the as-of date', () => {
    // 2025-Q3 is partial (the data ends 2025-07-25): 2025-Q2 (75 and 5 of 78) against 2024-Q2 (60 and 30 of 80).
    const rows = [...quarter('2025-Q3', 30, 1, 30), ...quarter('2025-Q2', 75, 5, 78), ...quarter('2024-Q2', 60, 30, 80)];
    const r = scored(rows);
    expect(r.A).toMatchObject({
      indicator: 'share of papers, A vs B',
      period: '2025-Q2',
      value: 96.15,
      baseline_period: '2024-Q2',
      baseline_value: 75,
      change: 21.15,
      direction: 'gaining',
      observed_at: '2025-12-01',
      age_days: 40,
      note: 'the data ends 2025-07-25: no later quarter will be added',
    });
    expect(r.B).toMatchObject({ value: 6.41, baseline_value: 37.5, change: -31.09, direction: 'losing' });
  });

  it('is steady within a point, and n/a when four quarters before is not stored', () => {
    const steady = scored([...quarter('2025-Q2', 75, 5, 78), ...quarter('2024-Q2', 74, 5, 77)]);
    expect([steady.A!.change, steady.A!.direction, steady.B!.change, steady.B!.direction]).toEqual([0.05, 'steady', -0.08, 'steady']);
    // As of mid-2025-Q2 the last full quarter is 2025-Q1.
    const missing = scored([...quarter('2025-Q1', 3, 1, 4), ...quarter('2025-Q2', 75, 5, 78)], '2025-05-15');
    expect(missing.A).toMatchObject({ period: '2025-Q1', value: 75, baseline_period: '2024-Q1', direction: 'n/a' });
    expect(missing.A!.note).toBe('no baseline: 2024-Q1 is not stored (the first quarter is 2025-Q1)');
  });
});

describe('monthly-count indicator: the comparison’s share of the count, last full month against twelve months before', () => {
  const spec = monthlySpec();
  const scored = (perDay: (f: string, d: string) => number, through = '2024-07-18', asOf = '2024-07-20', series = spec) => {
    const data = analyzeMonthlyCount(series, run(perDay, { through, from: series.fromMonth }), asOf).report;
    const rows = buildScorecard([{ series, indicators: monthlyCountIndicators(series, data), stored: true }], asOf).rows;
    return Object.fromEntries(rows.map((r) => [r.framework, r]));
  };
  // A and B per day: 600 and 400 through 2023, 700 and 300 from 2024 (C is in no comparison).
  const shifting = (f: string, d: string) => ({ A: d < '2024' ? 600 : 700, B: d < '2024' ? 400 : 300 })[f as 'A' | 'B'] ?? 5;

  it('compares 2024-06 with 2023-06, never the partial 2024-07: A gaining 10 points, B losing them', () => {
    const r = scored(shifting);
    expect(r.A).toMatchObject({
      indicator: 'share of downloads, A vs B',
      period: '2024-06',
      value: 70,
      unit: '%',
      baseline_period: '2023-06',
      baseline_value: 60,
      change: 10,
      change_unit: 'pp',
      direction: 'gaining',
      observed_at: '2024-07-18',
      age_days: 2,
    });
    expect(r.B).toMatchObject({ value: 30, baseline_value: 40, change: -10, direction: 'losing' });
    expect(r.C).toBeUndefined();
  });

  it('is steady when the shares hold, and n/a with the reason when twelve months before is not counted', () => {
    const even = scored((f) => (f === 'A' ? 500 : 500));
    expect([even.A!.change, even.A!.direction]).toEqual([0, 'steady']);
    const late = scored(shifting, '2024-07-18', '2024-07-20', monthlySpec({ fromMonth: '2024-01' }));
    expect(late.A).toMatchObject({ period: '2024-06', value: 70, baseline_period: '2023-06', baseline_value: null, direction: 'n/a' });
    expect(late.A!.note).toBe('no baseline: 2023-06 is before the first month counted (2024-01)');
  });

  it('notes a framework whose counts start after the baseline month (before it, they count 0)', () => {
    const r = scored((f, d) => (f === 'B' && d < '2023-09' ? 0 : 500));
    expect(r.B).toMatchObject({ baseline_value: 0, direction: 'gaining' });
    expect(r.B!.note).toContain("B's downloads start in 2023-09");
  });
});

describe('the scorecard of a database with one source', () => {
  it('lists that source only, and names the others with the command that collects them', () => {
    const report = reportOf(pubmedHistory());
    expect(new Set(report.scorecard.rows.map((r) => r.source))).toEqual(new Set(['pubmed']));
    expect(report.scorecard.without_indicators).toEqual([
      {
        series: 'huggingface',
        source: 'huggingface',
        label: 'Hugging Face Hub models',
        reason: 'no data is stored',
        collect: 'adoption-metrics collect --sources huggingface',
      },
      {
        series: 'huggingface_by_month',
        source: 'huggingface',
        label: 'Hugging Face Hub models',
        reason: 'no data is stored',
        collect: 'adoption-metrics collect --sources huggingface',
      },
    ]);
    expect(report.scorecard.frameworks.map((f) => f.summary)).toEqual([
      'PyTorch: gaining on 2 of 2 indicators',
      'TensorFlow: losing on 2 of 2 indicators',
      'Keras: losing on 2 of 2 indicators',
    ]);
    // A reader is told each source once, though both of its series lack data.
    const told = renderScorecard(report.scorecard).filter((l) => l.includes('no data is stored'));
    expect(told).toEqual(['  Hugging Face Hub models: no data is stored; run `adoption-metrics collect --sources huggingface`']);
  });

  it('says a source with data but nothing to compare has no indicator yet, without a collect command', () => {
    const report = reportOf(articleHub('2024-07-20', 'fast'));
    expect(report.scorecard.without_indicators.find((w) => w.series === 'huggingface_by_month')).toMatchObject({
      reason: 'the stored data gives no indicator yet (its section says why)',
      collect: null,
    });
  });
});
