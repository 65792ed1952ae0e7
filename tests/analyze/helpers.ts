import { type BuildReportInput, buildReport } from '../../src/analyze/build-report.js';
import type { MonthlyOverlapSeries } from '../../src/analyze/monthly-overlap/spec.js';
import type { OverlapSnapshotSeries } from '../../src/analyze/overlap-snapshot/spec.js';
import { type Report, type SectionOf, sectionsOf } from '../../src/analyze/report-types.js';
import type { YearlyCountSeries } from '../../src/analyze/yearly-count/spec.js';
import { parseConfig } from '../../src/config/load.js';
import { configuredSeries } from '../../src/config/parts.js';
import type { AppConfig } from '../../src/config/types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { COLLECTORS } from '../../src/registry.js';
import type { SeriesSpec } from '../../src/analyze/series.js';

/** Builders for stored observations and configs shared by the analyzer and report tests. */

let nextId = 1;

export function obs(
  partial: Partial<StoredObservation> & Pick<StoredObservation, 'source' | 'metric' | 'subject' | 'period' | 'value' | 'observedAt'>,
): StoredObservation {
  return {
    method: partial.source === 'pubmed' ? 'esearch' : 'exact',
    query: `${partial.subject} ${partial.period}`,
    collectorVersion: '1.0.0',
    runId: 1,
    id: nextId++,
    ...partial,
  };
}

export function hub(subject: string, value: number, observedAt: string, extra: Partial<StoredObservation> = {}): StoredObservation {
  return obs({
    source: 'huggingface',
    metric: 'models',
    subject,
    period: observedAt,
    value,
    observedAt,
    query: `filter=${subject.split('+').join('&filter=')}`,
    ...extra,
  });
}

/** One subject's monthly counts as the Hub stores them (metric `models_created`, method exact). */
export function hfMonths(
  subject: string,
  months: Readonly<Record<string, number>>,
  observedAt: string,
  extra: Partial<StoredObservation> = {},
): StoredObservation[] {
  return Object.entries(months).map(([period, value]) =>
    obs({
      source: 'huggingface',
      metric: 'models_created',
      subject,
      period,
      value,
      observedAt,
      query: `filter=${subject.split('+').join('&filter=')}`,
      ...extra,
    }),
  );
}

/**
 * Illustrative monthly counts that add up to the article's Hub totals (sparse, as any stored histogram may be
 * read: an absent month is 0). Exclusive segments, worked out by hand:
 *
 *              undated   2023-06   2024-06   2024-07
 * PyTorch only  87,000     5,400     8,800    79,349
 * TF only        9,000       900       400     2,509
 * both           3,000       600       200     1,033
 */
export function articleHubMonths(observedAt = '2024-07-20'): StoredObservation[] {
  return [
    ...hfMonths('pytorch', { undated: 90_000, '2023-06': 6_000, '2024-06': 9_000, '2024-07': 80_382 }, observedAt),
    ...hfMonths('tf', { undated: 12_000, '2023-06': 1_500, '2024-06': 600, '2024-07': 3_542 }, observedAt),
    ...hfMonths('pytorch+tf', { undated: 3_000, '2023-06': 600, '2024-06': 200, '2024-07': 1_033 }, observedAt),
  ];
}

/**
 * The collector test's scenario (tests/collectors/huggingface.history.test.ts), listed on 2024-03-15, worked
 * out by hand. Exclusive segments per month:
 *
 *                 undated  2023-11  2023-12  2024-01  2024-02  2024-03
 * PyTorch only       4        3        0        5        2        0
 * TF only            2        1        0        0        1        0
 * both               1        0        0        1        0        0
 * union              7        4        0        6        3        0     (20)
 */
export function monthlyScenario(observedAt = '2024-03-15'): StoredObservation[] {
  return [
    hub('pytorch', 16, observedAt),
    hub('tf', 6, observedAt),
    hub('pytorch+tf', 2, observedAt),
    ...hfMonths('pytorch', { undated: 5, '2023-11': 3, '2023-12': 0, '2024-01': 6, '2024-02': 2, '2024-03': 0 }, observedAt),
    ...hfMonths('tf', { undated: 3, '2023-11': 1, '2023-12': 0, '2024-01': 1, '2024-02': 1, '2024-03': 0 }, observedAt),
    ...hfMonths('pytorch+tf', { undated: 1, '2024-01': 1, '2024-02': 0, '2024-03': 0 }, observedAt),
  ];
}

export function papers(
  subject: string,
  year: number,
  value: number,
  observedAt: string,
  extra: Partial<StoredObservation> = {},
): StoredObservation {
  return obs({
    source: 'pubmed',
    metric: 'papers',
    subject,
    period: String(year),
    value,
    observedAt,
    query: `(${subject.toLowerCase()}) AND ${year}:${year}[dp]`,
    ...extra,
  });
}

/** A year's total of all PubMed records, the denominator of per_million, as the collector stores it. */
export function allRecords(year: number, value: number, observedAt: string, extra: Partial<StoredObservation> = {}): StoredObservation {
  return obs({
    source: 'pubmed',
    metric: 'papers_all',
    subject: '(all records)',
    period: String(year),
    value,
    observedAt,
    query: `${year}:${year}[dp]`,
    ...extra,
  });
}

/**
 * Completeness rows as the collector stores them: records of `year` created by the first and by the last day
 * of the observation month in that year (`atMonthEnd` defaults to `value`, so the same-day count is `value`).
 */
export function createdBy(subject: string, year: number, value: number, observedAt: string, atMonthEnd = value): StoredObservation[] {
  const month = observedAt.slice(5, 7);
  const last = new Date(Date.UTC(year, Number(month), 0)).getUTCDate();
  return [
    obs({ source: 'pubmed', metric: 'papers_created_by', subject, period: `${year}-${month}-01`, value, observedAt }),
    obs({ source: 'pubmed', metric: 'papers_created_by', subject, period: `${year}-${month}-${last}`, value: atMonthEnd, observedAt }),
  ];
}

/** The article's Hub numbers as the collector stores them (2024-07-20, exact). */
export function articleHub(observedAt = '2024-07-20', method = 'exact'): StoredObservation[] {
  return [
    hub('pytorch', 185_382, observedAt, { method }),
    hub('tf', 17_642, observedAt, { method }),
    hub('pytorch+tf', 4_833, observedAt, { method }),
  ];
}

/**
 * The test configuration, parsed by the real parser: PyTorch, TensorFlow and JAX with Hub tags, the given
 * PubMed keywords (default PyTorch, TensorFlow, Keras), comparisons (default PyTorch vs TensorFlow), years.
 */
export function config(options: { comparisons?: string[][]; fromYear?: number; toYear?: number; pubmed?: string[] } = {}): AppConfig {
  const hfTags: Record<string, string> = { PyTorch: 'pytorch', TensorFlow: 'tf', JAX: 'jax' };
  const pubmedKeywords = options.pubmed ?? ['PyTorch', 'TensorFlow', 'Keras'];
  const frameworks = ['PyTorch', 'TensorFlow', 'Keras', 'JAX'].map((name) => ({
    name,
    ...(hfTags[name] ? { huggingface: { tags: [hfTags[name]] } } : {}),
    ...(pubmedKeywords.includes(name) ? { pubmed: { term: name.toLowerCase() } } : {}),
  }));
  const pubmed = { fromYear: options.fromYear ?? 2020, ...(options.toYear === undefined ? {} : { toYear: options.toYear }) };
  return parseConfig(
    { frameworks, huggingface: { comparisons: options.comparisons ?? [['PyTorch', 'TensorFlow']], method: 'exact' }, pubmed },
    COLLECTORS,
    'test',
  );
}

/** The series the configured collectors declare, as `report` builds them. */
export function seriesOf(appConfig: AppConfig = config()): SeriesSpec[] {
  return configuredSeries(appConfig, COLLECTORS);
}

/** The report of stored rows under a configuration, as `report` builds it (dates injected). */
export function reportOf(
  observations: readonly StoredObservation[],
  options: Partial<Omit<BuildReportInput, 'observations' | 'series'>> & { config?: AppConfig } = {},
): Report {
  const { config: appConfig, ...rest } = options;
  return buildReport({
    observations,
    series: seriesOf(appConfig),
    asOf: '2024-07-20',
    generatedAt: '2024-07-21T08:00:00.000Z',
    replayed: false,
    presentOnly: new Map([['huggingface', 'the Hub API']]),
    ...rest,
  });
}

/** The Hub section of a report (the overlap-snapshot series keyed `huggingface`). */
export function hfSection(report: Report): SectionOf<'overlap-snapshot'> {
  const section = sectionsOf(report, 'overlap-snapshot').find((s) => s.series.key === 'huggingface');
  if (!section) throw new Error('the report has no huggingface section');
  return section;
}

/** The Hub's monthly section of a report (the monthly-overlap series keyed `huggingface_by_month`). */
export function hfMonthlySection(report: Report): SectionOf<'monthly-overlap'> {
  const section = sectionsOf(report, 'monthly-overlap').find((s) => s.series.key === 'huggingface_by_month');
  if (!section) throw new Error('the report has no huggingface_by_month section');
  return section;
}

/** The PubMed section of a report (the yearly-count series keyed `pubmed`). */
export function pubmedSection(report: Report): SectionOf<'yearly-count'> {
  const section = sectionsOf(report, 'yearly-count').find((s) => s.series.key === 'pubmed');
  if (!section) throw new Error('the report has no pubmed section');
  return section;
}

/** The yearly series spec PubMed declares under `config` (for the yearly analyzer's unit tests). */
export function pubmedSeriesSpec(appConfig: AppConfig = config()): YearlyCountSeries {
  const spec = seriesOf(appConfig).find((s): s is YearlyCountSeries => s.kind === 'yearly-count' && s.key === 'pubmed');
  if (!spec) throw new Error('no pubmed series configured');
  return spec;
}

/** The monthly series spec the Hub declares under `config`. */
export function hfMonthlySeriesSpec(appConfig: AppConfig = config()): MonthlyOverlapSeries {
  const spec = seriesOf(appConfig).find((s): s is MonthlyOverlapSeries => s.kind === 'monthly-overlap' && s.key === 'huggingface_by_month');
  if (!spec) throw new Error('no huggingface_by_month series configured');
  return spec;
}

/** The overlap series spec the Hub declares under `config`. */
export function hfSeriesSpec(appConfig: AppConfig = config()): OverlapSnapshotSeries {
  const spec = seriesOf(appConfig).find((s): s is OverlapSnapshotSeries => s.kind === 'overlap-snapshot' && s.key === 'huggingface');
  if (!spec) throw new Error('no huggingface series configured');
  return spec;
}

/**
 * A small PubMed history observed on 2024-07-20: final counts 2020–2023, the partial 2024 count,
 * completeness data for 2021–2023 (c = 0.5 for every keyword and year, so lag-aware doubles the count), and
 * the totals of all records (1, 1.25, 1.6 and 2 million, 1 million so far in 2024).
 */
export function pubmedHistory(observedAt = '2024-07-20'): StoredObservation[] {
  const finals: Record<string, number[]> = {
    PyTorch: [100, 200, 400, 800],
    TensorFlow: [300, 320, 340, 360],
    Keras: [200, 210, 220, 230],
  };
  const partial: Record<string, number> = { PyTorch: 500, TensorFlow: 150, Keras: 100 };
  const rows: StoredObservation[] = [];
  for (const [keyword, values] of Object.entries(finals)) {
    for (const [i, value] of values.entries()) rows.push(papers(keyword, 2020 + i, value, observedAt));
    rows.push(papers(keyword, 2024, partial[keyword]!, observedAt));
    for (const year of [2021, 2022, 2023]) rows.push(...createdBy(keyword, year, values[year - 2020]! / 2, observedAt));
  }
  for (const [i, total] of [1_000_000, 1_250_000, 1_600_000, 2_000_000, 1_000_000].entries()) {
    rows.push(allRecords(2020 + i, total, observedAt));
  }
  return rows;
}
