import type { SeriesIdentity, SeriesText } from '../../core/series.js';

/**
 * A count per calendar month per framework, each framework the sum of its members (the packages of a package
 * index, say), with history back to `fromMonth` and the latest month still filling: downloads per month, for
 * example. Every monthly count is stored beside the number of days it covers, and the days of the recent months
 * are stored one by one, so the partial month can be backtested (estimate from the same first days of the
 * past 12 complete months against their final counts). Comparisons give each member its share of their summed
 * counts. `metric` is the monthly counts (period `YYYY-MM`); the outputs are `<files>_by_month.csv`,
 * `<files>_by_month_wide.csv` and the chart `chart` (with its `.vl.json`).
 */
export interface MonthlyCountSeries extends SeriesIdentity {
  kind: 'monthly-count';
  /** Stored method of every row of the series. */
  method: string;
  /**
   * Stored metric of the days each monthly count covers (period `YYYY-MM`, subject the framework), stored in the
   * same batch as the count: fewer than the month's days for the month the data ends in.
   */
  daysMetric: string;
  /** Stored metric of the counts per day (period `YYYY-MM-DD`) of the recent months, for the partial month's backtest. */
  dailyMetric: string;
  /** The first month reported, `YYYY-MM`. */
  fromMonth: string;
  /** The frameworks in config order: the stored subject, and what its count sums (in the CSV's members column). */
  frameworks: readonly MonthlyFrameworkSpec[];
  comparisons: readonly MonthlyComparisonSpec[];
  /** File name of the chart, e.g. `<source>_trend.svg`; its Vega-Lite spec is written beside it as `.vl.json`. */
  chart: string;
  text: SeriesText & {
    /** Chart title, e.g. `<source> per month per framework`. */
    title: string;
    /** What one stored count is: methodology text. */
    counted: string;
    /** What a framework's members are, plural, also the CSV column listing them: `packages`. */
    members: string;
    /** What the counts are not (who is counted, what is missed, what double counts): methodology text, one caveat each. */
    caveats: readonly string[];
  };
}

export interface MonthlyFrameworkSpec {
  /** Framework name, also the stored subject. */
  name: string;
  /** What its count sums, in config order. */
  members: readonly string[];
}

export interface MonthlyComparisonSpec {
  /** `PyTorch vs TensorFlow`. */
  label: string;
  /** The frameworks compared, in comparison order. */
  members: readonly string[];
}
