import type { OverlapComparisonSpec } from '../overlap-snapshot/spec.js';
import type { SeriesIdentity, SeriesText } from '../../core/series.js';

/**
 * Items created per calendar month per combination of frameworks, as listed on each observation date: how
 * many of the items carrying every framework of a subset were created in each month (models tagged both
 * `pytorch` and `tf`, by creation month, say). Each observation date stores a whole histogram, so later
 * dates show how it moves. The analysis takes each comparison's latest whole histogram, recovers the
 * exclusive segments per month by inclusion–exclusion, their shares of the month's new items and the
 * cumulative counts, and compares the cumulative curve with the point-in-time totals stored on earlier days.
 */
export interface MonthlyOverlapSeries extends SeriesIdentity {
  kind: 'monthly-overlap';
  /** report.json key of the series, unique over every source's series. */
  key: string;
  /** Collector id whose stored rows the series reads. */
  source: string;
  /**
   * Stored metric of the monthly counts: items carrying all of a subset's frameworks created in the month
   * (period `YYYY-MM`, or `undatedPeriod`). Every stored histogram has an `undatedPeriod` row, zero or not.
   */
  metric: string;
  /** The counting method the monthly counts are stored with (the only one that gives them). */
  method: string;
  /** The period of the items whose creation month is unknown. */
  undatedPeriod: string;
  /**
   * The point-in-time totals of the same subjects: a histogram must add up to its day's total (counted by
   * `method`, which is one of `methods`), and the totals stored on earlier days are the observed side of the
   * snapshot gap.
   */
  snapshot: { metric: string; methods: readonly string[] };
  /** Stem of the CSV: `<files>.csv`. */
  files: string;
  /** File name of the chart, e.g. `<source>_trend.svg`. */
  chart: string;
  text: SeriesText & {
    /** Chart title, e.g. `<source> models created per month, by framework`. */
    title: string;
    /** What one stored monthly count is, for the methodology. */
    counted: string;
    /** What the undated block holds, for the methodology and the chart. */
    undated: string;
    /** What the counts cannot see (survivorship, re-tagging, tag drift): methodology text, one caveat each. */
    caveats: readonly string[];
    /** Why a comparison may have no monthly counts, and what to run to get them. */
    unavailable: string;
  };
  comparisons: readonly OverlapComparisonSpec[];
  /** The method the configuration asks for (shown in the report), or null. */
  configuredMethod: string | null;
}
