import type { ClaimsAudit } from '../claims-types.js';
import type { SeriesIdentity, SeriesText } from '../../core/series.js';
import type { QuarterlyReport } from './types.js';

/**
 * Counts per calendar quarter (`YYYY-Qn`) and framework, each beside the quarter's all-frameworks total, so
 * shares follow from stored counts: papers with code in each framework, say, out of all papers with code that
 * quarter. Comparisons share one unit among the items carrying any of their members (the union, stored too).
 * `metric` is the first unit's per-framework counts (period `YYYY-Qn`; each unit names its own metrics); the
 * outputs are `<files>_by_quarter.csv`, `<files>_comparison_by_quarter.csv` and `<files>_share.svg`.
 */
export interface QuarterlyShareSeries extends SeriesIdentity {
  kind: 'quarterly-share';
  /** Stored method of every count of the series. */
  method: string;
  text: SeriesText & {
    /** Chart title, e.g. `<source>: PyTorch's share of papers with code`. */
    title: string;
    /** What places an item in a quarter, for the chart's axis: `Quarter of the paper's arXiv id`. */
    quarterAxis: string;
    /** What one stored count is: methodology text. */
    counted: string;
  };
  /** What is counted per quarter and framework; the first is the unit comparisons share. */
  units: readonly QuarterlyUnit[];
  /** The frameworks in config order; each is also the stored subject of its counts. */
  frameworks: readonly string[];
  /** Stored subject of the all-frameworks totals (each unit's `totalMetric`). */
  totalSubject: string;
  comparisons: readonly QuarterlyComparisonSpec[];
  /**
   * The last day the source describes (`YYYY-MM-DD`), e.g. the day an archived site shut down: that quarter is
   * partial, like the quarter of the as-of date when it comes earlier. Partial quarters are marked, never
   * extrapolated.
   */
  dataEnd?: string;
  /**
   * Items are dated by month only (how, in words: `a paper by its arXiv id's month`), so counting as of a day
   * takes in that day's whole month; the report then says it counted through the month, not the day.
   */
  datedByMonth?: string;
  /** Items placed in no quarter (nothing dates them), stored per reason as snapshots: the report says how many. */
  leftOut?: QuarterlyLeftOut;
  /** Extension point: published claims about these shares to check against the data (the article's, say). */
  claims?: QuarterlyClaimsCheck;
}

export interface QuarterlyUnit {
  /** The unit's name in CSV columns and report.json (`papers`, `repos`). */
  name: string;
  /** Stored metric of the per-framework counts (period `YYYY-Qn`, subject the framework). */
  metric: string;
  /** Stored metric of the quarter's count over every framework, none included (subject `totalSubject`). */
  totalMetric: string;
  /** What one count is, for the methodology: `distinct papers with a linked repository of the framework`. */
  description: string;
}

export interface QuarterlyComparisonSpec {
  /** `PyTorch vs TensorFlow`. */
  label: string;
  /** The frameworks compared, in comparison order. */
  members: readonly string[];
  /** Stored metric and subject of the items (of the first unit) carrying any member: the shares' denominator. */
  unionMetric: string;
  unionSubject: string;
}

export interface QuarterlyLeftOut {
  /** Stored metric of the counts (period: the observation date; subject: the reason). */
  metric: string;
  /** What was left out, plural: `papers`. */
  unit: string;
  /** Each reason (stored subject) in words: `no arXiv id`. */
  reasons: Readonly<Record<string, string>>;
}

export interface QuarterlyClaimsCheck {
  audit(report: QuarterlyReport): ClaimsAudit;
  /** How the claims are checked: methodology text. */
  methodology: string;
}
