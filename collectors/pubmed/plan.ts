import type { Observation } from '../../src/core/observation.js';
import type { PubmedSourcePart } from './config.js';
import { ALL_RECORDS, METHOD, PAPERS, PAPERS_ALL, PAPERS_CREATED_BY } from './names.js';
import { allRecordsTerm, daysInMonth, monthBounds, pubmedDate, yearTerm } from './query.js';

/** A framework measured on PubMed: its name (the stored subject) and its configured term. */
export interface PlannedFramework {
  name: string;
  term: string;
}

/** One ESearch request: one stored number. */
export interface PlannedQuery {
  /** The stored subject: a framework name, or ALL_RECORDS for a year's total. */
  framework: string;
  /** The framework's configured term (for messages); empty for a year's total. */
  term: string;
  metric: typeof PAPERS | typeof PAPERS_CREATED_BY | typeof PAPERS_ALL;
  year: number;
  /** Stored period: the year for `papers`, the creation cutoff (`YYYY-MM-DD`) for `papers_created_by`. */
  period: string;
  /** The exact `term=` value sent, also stored as the observation's `query`. */
  query: string;
  /**
   * The series the collapse guard compares it with, when the query carries the as-of bound of a back-dated
   * run (`[crdt]` up to the as-of day): the same term and publication year without that bound, so every as-of
   * day, and today's unbounded count, continue one series. Absent: the query itself.
   */
  seriesKey?: string;
}

export interface Plan {
  queries: PlannedQuery[];
  /** Requests not made because the same query is already stored (incremental runs). */
  skipped: number;
  /** The publication years counted, after defaulting `toYear` to the as-of year; empty when from > to. */
  fromYear: number;
  toYear: number;
  /** Past years whose completeness (`papers_created_by`) this run measures; empty when the as-of year is outside the range. */
  completenessYears: number[];
  warnings: string[];
  /** The configured range holds no year to count on this day: a config error, said once, exit 1. */
  error?: string;
}

/** Completeness is measured on the 3 last complete years, so the analyzer can average the ratio. */
export const COMPLETENESS_YEARS = 3;

/**
 * Early-year completeness cutoffs stored for every completeness year whatever the as-of date: 1 and 31 January
 * (so any January day interpolates), the last day of February and of March. The backtest scores both
 * adjustments on them, which grounds the rule that withholds an estimate in the first weeks of a year.
 */
export function calibrationCutoffs(year: number): string[] {
  const yyyy = String(year).padStart(4, '0');
  return [`${yyyy}-01-01`, `${yyyy}-01-31`, `${yyyy}-02-${daysInMonth(year, 2)}`, `${yyyy}-03-31`];
}

/**
 * Which (framework, year) counts to request. Every year of the range on `full`; otherwise the last
 * `recentYears` years up to `toYear` (they keep growing), plus any year whose count is not stored with the
 * very same query (new framework, changed term, different as-of bound). When the as-of year is in the range,
 * the completeness counts of its 3 previous years are added: records of year Y created by the first and by
 * the last day of the as-of month in Y, and the early-year calibration cutoffs. Those are settled history (a
 * record's creation date never changes), so each is queried once and then skipped (the month's pair until the
 * as-of month changes); the analyzer interpolates the as-of day between them. The papers count of a
 * completeness year is queried when not stored yet. Last, one total of all records per year of the range
 * (`Y:Y[dp]`, the denominator of per_million), by the same rule as a framework's counts: the recent years on
 * every run, a settled year only when not stored with the same query.
 */
export function planQueries(args: {
  frameworks: readonly PlannedFramework[];
  source: PubmedSourcePart;
  /** `YYYY-MM-DD` */
  asOf: string;
  /** `YYYY-MM-DD` */
  today: string;
  full: boolean;
  /** Latest stored observations of this source (any metric). */
  stored: readonly Pick<Observation, 'metric' | 'subject' | 'period' | 'method' | 'query' | 'observedAt'>[];
}): Plan {
  const { source, asOf } = args;
  const warnings: string[] = [];
  const asOfYear = Number(asOf.slice(0, 4));
  let toYear = source.toYear ?? asOfYear;
  if (toYear > asOfYear) {
    warnings.push(
      `pubmed.toYear ${toYear} is after the as-of year ${asOfYear}; counting up to ${asOfYear} (later years have no papers yet)`,
    );
    toYear = asOfYear;
  }
  const fromYear = source.fromYear;
  if (fromYear > toYear) {
    // Nothing could ever be counted on this day: an error, or a daily cron would succeed with nothing every day.
    const error = `pubmed.fromYear ${fromYear} is after the as-of year ${asOfYear}, so the configured range holds no year to count; set pubmed.fromYear to ${asOfYear} or earlier`;
    return { queries: [], skipped: 0, fromYear, toYear, completenessYears: [], warnings, error };
  }
  // A past state: only records that existed on the as-of date (PubMed's record creation date).
  const asOfBound = asOf < args.today ? pubmedDate(asOf) : undefined;
  // The bound moves with the as-of day only: the guard follows the term and year across it. Completeness
  // counts keep their query as their series, since their bound is their period (a cutoff), not the as-of day.
  const asOfSeries = (unbounded: string) => (asOfBound === undefined ? {} : { seriesKey: unbounded });
  const recentFrom = toYear - source.recentYears + 1;
  const completenessYears =
    fromYear <= asOfYear && asOfYear <= toYear ? Array.from({ length: COMPLETENESS_YEARS }, (_, i) => asOfYear - 1 - i) : [];

  const storedRows = new Map<string, { query: string; observedAt: string }>();
  for (const o of args.stored) if (o.method === METHOD) storedRows.set(storedKey(o.metric, o.subject, o.period), o);
  const isStored = (metric: string, framework: string, period: string, query: string) =>
    storedRows.get(storedKey(metric, framework, period))?.query === query;

  const queries: PlannedQuery[] = [];
  let skipped = 0;
  for (const { name, term } of args.frameworks) {
    const completeness: PlannedQuery[] = [];
    for (const year of completenessYears) {
      const { first, last } = monthBounds(year, asOf);
      for (const cutoff of new Set([first, last, ...calibrationCutoffs(year)])) {
        const query = yearTerm(term, year, pubmedDate(cutoff));
        if (!args.full && isStored(PAPERS_CREATED_BY, name, cutoff, query)) {
          skipped++;
          continue;
        }
        completeness.push({ framework: name, term, metric: PAPERS_CREATED_BY, year, period: cutoff, query });
      }
    }
    const years = new Set<number>(completenessYears);
    for (let year = fromYear; year <= toYear; year++) years.add(year);
    for (const year of [...years].sort((a, b) => a - b)) {
      const query = yearTerm(term, year, asOfBound);
      const needed = args.full || (year >= recentFrom && year <= toYear) || !isStored(PAPERS, name, String(year), query);
      if (needed)
        queries.push({ framework: name, term, metric: PAPERS, year, period: String(year), query, ...asOfSeries(yearTerm(term, year)) });
      else skipped++;
    }
    queries.push(...completeness);
  }
  if (args.frameworks.length > 0) {
    for (let year = fromYear; year <= toYear; year++) {
      const query = allRecordsTerm(year, asOfBound);
      const needed = args.full || year >= recentFrom || !isStored(PAPERS_ALL, ALL_RECORDS, String(year), query);
      if (needed) {
        queries.push({
          framework: ALL_RECORDS,
          term: '',
          metric: PAPERS_ALL,
          year,
          period: String(year),
          query,
          ...asOfSeries(allRecordsTerm(year)),
        });
      } else skipped++;
    }
  }
  return { queries, skipped, fromYear, toYear, completenessYears, warnings };
}

function storedKey(metric: string, subject: string, period: string): string {
  return `${metric}\u0000${subject}\u0000${period}`;
}
