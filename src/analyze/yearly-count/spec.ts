import type { StoredObservation } from '../../core/observation.js';
import type { RowSelection } from '../../core/row-selection.js';
import type { SeriesIdentity, SeriesText } from '../../core/series.js';

/**
 * A yearly count per keyword whose current year is still growing: papers per publication year, say. The
 * collector declares one from its configuration; the analysis (partial-year adjustment, growth, shares,
 * crossovers, trend, backtest) and the reports follow from it alone. `metric` is the yearly counts (period
 * `YYYY`); the outputs are `<files>_by_year.csv`, `<files>_by_year_wide.csv` and `<files>_trend.svg`.
 */
export interface YearlyCountSeries extends SeriesIdentity {
  kind: 'yearly-count';
  text: SeriesText & {
    /** Chart title, e.g. `<source> papers per year mentioning each framework`. */
    title: string;
    /** What the year is, for the chart's axis: `Publication year`. */
    yearAxis: string;
    /** What one keyword's count is: methodology text. */
    shares: string;
    /** What a keyword's query matches in the source (fields searched, coverage): methodology text. */
    search?: string;
  };
  /** The keywords in config order (also report and legend order): the stored subject and its query. */
  keywords: readonly YearlyKeyword[];
  /** Years counted; `toYear` defaults to the as-of year. */
  years: { fromYear: number; toYear?: number };
  /** Extension point: how complete past years were by the same day, for a lag-aware partial-year estimate. */
  completeness?: CompletenessBasis;
  /** Extension point: the stored yearly totals each count is a share of, for `per_million`. */
  denominator?: YearlyDenominator;
}

/**
 * All items of a year in the same source (every paper, not only those naming a keyword), stored by the series'
 * own collector as a yearly series of its own: `per_million` = count / total * 1,000,000, so a reader sees
 * adoption net of the growth of publishing itself.
 */
export interface YearlyDenominator {
  /** Stored metric of the totals (period `YYYY`). */
  metric: string;
  /** Their stored subject: a fixed label, not a keyword. */
  subject: string;
  text: {
    /** What a total counts, plural, for axes and sentences: `records` (all papers of a year in the source). */
    unit: string;
    /** How a total is counted: methodology text. */
    methodology: string;
  };
}

/** Where one keyword's rows are stored: the series' source, the keyword as subject. */
export interface KeywordRows {
  source: string;
  subject: string;
}

export interface YearlyKeyword {
  /** Framework name, also the stored subject. */
  keyword: string;
  /** The configured query text. */
  term: string;
}

/**
 * A source-specific basis for the lag-aware estimate: for each past year Y, how many of Y's items were already
 * visible on the same month/day of Y. Divided by Y's final count, that is the share of a year a count on that
 * day holds; the partial year is divided by its recent mean.
 */
export interface CompletenessBasis {
  /**
   * Past years' counts visible by the month/day of `at` (`YYYY-MM-DD`; its year only sets the month's length),
   * from one keyword's rows, using what was stored by `observedBy`.
   */
  visible(rows: readonly StoredObservation[], observedBy: string, at: string): Map<number, number>;
  /** The latest date on which completeness data was stored for this keyword, if any. */
  latestDate(rows: readonly StoredObservation[]): string | undefined;
  /**
   * Early-year dates (`YYYY-MM-DD` in `year`) the source also stores completeness for, so the backtest shows
   * how each method does in the first weeks of a year whatever the as-of date.
   */
  calibration(year: number): string[];
  /**
   * The stored rows `visible` reads for one keyword at each of `ats` with what was stored by `observedBy`, for the
   * past `years` that have a count (no other year's completeness is ever divided by anything): as data every store
   * answers (src/core/row-selection.ts), so a report reads these and not the keyword's whole history.
   */
  visibleRows(keyword: KeywordRows, observedBy: string, ats: readonly string[], years: readonly number[]): RowSelection[];
  /** The stored rows `latestDate` reads for one keyword, as of `asOf`; `years`: those with a count. */
  latestDateRows(keyword: KeywordRows, asOf: string, years: readonly number[]): RowSelection[];
  text: {
    /** The adjustment note for a lag-aware estimate of `year`. */
    note(year: number): string;
    /** How the lag-aware estimate is computed: methodology text. */
    methodology: string;
    /** What `visible` means in the backtest. */
    backtest: string;
    /** Said when no completeness data is stored at all. */
    missing: string;
  };
}

/**
 * Years to report: fromYear..toYear, toYear defaulting to the as-of year. Years after the as-of year cannot
 * have been observed yet, so the range is cut there.
 */
export function reportYears(series: YearlyCountSeries, asOf: string): { fromYear: number; toYear: number } | undefined {
  const asOfYear = Number(asOf.slice(0, 4));
  const toYear = Math.min(series.years.toYear ?? asOfYear, asOfYear);
  return series.years.fromYear <= toYear ? { fromYear: series.years.fromYear, toYear } : undefined;
}
